// Signing in, invitations and membership-based access, end to end over real HTTP and
// WebSocket on 127.0.0.1 with a real LMDB log and a real LMDB account store: login, refresh
// rotation and reuse detection, sessions, limits, invitations (used / withdrawn / expired),
// membership decides what a person sees, removal and disabling end access at once.
#include <atomic>
#include <algorithm>
#include <chrono>
#include <thread>

#include "rembuk/accounts/account_store.hpp"
#include "rembuk/accounts/password.hpp"
#include "server_fixture.hpp"

namespace rembuk::testing {
namespace {

class AuthTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (!have_engine()) GTEST_SKIP() << "built without kernel/engine";
    auto opened = accounts::open_lmdb_account_store((dir_ / "accounts").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    accounts_ = std::move(opened).value();
    clock_.store(std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count());
    auto options = default_options();
    options.accounts = accounts_.get();
    options.password_operations = crypto_min_ops();
    options.password_memory_bytes = crypto_min_mem();
    options.accounts_poll = milliseconds(50);
    options.clock_s = [this] { return clock_.load(); };
    start(options);
    admin_ = join("ops-admin", {"admin"});
    ASSERT_NE(admin_, nullptr);
    seed("padang", "Padang");
    seed("pariaman", "Pariaman");
  }

  void TearDown() override {
    admin_.reset();
    server_.reset();
    accounts_.reset();
    ServerFixture::TearDown();
  }

  static std::uint64_t crypto_min_ops() { return accounts::PasswordCost::minimum().operations; }
  static std::size_t crypto_min_mem() { return accounts::PasswordCost::minimum().memory_bytes; }

  std::string submit_ok(WsTestClient& c, const std::string& mp, json::object command) {
    const std::string id = "c-" + std::to_string(++commands_);
    c.send(json::object{{"type", "submit"}, {"commandId", id}, {"masterplan", mp},
                        {"command", std::move(command)}});
    const auto deadline = std::chrono::steady_clock::now() + milliseconds(10000);
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = c.next(milliseconds(10000));
      if (!m) break;
      const auto type = m->at("type").as_string();
      if ((type == "ack" || type == "reject") && m->at("commandId").as_string() == id) {
        return type == "ack" ? "ack" : std::string(m->at("code").as_string());
      }
    }
    return "<no answer>";
  }

  void seed(const std::string& mp, const std::string& city) {
    ASSERT_EQ(submit_ok(*admin_, mp,
                        {{"type", "CreateMasterplan"}, {"cityName", city}, {"regionCode", "13.71"},
                         {"startYear", 2019}, {"endYear", 2023}}),
              "ack");
    ASSERT_EQ(submit_ok(*admin_, mp,
                        {{"type", "RegisterOpd"}, {"opdId", "diskominfo"}, {"name", "Kominfo"}}),
              "ack");
    ASSERT_EQ(submit_ok(*admin_, mp,
                        {{"type", "RegisterOpd"}, {"opdId", "bappeda"}, {"name", "Bappeda"}}),
              "ack");
  }

  void create_account(const std::string& user, const std::string& password,
                      std::vector<std::string> roles = {}) {
    accounts::Account a;
    a.user = user;
    a.display_name = "Nama " + user;
    a.password_hash = *accounts::hash_password(password, accounts::PasswordCost::minimum());
    a.roles = std::move(roles);
    a.created_at = clock_.load();
    ASSERT_TRUE(accounts_->create_account(a).ok());
  }

  HttpAnswer post(const std::string& target, const json::object& body,
                  std::vector<std::pair<std::string, std::string>> headers = {}) {
    return http_request(port_, "POST", target, json::serialize(body), headers);
  }

  HttpAnswer login(const std::string& user, const std::string& password) {
    return post("/api/auth/login", {{"user", user}, {"password", password}});
  }

  static json::object parse(const HttpAnswer& a) {
    boost::system::error_code ec;
    auto v = json::parse(a.body, ec);
    return !ec && v.is_object() ? v.as_object() : json::object{};
  }

  static std::string str(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  // "rembuk_refresh=VALUE; Path=…" → "rembuk_refresh=VALUE"
  static std::string cookie_of(const HttpAnswer& a) {
    return a.set_cookie.substr(0, a.set_cookie.find(';'));
  }

  // The masterplans of a GET /api/overview answer, in its order.
  static std::vector<std::string> overview_ids(const HttpAnswer& a) {
    std::vector<std::string> ids;
    const auto body = parse(a);
    if (const auto* rows = body.if_contains("masterplans"); rows != nullptr && rows->is_array()) {
      for (const auto& row : rows->as_array()) ids.emplace_back(row.at("masterplan").as_string());
    }
    return ids;
  }

  static std::pair<std::string, std::string> bearer(const std::string& token) {
    return {"Authorization", "Bearer " + token};
  }

  // An invitation made over HTTP by the admin's service token; returns its code.
  std::string invite(json::object body) {
    auto made = http_request(port_, "POST", "/api/invitations", json::serialize(body),
                             {bearer(token("ops-admin", {"admin"}))});
    EXPECT_EQ(made.status, 201u) << made.body;
    return str(parse(made), "code");
  }

  // Accepts `code` and returns the answer.
  HttpAnswer accept(const std::string& code, const std::string& name, const std::string& password,
                    const std::string& user = {}) {
    json::object body{{"displayName", name}, {"password", password}};
    if (!user.empty()) body["user"] = user;
    return post("/api/invitations/" + code + "/accept", body);
  }

  std::unique_ptr<WsTestClient> hello_with(const std::string& access_token) {
    auto c = connect();
    if (!c) return nullptr;
    auto w = c->request(hello(access_token), "welcome");
    EXPECT_TRUE(w.has_value());
    return c;
  }

  static std::string subscribe_answer(WsTestClient& c, const std::string& mp) {
    c.send(json::object{{"type", "subscribe"}, {"masterplan", mp}, {"fromVersion", 0}});
    for (int i = 0; i < 50; ++i) {
      auto m = c.next(milliseconds(5000));
      if (!m) return "<no answer>";
      const auto type = m->at("type").as_string();
      if (type == "events") return "events";
      if (type == "error") return std::string(m->at("code").as_string());
    }
    return "<no answer>";
  }

  std::unique_ptr<accounts::AccountStore> accounts_;
  std::atomic<std::int64_t> clock_{0};
  std::unique_ptr<WsTestClient> admin_;
  int commands_ = 0;
};

TEST_F(AuthTest, LoginGivesAnAccessTokenAndAStrictHttpOnlyCookie) {
  create_account("budi", "kata-sandi-budi-1");
  auto a = login("budi", "kata-sandi-budi-1");
  ASSERT_EQ(a.status, 200u) << a.body;
  const auto body = parse(a);
  EXPECT_EQ(str(body, "user"), "budi");
  EXPECT_FALSE(str(body, "accessToken").empty());
  EXPECT_EQ(str(body, "expiresAt").size(), 20u);  // 2026-12-06T12:15:00Z
  EXPECT_EQ(body.at("expiresIn").as_int64(), 900);
  EXPECT_TRUE(body.at("roles").as_array().empty());
  EXPECT_EQ(a.set_cookie.rfind("rembuk_refresh=", 0), 0u) << a.set_cookie;
  EXPECT_NE(a.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(a.set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(a.set_cookie.find("Path=/api/auth"), std::string::npos);
  EXPECT_EQ(a.set_cookie.find("Secure"), std::string::npos);  // plain HTTP here
  EXPECT_EQ(a.body.find(cookie_of(a).substr(15)), std::string::npos);  // cookie only
  // The access token works for hello and HTTP reads like a service token.
  EXPECT_NE(hello_with(str(body, "accessToken")), nullptr);
  auto list = http_get(port_, "/api/masterplans", str(body, "accessToken"));
  EXPECT_EQ(list.status, 200u);
}

TEST_F(AuthTest, UnknownUserAndWrongPasswordGetTheSameAnswer) {
  create_account("budi", "kata-sandi-budi-1");
  auto wrong = login("budi", "kata-sandi-salah");
  auto unknown = login("tidak-ada", "kata-sandi-salah");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(str(parse(wrong), "error"), "invalid_credentials");
  EXPECT_TRUE(wrong.set_cookie.empty());
}

TEST_F(AuthTest, RefreshRotatesAndAReusedTokenEndsTheFamily) {
  create_account("budi", "kata-sandi-budi-1");
  auto a = login("budi", "kata-sandi-budi-1");
  ASSERT_EQ(a.status, 200u);
  const std::string first = cookie_of(a);
  auto r1 = post("/api/auth/refresh", {}, {{"Cookie", first}});
  ASSERT_EQ(r1.status, 200u) << r1.body;
  const std::string second = cookie_of(r1);
  EXPECT_NE(first, second);
  EXPECT_FALSE(str(parse(r1), "accessToken").empty());
  auto r2 = post("/api/auth/refresh", {}, {{"Cookie", second}});
  ASSERT_EQ(r2.status, 200u);
  const std::string third = cookie_of(r2);
  const std::string access = str(parse(r2), "accessToken");
  auto ws = hello_with(access);
  ASSERT_NE(ws, nullptr);

  // The first token again: someone copied it. The family ends, the current token too.
  auto reused = post("/api/auth/refresh", {}, {{"Cookie", first}});
  EXPECT_EQ(reused.status, 401u);
  EXPECT_EQ(str(parse(reused), "error"), "refresh_reused");
  EXPECT_NE(reused.set_cookie.find("Max-Age=0"), std::string::npos);
  auto after = post("/api/auth/refresh", {}, {{"Cookie", third}});
  EXPECT_EQ(after.status, 401u);
  EXPECT_EQ(str(parse(after), "error"), "session_ended");
  // Its access token is dead too, and its open connection is closed.
  EXPECT_EQ(http_get(port_, "/api/masterplans", access).status, 401u);
  auto closed = ws->wait_closed(milliseconds(5000));
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(closed->code, 1008);
}

TEST_F(AuthTest, RefreshRefusesMissingAndForgedCookies) {
  auto none = post("/api/auth/refresh", {});
  EXPECT_EQ(none.status, 401u);
  EXPECT_EQ(str(parse(none), "error"), "missing_refresh");
  auto forged = post("/api/auth/refresh", {}, {{"Cookie", "rembuk_refresh=abc.def"}});
  EXPECT_EQ(forged.status, 401u);
  EXPECT_EQ(str(parse(forged), "error"), "invalid_refresh");
  auto junk = post("/api/auth/refresh", {}, {{"Cookie", "rembuk_refresh=nodot"}});
  EXPECT_EQ(str(parse(junk), "error"), "invalid_refresh");
}

TEST_F(AuthTest, SessionsAreListedAndEndedByTheirOwner) {
  create_account("budi", "kata-sandi-budi-1");
  create_account("ani", "kata-sandi-ani-12");
  auto one = login("budi", "kata-sandi-budi-1");
  auto two = login("budi", "kata-sandi-budi-1");
  auto ani = login("ani", "kata-sandi-ani-12");
  const std::string access = str(parse(one), "accessToken");
  auto listed = http_request(port_, "GET", "/api/auth/sessions", "", {bearer(access)});
  ASSERT_EQ(listed.status, 200u) << listed.body;
  const auto sessions = parse(listed).at("sessions").as_array();
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(listed.body.find("tokenHash"), std::string::npos);
  const std::string other = str(parse(two), "sessionId");
  // Ani cannot end Budi's session; Budi can.
  auto foreign = http_request(port_, "DELETE", "/api/auth/sessions/" + other, "",
                              {bearer(str(parse(ani), "accessToken"))});
  EXPECT_EQ(foreign.status, 404u);
  auto ended = http_request(port_, "DELETE", "/api/auth/sessions/" + other, "", {bearer(access)});
  EXPECT_EQ(ended.status, 200u) << ended.body;
  EXPECT_EQ(post("/api/auth/refresh", {}, {{"Cookie", cookie_of(two)}}).status, 401u);
  EXPECT_EQ(post("/api/auth/refresh", {}, {{"Cookie", cookie_of(one)}}).status, 200u);
}

TEST_F(AuthTest, LogoutEndsTheSessionAndClearsTheCookie) {
  create_account("budi", "kata-sandi-budi-1");
  auto a = login("budi", "kata-sandi-budi-1");
  auto out = post("/api/auth/logout", {}, {{"Cookie", cookie_of(a)}});
  EXPECT_EQ(out.status, 200u);
  EXPECT_NE(out.set_cookie.find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(post("/api/auth/refresh", {}, {{"Cookie", cookie_of(a)}}).status, 401u);
  EXPECT_EQ(http_get(port_, "/api/masterplans", str(parse(a), "accessToken")).status, 401u);
}

TEST_F(AuthTest, FailedSignInsAreLimitedPerAccountWithGrowingDelays) {
  create_account("budi", "kata-sandi-budi-1");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("budi", "salah-salah-salah").status, 401u);
  EXPECT_EQ(login("budi", "salah-salah-salah").status, 401u);  // the 6th blocks for 1 s
  auto blocked = login("budi", "kata-sandi-budi-1");          // even the right password
  EXPECT_EQ(blocked.status, 429u);
  EXPECT_EQ(blocked.retry_after, "1");
  EXPECT_EQ(str(parse(blocked), "error"), "rate_limited");
  clock_ += 1;
  EXPECT_EQ(login("budi", "salah-salah-salah").status, 401u);  // 7th: 2 s
  EXPECT_EQ(login("budi", "kata-sandi-budi-1").retry_after, "2");
  clock_ += 2;
  EXPECT_EQ(login("budi", "kata-sandi-budi-1").status, 200u);
}

TEST_F(AuthTest, FailedSignInsAreLimitedPerClientAddress) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(login("orang-" + std::to_string(i), "salah-salah-salah").status, 401u);
  }
  EXPECT_EQ(login("orang-x", "salah-salah-salah").status, 401u);
  auto blocked = login("orang-y", "salah-salah-salah");
  EXPECT_EQ(blocked.status, 429u);
  EXPECT_FALSE(blocked.retry_after.empty());
}

TEST_F(AuthTest, BadInputGetsASpecificError) {
  auto not_json = http_request(port_, "POST", "/api/auth/login", "{nope", {});
  EXPECT_EQ(not_json.status, 400u);
  EXPECT_EQ(str(parse(not_json), "error"), "bad_json");
  auto array = http_request(port_, "POST", "/api/auth/login", "[]", {});
  EXPECT_EQ(str(parse(array), "error"), "bad_json");
  auto missing = post("/api/auth/login", {{"user", "budi"}});
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(str(parse(missing), "error"), "missing_field");
  auto typed = post("/api/auth/login", {{"user", "budi"}, {"password", 12345}});
  EXPECT_EQ(str(parse(typed), "error"), "invalid_field");
  auto big = post("/api/auth/login", {{"user", "budi"}, {"password", std::string(20000, 'x')}});
  EXPECT_EQ(big.status, 413u);
  EXPECT_EQ(str(parse(big), "error"), "body_too_large");
  auto get = http_request(port_, "GET", "/api/auth/login", "", {});
  EXPECT_EQ(get.status, 405u);
  auto bad_role = http_request(port_, "POST", "/api/invitations",
                               json::serialize(json::object{{"role", "raja"}, {"masterplan", "padang"}}),
                               {bearer(token("ops-admin", {"admin"}))});
  EXPECT_EQ(str(parse(bad_role), "error"), "invalid_field");
  auto no_opd = http_request(port_, "POST", "/api/invitations",
                             json::serialize(json::object{{"role", "opd_editor"},
                                                          {"masterplan", "padang"}}),
                             {bearer(token("ops-admin", {"admin"}))});
  EXPECT_EQ(str(parse(no_opd), "error"), "missing_field");
  auto nowhere = http_request(port_, "POST", "/api/invitations",
                              json::serialize(json::object{{"role", "viewer"},
                                                           {"masterplan", "bukittinggi"}}),
                              {bearer(token("ops-admin", {"admin"}))});
  EXPECT_EQ(nowhere.status, 404u);
}

TEST_F(AuthTest, InvitationMakesAMemberWhoSeesOnlyTheirMasterplan) {
  const std::string code =
      invite({{"role", "opd_editor"}, {"opd", "diskominfo"}, {"masterplan", "padang"}});
  ASSERT_GE(code.size(), 22u);  // at least 128 bits
  auto shown = http_get(port_, "/api/invitations/" + code);
  EXPECT_EQ(str(parse(shown), "status"), "pending");
  EXPECT_EQ(str(parse(shown), "cityName"), "Padang");

  // The policy: not the city's name, at least 10 characters.
  EXPECT_EQ(str(parse(accept(code, "Budi Santoso", "padang")), "error"), "password_too_short");
  EXPECT_EQ(str(parse(accept(code, "Budi Santoso", "PADANG-2019", "padang-2019")), "error"),
            "password_is_user_id");
  auto a = accept(code, "Budi Santoso", "kata-sandi-budi-1");
  ASSERT_EQ(a.status, 200u) << a.body;
  const auto body = parse(a);
  EXPECT_EQ(str(body, "user"), "budi.santoso");
  EXPECT_FALSE(a.set_cookie.empty());

  // MemberAdded went through the engine.
  auto state = http_get(port_, "/api/masterplans/padang", token("ops-admin", {"admin"}));
  EXPECT_NE(state.body.find("\"budi.santoso\""), std::string::npos);

  const std::string access = str(body, "accessToken");
  auto ws = hello_with(access);
  ASSERT_NE(ws, nullptr);
  EXPECT_EQ(subscribe_answer(*ws, "padang"), "events");
  EXPECT_EQ(subscribe_answer(*ws, "pariaman"), "forbidden");
  EXPECT_EQ(http_get(port_, "/api/masterplans/pariaman", access).status, 403u);
  auto list = http_get(port_, "/api/masterplans", access);
  EXPECT_NE(list.body.find("\"padang\""), std::string::npos);
  EXPECT_EQ(list.body.find("\"pariaman\""), std::string::npos);
  // The national page shows a member their own city only, and does not count the others.
  auto overview = http_get(port_, "/api/overview", access);
  ASSERT_EQ(overview.status, 200u) << overview.body;
  EXPECT_EQ(overview_ids(overview), std::vector<std::string>{"padang"});
  EXPECT_EQ(parse(overview).at("total").to_number<int>(), 1);

  // Edits: the membership's role and OPD decide.
  EXPECT_EQ(submit_ok(*ws, "padang",
                      {{"type", "AddProgram"}, {"programId", "p-kominfo"}, {"title", "Satu Data"},
                       {"dimension", "governance"}, {"element", "public_service"},
                       {"leadOpd", "diskominfo"}, {"startYear", 2019}, {"endYear", 2021}}),
            "ack");
  EXPECT_EQ(submit_ok(*ws, "padang",
                      {{"type", "AddProgram"}, {"programId", "p-bappeda"}, {"title", "Lain"},
                       {"dimension", "governance"}, {"element", "public_service"},
                       {"leadOpd", "bappeda"}, {"startYear", 2019}, {"endYear", 2021}}),
            "forbidden");
  EXPECT_EQ(submit_ok(*ws, "pariaman", {{"type", "SetVision"}, {"text", "x"}}), "forbidden");

  // The code is one-time.
  auto again = accept(code, "Orang Lain", "kata-sandi-lain-1");
  EXPECT_EQ(again.status, 410u);
  EXPECT_EQ(str(parse(again), "error"), "invitation_used");

  // Sign in later with the id the invitation gave.
  EXPECT_EQ(login("budi.santoso", "kata-sandi-budi-1").status, 200u);
}

TEST_F(AuthTest, WithdrawnExpiredAndUnknownInvitationsAreToldApart) {
  const std::string withdrawn = invite({{"role", "viewer"}, {"masterplan", "padang"}});
  const std::string expiring =
      invite({{"role", "viewer"}, {"masterplan", "padang"}, {"expiresIn", "1h"}});
  auto listed = http_request(port_, "GET", "/api/invitations?masterplan=padang", "",
                             {bearer(token("ops-admin", {"admin"}))});
  ASSERT_EQ(listed.status, 200u);
  const auto invitations = parse(listed).at("invitations").as_array();
  ASSERT_EQ(invitations.size(), 2u);
  EXPECT_EQ(listed.body.find(withdrawn), std::string::npos);  // never a code
  EXPECT_EQ(listed.body.find("codeHash"), std::string::npos);
  // The 7-day one is to be withdrawn: its expiry tells it from the 1-hour one.
  const auto shown = parse(http_get(port_, "/api/invitations/" + withdrawn));
  std::string id;
  for (const auto& i : invitations) {
    if (i.at("expiresAt").as_string() == shown.at("expiresAt").as_string()) {
      id = std::string(i.at("id").as_string());
    }
  }
  ASSERT_FALSE(id.empty());
  auto gone = http_request(port_, "DELETE", "/api/invitations/" + id, "",
                           {bearer(token("ops-admin", {"admin"}))});
  EXPECT_EQ(gone.status, 200u) << gone.body;
  EXPECT_EQ(str(parse(accept(withdrawn, "Budi", "kata-sandi-budi-1")), "error"),
            "invitation_withdrawn");
  clock_ += 3601;
  auto late = accept(expiring, "Budi", "kata-sandi-budi-1");
  EXPECT_EQ(late.status, 410u);
  EXPECT_EQ(str(parse(late), "error"), "invitation_expired");
  EXPECT_NE(str(parse(late), "message").find("kedaluwarsa"), std::string::npos);
  auto unknown = accept("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Budi", "kata-sandi-budi-1");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(str(parse(unknown), "error"), "invitation_not_found");
}

TEST_F(AuthTest, OnlyAdminOrTheMasterplansTimPelaksanaInvites) {
  const json::object body{{"role", "viewer"}, {"masterplan", "padang"}};
  auto viewer = http_request(port_, "POST", "/api/invitations", json::serialize(body),
                             {bearer(token("v", {"viewer"}))});
  EXPECT_EQ(viewer.status, 403u);
  auto tp_elsewhere = http_request(port_, "POST", "/api/invitations", json::serialize(body),
                                   {bearer(token("tp", {"tim_pelaksana"}, {}, {"pariaman"}))});
  EXPECT_EQ(tp_elsewhere.status, 403u);
  auto tp = http_request(port_, "POST", "/api/invitations", json::serialize(body),
                         {bearer(token("tp", {"tim_pelaksana"}, {}, {"padang"}))});
  EXPECT_EQ(tp.status, 201u) << tp.body;
  auto tp_admin = http_request(port_, "POST", "/api/invitations",
                               json::serialize(json::object{{"role", "admin"}}),
                               {bearer(token("tp", {"tim_pelaksana"}))});
  EXPECT_EQ(tp_admin.status, 403u);
  EXPECT_EQ(http_request(port_, "POST", "/api/invitations", json::serialize(body), {}).status,
            401u);
}

TEST_F(AuthTest, RemovingAMemberEndsTheirAccessAtOnce) {
  const std::string code = invite({{"role", "viewer"}, {"masterplan", "padang"}});
  auto a = accept(code, "Ani", "kata-sandi-ani-12");
  ASSERT_EQ(a.status, 200u) << a.body;
  const std::string access = str(parse(a), "accessToken");
  auto ws = hello_with(access);
  ASSERT_EQ(subscribe_answer(*ws, "padang"), "events");
  ASSERT_EQ(submit_ok(*admin_, "padang", {{"type", "RemoveMember"}, {"userId", "ani"}}), "ack");
  auto told = ws->next_of_type("unsubscribed", milliseconds(5000));
  ASSERT_TRUE(told.has_value());
  EXPECT_EQ(told->at("masterplan").as_string(), "padang");
  EXPECT_EQ(subscribe_answer(*ws, "padang"), "forbidden");
  EXPECT_EQ(http_get(port_, "/api/masterplans/padang", access).status, 403u);
}

TEST_F(AuthTest, DisablingAnAccountClosesItsConnectionsAndKillsItsSessions) {
  const std::string code =
      invite({{"role", "opd_editor"}, {"opd", "bappeda"}, {"masterplan", "padang"}});
  auto a = accept(code, "Citra", "kata-sandi-citra1");
  ASSERT_EQ(a.status, 200u) << a.body;
  auto ws = hello_with(str(parse(a), "accessToken"));
  ASSERT_EQ(subscribe_answer(*ws, "padang"), "events");
  auto disabled = http_request(port_, "POST", "/api/users/citra/disable", "",
                               {bearer(token("ops-admin", {"admin"}))});
  ASSERT_EQ(disabled.status, 200u) << disabled.body;
  const auto closed = ws->wait_closed(milliseconds(3000));
  ASSERT_TRUE(closed.has_value()) << "still open after a disable";
  EXPECT_EQ(closed->code, 1008);
  EXPECT_EQ(post("/api/auth/refresh", {}, {{"Cookie", cookie_of(a)}}).status, 401u);
  auto again = login("citra", "kata-sandi-citra1");
  EXPECT_EQ(again.status, 403u);
  EXPECT_EQ(str(parse(again), "error"), "account_disabled");
  auto listed = http_request(port_, "GET", "/api/users", "", {bearer(token("ops-admin", {"admin"}))});
  EXPECT_NE(listed.body.find("\"disabled\":true"), std::string::npos);
  // Only an admin disables.
  EXPECT_EQ(http_request(port_, "POST", "/api/users/citra/enable", "",
                         {bearer(token("v", {"viewer"}))})
                .status,
            403u);
  ASSERT_EQ(http_request(port_, "POST", "/api/users/citra/enable", "",
                         {bearer(token("ops-admin", {"admin"}))})
                .status,
            200u);
  EXPECT_EQ(login("citra", "kata-sandi-citra1").status, 200u);
}

TEST_F(AuthTest, TheMinistryReadsEveryMasterplan) {
  create_account("ahli", "kata-sandi-ahli-1", {"kementerian"});
  auto a = login("ahli", "kata-sandi-ahli-1");
  ASSERT_EQ(a.status, 200u);
  const std::string access = str(parse(a), "accessToken");
  auto list = http_get(port_, "/api/masterplans", access);
  EXPECT_NE(list.body.find("\"padang\""), std::string::npos);
  EXPECT_NE(list.body.find("\"pariaman\""), std::string::npos);
  auto ws = hello_with(access);
  EXPECT_EQ(subscribe_answer(*ws, "pariaman"), "events");
  auto overview = http_get(port_, "/api/overview?sort=city&order=desc", access);
  ASSERT_EQ(overview.status, 200u) << overview.body;
  EXPECT_EQ(overview_ids(overview), (std::vector<std::string>{"pariaman", "padang"}));
}

TEST_F(AuthTest, TheOverviewFollowsTheLogAndRefusesWhatItCannotRead) {
  create_account("ahli", "kata-sandi-ahli-1", {"kementerian"});
  const std::string access = str(parse(login("ahli", "kata-sandi-ahli-1")), "accessToken");
  auto before = parse(http_get(port_, "/api/overview?q=pari", access));
  ASSERT_EQ(before.at("masterplans").as_array().size(), 1u);
  EXPECT_EQ(before.at("masterplans").as_array()[0].at("programs").to_number<int>(), 0);

  // An accepted edit reaches the page without a restart (the projection follows the log).
  ASSERT_EQ(submit_ok(*admin_, "pariaman",
                      {{"type", "AddProgram"}, {"programId", "p-1"}, {"title", "Pariaman Satu Data"},
                       {"dimension", "governance"}, {"element", "public_service"},
                       {"leadOpd", "diskominfo"}, {"startYear", 2019}, {"endYear", 2021}}),
            "ack");
  int programs = 0;
  for (int i = 0; i < 100 && programs != 1; ++i) {
    auto now = parse(http_get(port_, "/api/overview?q=pari", access));
    programs = now.at("masterplans").as_array()[0].at("programs").to_number<int>();
    if (programs != 1) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(programs, 1);

  // A service token sees what its claim names; no token, or a bad parameter, is refused.
  auto service = http_get(port_, "/api/overview",
                          token("bot", {"viewer"}, {}, std::vector<std::string>{"padang"}));
  EXPECT_EQ(overview_ids(service), std::vector<std::string>{"padang"});
  EXPECT_EQ(http_get(port_, "/api/overview").status, 401u);
  auto bad = http_get(port_, "/api/overview?sort=population", access);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(str(parse(bad), "error"), "bad_request");
}

TEST_F(AuthTest, APersonsConnectionOutlivesItsAccessTokenButNotItsSession) {
  create_account("budi", "kata-sandi-budi-1");
  auto a = login("budi", "kata-sandi-budi-1");
  const std::string access = str(parse(a), "accessToken");
  auto ws = hello_with(access);
  ASSERT_NE(ws, nullptr);
  auto service = join("robot", {"viewer"});  // a service token of an hour
  // Both tokens past their exp. The service token's is the system clock at join() plus an
  // hour, which can be a second or more after SetUp() read the same clock into clock_.
  const std::int64_t system_now = std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count();
  clock_.store(std::max(clock_.load(), system_now) + 3600);
  EXPECT_EQ(http_get(port_, "/api/masterplans", access).status, 401u);
  const auto expired = service->next_of_type("error", milliseconds(5000));
  ASSERT_TRUE(expired.has_value());
  EXPECT_EQ(expired->at("code").as_string(), "token_expired");
  // The person's connection is still served: its sign-in session lives on.
  EXPECT_TRUE(ws->request(json::object{{"type", "ping"}}, "pong").has_value());
  EXPECT_FALSE(ws->closed());
  // A refresh gives a new access token for HTTP, on the same connection.
  auto r = post("/api/auth/refresh", {}, {{"Cookie", cookie_of(a)}});
  EXPECT_EQ(http_get(port_, "/api/masterplans", str(parse(r), "accessToken")).status, 200u);
  EXPECT_EQ(ws->request(hello(access), "error")->at("code").as_string(), "already_authenticated");
}

}  // namespace
}  // namespace rembuk::testing
