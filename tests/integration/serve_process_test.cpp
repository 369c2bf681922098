// The real `rembuk serve` executable as a child process: SIGTERM during edit load loses no
// acknowledged edit (exit code 0, every socket closed with 1001, every acked commandId in
// the reopened log), the server's log never shows a token, password, invitation code,
// cookie or the secret, and `rembuk user disable` in another process closes the account's
// connections within a second.
#include <sys/stat.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "rembuk/store/lmdb_event_log.hpp"
#include "serve_process.hpp"
#include "ws_test_client.hpp"

namespace rembuk::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rembuk-serve-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static json::object submit(const std::string& id, json::object command) {
    return {{"type", "submit"}, {"commandId", id}, {"masterplan", "padang"},
            {"command", std::move(command)}};
  }

  // The ack or reject for `id`, skipping everything else.
  static std::optional<json::object> outcome(WsTestClient& c, const std::string& id,
                                             milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = c.next(std::chrono::duration_cast<milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!m) return std::nullopt;
      const auto type = m->at("type").as_string();
      if ((type == "ack" || type == "reject") && m->contains("commandId") &&
          m->at("commandId").as_string() == id) {
        return m;
      }
    }
    return std::nullopt;
  }

  std::filesystem::path dir_;
};

TEST_F(Serve, SigtermDuringLoadLosesNoAcknowledgedEdit) {
  ServeProcess serve(REMBUK_BINARY, dir_);
  ASSERT_TRUE(serve.ok()) << serve.log_text();

  {
    auto admin = WsTestClient::connect(serve.port());
    ASSERT_TRUE(admin);
    ASSERT_TRUE(admin->request(hello(serve.admin_token()), "welcome"));
    int n = 0;
    for (json::object command :
         {json::object{{"type", "CreateMasterplan"}, {"cityName", "Padang"},
                       {"regionCode", "13.71"}, {"startYear", 2019}, {"endYear", 2023}},
          json::object{{"type", "RegisterOpd"}, {"opdId", "bappeda"}, {"name", "Bappeda"}},
          json::object{{"type", "AddProgram"}, {"programId", "p1"}, {"title", "Satu Data"},
                       {"dimension", "governance"}, {"element", "public_policy"},
                       {"leadOpd", "bappeda"}, {"startYear", 2019}, {"endYear", 2023}}}) {
      const std::string id = "seed-" + std::to_string(++n);
      admin->send(submit(id, std::move(command)));
      auto answer = outcome(*admin, id, milliseconds(10000));
      ASSERT_TRUE(answer && answer->at("type").as_string() == "ack")
          << (answer ? json::serialize(*answer) : "no answer");
    }
    admin->close();
  }

  constexpr int kClients = 6;
  std::mutex mutex;
  std::map<std::string, std::int64_t> acked;  // GUARDED_BY(mutex): commandId → version
  std::atomic<int> total_acks{0};
  std::atomic<int> closed_1001{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      auto c = WsTestClient::connect(serve.port());
      if (!c || !c->request(hello(serve.admin_token()), "welcome")) return;
      for (int n = 0;; ++n) {
        const std::string id = "load-" + std::to_string(i) + "-" + std::to_string(n);
        c->send(submit(id, {{"type", "SetProgramBudget"}, {"programId", "p1"},
                            {"year", 2019 + (n % 5)}, {"source", "APBD"},
                            {"amount", 1000 * (i * 100000 + n)}}));
        auto answer = outcome(*c, id, milliseconds(3000));
        if (!answer) break;  // the server closed (or refused) after SIGTERM
        if (answer->at("type").as_string() == "ack") {
          std::lock_guard lock(mutex);
          acked[id] = answer->at("version").as_int64();
          ++total_acks;
        }
      }
      auto closed = c->wait_closed(milliseconds(10000));
      if (closed && closed->code == 1001) ++closed_1001;
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (total_acks < 300 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));  // pacing the check, not the server
  }
  ASSERT_GE(total_acks.load(), 300);
  serve.signal(SIGTERM);
  const auto exit_code = serve.wait_exit(milliseconds(30000));
  for (auto& t : threads) t.join();
  ASSERT_TRUE(exit_code.has_value()) << "rembuk serve did not exit after SIGTERM";
  EXPECT_EQ(*exit_code, 0) << serve.log_text();
  EXPECT_EQ(closed_1001.load(), kClients);
  EXPECT_NE(serve.log_text().find("stopped"), std::string::npos) << serve.log_text();

  // Reopen the log the child wrote: every acknowledged edit is there, at its version.
  store::LmdbOptions lmdb;
  lmdb.path = dir_.string();
  auto log = store::open_lmdb_event_log(lmdb);
  ASSERT_TRUE(log.ok()) << log.error().message;
  for (const auto& [id, version] : acked) {
    auto found = (*log)->find_command(id);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value()) << id << " was acked but is not in the log";
    EXPECT_EQ(static_cast<std::int64_t>((*found)->last_revision), version) << id;
  }
  EXPECT_TRUE((*log)->verify().ok);
}

// Tokens and the secret never reach the server's log, whatever a client sends.
TEST_F(Serve, TokensAndTheSecretNeverAppearInTheLog) {
  ServeProcess serve(REMBUK_BINARY, dir_);
  ASSERT_TRUE(serve.ok()) << serve.log_text();
  const std::string good = serve.admin_token();
  const std::string forged = good.substr(0, good.rfind('.') + 1) + "AAAAforgedsignature";
  {
    auto c = WsTestClient::connect(serve.port());
    ASSERT_TRUE(c);
    auto refused = c->request(hello(forged), "error");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->at("code").as_string(), "invalid_token");
    // The error names what is wrong, never the token itself.
    EXPECT_EQ(json::serialize(*refused).find(forged), std::string::npos);
    ASSERT_TRUE(c->request(hello(good), "welcome"));
    auto again = c->request(hello(good), "error");
    ASSERT_TRUE(again);
    EXPECT_EQ(json::serialize(*again).find(good), std::string::npos);
  }
  EXPECT_EQ(http_get(serve.port(), "/api/masterplans", forged).status, 401u);
  EXPECT_EQ(http_get(serve.port(), "/api/masterplans", good).status, 200u);
  serve.signal(SIGTERM);
  ASSERT_EQ(serve.wait_exit(milliseconds(20000)), std::optional<int>(0));

  const std::string log = serve.log_text();
  EXPECT_FALSE(log.empty());
  EXPECT_EQ(log.find(good), std::string::npos) << "the token is in the log";
  EXPECT_EQ(log.find(forged), std::string::npos) << "a forged token is in the log";
  // The secret: kept in the data folder with mode 0600, never printed.
  bool found_secret = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.path().filename().string().find("secret") == std::string::npos) continue;
    found_secret = true;
    struct stat st {};
    ASSERT_EQ(::stat(entry.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << entry.path();
    std::ifstream in(entry.path(), std::ios::binary);
    std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(secret.empty());
    EXPECT_EQ(log.find(secret), std::string::npos) << "the secret is in the log";
    EXPECT_EQ(serve.stdout_text().find(secret), std::string::npos);
  }
  EXPECT_TRUE(found_secret) << "no secret file in " << dir_;
}


// Runs `rembuk ARGS…` to completion; its stdout, or nullopt when it failed.
std::optional<std::string> run_cli(const std::string& args) {
  const std::string command = std::string(REMBUK_BINARY) + " " + args + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  if (::pclose(pipe) != 0) return std::nullopt;
  return out;
}

std::string field(const HttpAnswer& a, const char* key) {
  boost::system::error_code ec;
  auto v = json::parse(a.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains(key)) return {};
  const auto& f = v.as_object().at(key);
  return f.is_string() ? std::string(f.as_string()) : std::string();
}

std::string cookie_value(const HttpAnswer& a) {
  const auto eq = a.set_cookie.find('=');
  return a.set_cookie.substr(eq + 1, a.set_cookie.find(';') - eq - 1);
}

// The figure after "rembuk_masterplans_loaded " in the server's /metrics; -1 when absent.
int masterplans_loaded(std::uint16_t port) {
  const std::string text = http_get(port, "/metrics").body;
  const std::string name = "\nrembuk_masterplans_loaded ";
  const auto at = text.find(name);
  return at == std::string::npos ? -1 : std::atoi(text.c_str() + at + name.size());
}

// A masterplan nobody uses is let go after --unload-idle-after (the gauge drops to 0), and
// its next edit loads it again from the log and lands at the next version.
TEST_F(Serve, AnIdleMasterplanIsLetGoAndItsNextEditLoadsItAgain) {
  ServeProcess serve(REMBUK_BINARY, dir_, {"--unload-idle-after", "1s"});
  ASSERT_TRUE(serve.ok()) << serve.log_text();
  EXPECT_EQ(masterplans_loaded(serve.port()), 0);
  auto admin = WsTestClient::connect(serve.port());
  ASSERT_TRUE(admin);
  ASSERT_TRUE(admin->request(hello(serve.admin_token()), "welcome"));
  admin->send(submit("c1", {{"type", "CreateMasterplan"}, {"cityName", "Padang"},
                            {"regionCode", "13.71"}, {"startYear", 2019}, {"endYear", 2023}}));
  auto created = outcome(*admin, "c1", milliseconds(10000));
  ASSERT_TRUE(created && created->at("type").as_string() == "ack");
  EXPECT_EQ(masterplans_loaded(serve.port()), 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (masterplans_loaded(serve.port()) != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_EQ(masterplans_loaded(serve.port()), 0);
  admin->send(submit("c2", {{"type", "SetVision"}, {"text", "Padang kota cerdas"}}));
  auto vision = outcome(*admin, "c2", milliseconds(10000));
  ASSERT_TRUE(vision && vision->at("type").as_string() == "ack")
      << (vision ? json::serialize(*vision) : "no answer");
  EXPECT_EQ(vision->at("version").as_int64(), 2);
  EXPECT_EQ(masterplans_loaded(serve.port()), 1);
}

TEST_F(Serve, AnUnloadTimeThatIsNoDurationIsRefused) {
  const std::string command = std::string(REMBUK_BINARY) + " serve --data " + dir_.string() +
                              " --listen 127.0.0.1:0 --unload-idle-after soon 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) text += buffer;
  EXPECT_NE(::pclose(pipe), 0);
  EXPECT_NE(text.find("--unload-idle-after: 'soon' is not a duration"), std::string::npos) << text;
}

// Signing in end to end against the real executable and the CLI on the same data folder:
// an invitation from `rembuk user invite`, accepted over HTTP; sign-ins, refreshes, a reused
// refresh token; `rembuk user disable` closes the open connection within a second. Then no
// password, code, cookie or token is in the server's log or on its stdout.
TEST_F(Serve, SignInSecretsNeverAppearInTheLogAndTheCliDisablesAtOnce) {
  ServeProcess serve(REMBUK_BINARY, dir_);
  ASSERT_TRUE(serve.ok()) << serve.log_text();
  const std::string admin = serve.admin_token();
  {
    auto c = WsTestClient::connect(serve.port());
    ASSERT_TRUE(c && c->request(hello(admin), "welcome"));
    c->send(submit("m1", {{"type", "CreateMasterplan"}, {"cityName", "Padang"},
                          {"regionCode", "13.71"}, {"startYear", 2019}, {"endYear", 2023}}));
    ASSERT_EQ(outcome(*c, "m1", milliseconds(10000))->at("type").as_string(), "ack");
    c->send(submit("m2", {{"type", "RegisterOpd"}, {"opdId", "diskominfo"}, {"name", "Kominfo"}}));
    ASSERT_EQ(outcome(*c, "m2", milliseconds(10000))->at("type").as_string(), "ack");
  }
  const std::string base = "http://127.0.0.1:" + std::to_string(serve.port()) + "/";
  auto printed = run_cli("user invite --data " + dir_.string() +
                         " --role opd_editor --opd diskominfo --masterplan padang"
                         " --base-url " + base);
  ASSERT_TRUE(printed.has_value() && !printed->empty());
  const std::string link = printed->substr(0, printed->find('\n'));
  ASSERT_EQ(link.rfind(base + "#invite=", 0), 0u) << link;
  const std::string code = link.substr(link.find("#invite=") + 8);

  const std::string password = "Rahasia-Budi-2045";
  const std::string wrong = "Salah-Sekali-2045";
  auto accepted = http_request(serve.port(), "POST", "/api/invitations/" + code + "/accept",
                               json::serialize(json::object{{"displayName", "Budi Santoso"},
                                                            {"password", password}}));
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  const std::string user = field(accepted, "user");
  auto again = http_request(serve.port(), "POST", "/api/invitations/" + code + "/accept",
                            json::serialize(json::object{{"displayName", "X"},
                                                         {"password", password}}));
  EXPECT_EQ(again.status, 410u);
  EXPECT_EQ(again.body.find(code), std::string::npos);
  auto refused = http_request(serve.port(), "POST", "/api/auth/login",
                              json::serialize(json::object{{"user", user}, {"password", wrong}}));
  EXPECT_EQ(refused.status, 401u);
  EXPECT_EQ(refused.body.find(wrong), std::string::npos);
  auto login = http_request(serve.port(), "POST", "/api/auth/login",
                            json::serialize(json::object{{"user", user}, {"password", password}}));
  ASSERT_EQ(login.status, 200u) << login.body;
  const std::string first_cookie = cookie_value(login);
  auto refreshed = http_request(serve.port(), "POST", "/api/auth/refresh", "",
                                {{"Cookie", "rembuk_refresh=" + first_cookie}});
  ASSERT_EQ(refreshed.status, 200u);
  auto reused = http_request(serve.port(), "POST", "/api/auth/refresh", "",
                             {{"Cookie", "rembuk_refresh=" + first_cookie}});
  EXPECT_EQ(reused.status, 401u);

  // The invitation's session: open a connection, then disable the account from the CLI.
  const std::string access = field(accepted, "accessToken");
  auto person = WsTestClient::connect(serve.port());
  ASSERT_TRUE(person && person->request(hello(access), "welcome"));
  person->send(json::object{{"type", "subscribe"}, {"masterplan", "padang"}});
  ASSERT_TRUE(person->next_of_type("events", milliseconds(5000)));
  const auto listed = run_cli("user list --json --data " + dir_.string());
  ASSERT_TRUE(listed.has_value());
  EXPECT_NE(listed->find("\"" + user + "\""), std::string::npos) << *listed;
  ASSERT_TRUE(run_cli("user disable --data " + dir_.string() + " --user " + user).has_value());
  const auto closed = person->wait_closed(milliseconds(1000));
  ASSERT_TRUE(closed.has_value()) << "the connection outlived the disable by a second";
  EXPECT_EQ(closed->code, 1008);
  EXPECT_EQ(http_get(serve.port(), "/api/masterplans", access).status, 401u);

  serve.signal(SIGTERM);
  ASSERT_EQ(serve.wait_exit(milliseconds(20000)), std::optional<int>(0));
  const std::string log = serve.log_text() + serve.stdout_text();
  EXPECT_NE(log.find("signed in: '" + user + "'"), std::string::npos) << log;
  for (const auto& secret :
       {password, wrong, code, first_cookie, cookie_value(refreshed), cookie_value(accepted),
        access, field(login, "accessToken"), field(refreshed, "accessToken")}) {
    ASSERT_FALSE(secret.empty());
    EXPECT_EQ(log.find(secret), std::string::npos) << "a secret is in the log: " << secret;
  }
}

}  // namespace
}  // namespace rembuk::testing
