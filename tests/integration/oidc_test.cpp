// The city's own login: tokens of an OpenID Connect provider (keys made by the openssl
// command line, a JWKS file written by the test) in hello and HTTP, with membership deciding
// what the person sees; expired, wrong-audience, wrong-issuer tokens refused; key rotation.
#include <chrono>

#include "rembuk/accounts/account_store.hpp"
#include "rembuk_test/oidc_keys.hpp"
#include "server_fixture.hpp"

namespace rembuk::testing {
namespace {

class OidcTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (!have_engine()) GTEST_SKIP() << "built without kernel/engine";
    std::filesystem::create_directories(dir_ / "idp");
    keys_ = std::make_unique<OidcKeys>(dir_ / "idp");
    ASSERT_TRUE(keys_->make("k1", "RS256"));
    auto options = default_options();
    options.oidc_issuer = "https://sso.padang.go.id";
    options.oidc_audience = "rembuk";
    options.oidc_jwks = keys_->write_jwks();
    options.oidc_user_claim = "preferred_username";
    options.oidc_roles_claim = "groups";
    auto opened = accounts::open_lmdb_account_store((dir_ / "accounts").string());
    ASSERT_TRUE(opened.ok());
    accounts_ = std::move(opened).value();
    options.accounts = accounts_.get();
    options.accounts_poll = milliseconds(50);
    start(options);
    admin_ = join("ops-admin", {"admin"});
    for (const char* mp : {"padang", "pariaman"}) {
      admin_->send(json::object{{"type", "submit"}, {"commandId", std::string("c-") + mp},
                                {"masterplan", mp},
                                {"command", json::object{{"type", "CreateMasterplan"},
                                                         {"cityName", mp},
                                                         {"regionCode", "13.71"},
                                                         {"startYear", 2019},
                                                         {"endYear", 2023}}}});
      ASSERT_TRUE(admin_->next_of_type("ack", milliseconds(10000)));
    }
    admin_->send(json::object{{"type", "submit"}, {"commandId", "c-member"},
                              {"masterplan", "padang"},
                              {"command", json::object{{"type", "AddMember"},
                                                       {"userId", "budi"},
                                                       {"name", "Budi"},
                                                       {"role", "viewer"}}}});
    ASSERT_TRUE(admin_->next_of_type("ack", milliseconds(10000)));
  }

  void TearDown() override {
    admin_.reset();
    server_.reset();
    accounts_.reset();
    ServerFixture::TearDown();
  }

  std::int64_t now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  json::object claims(const std::string& user, json::array groups = {}) const {
    return {{"iss", "https://sso.padang.go.id"}, {"aud", "rembuk"}, {"sub", "id-" + user},
            {"preferred_username", user}, {"groups", std::move(groups)},
            {"exp", now() + 600}};
  }

  std::string hello_answer(const std::string& token) {
    auto c = connect();
    c->send(hello(token));
    auto answer = c->next(milliseconds(5000));
    if (!answer) return "<no answer>";
    if (answer->at("type").as_string() == "welcome") return "welcome";
    return std::string(answer->at("code").as_string());
  }

  std::unique_ptr<OidcKeys> keys_;
  std::unique_ptr<accounts::AccountStore> accounts_;
  std::unique_ptr<WsTestClient> admin_;
};

TEST_F(OidcTest, ProviderTokensWorkInHelloAndHttpWithMembershipDeciding) {
  const std::string token = keys_->sign("k1", claims("budi"));
  auto c = connect();
  auto welcome = c->request(hello(token), "welcome");
  ASSERT_TRUE(welcome.has_value());
  EXPECT_EQ(welcome->at("user").as_string(), "budi");
  c->send(json::object{{"type", "subscribe"}, {"masterplan", "padang"}});
  EXPECT_TRUE(c->next_of_type("events", milliseconds(5000)).has_value());
  auto refused = c->request(json::object{{"type", "subscribe"}, {"masterplan", "pariaman"}},
                            "error");
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->at("code").as_string(), "forbidden");
  EXPECT_EQ(http_get(port_, "/api/masterplans/padang", token).status, 200u);
  EXPECT_EQ(http_get(port_, "/api/masterplans/pariaman", token).status, 403u);
  // The ministry's group reads everything.
  const std::string ministry = keys_->sign("k1", claims("ahli", json::array{"kementerian"}));
  EXPECT_EQ(http_get(port_, "/api/masterplans/pariaman", ministry).status, 200u);
}

TEST_F(OidcTest, ExpiredWrongAudienceAndWrongIssuerAreRefused) {
  auto expired = claims("budi");
  expired["exp"] = now() - 3600;
  EXPECT_EQ(hello_answer(keys_->sign("k1", expired)), "token_expired");
  auto audience = claims("budi");
  audience["aud"] = "another-app";
  EXPECT_EQ(hello_answer(keys_->sign("k1", audience)), "invalid_token");
  auto issuer = claims("budi");
  issuer["iss"] = "https://evil.example";
  EXPECT_EQ(hello_answer(keys_->sign("k1", issuer)), "invalid_token");
  EXPECT_EQ(http_get(port_, "/api/masterplans", keys_->sign("k1", audience)).status, 401u);
}

TEST_F(OidcTest, RotatedKeysAreFoundByTheirKid) {
  ASSERT_TRUE(keys_->make("k2", "ES256"));
  const std::string token = keys_->sign("k2", claims("budi"));
  keys_->forget("k1");
  keys_->write_jwks();
  EXPECT_EQ(hello_answer(token), "welcome");
}

TEST_F(OidcTest, ALocallyDisabledAccountIsRefused) {
  accounts::Account a;
  a.user = "budi";
  a.display_name = "Budi";
  a.created_at = now();
  ASSERT_TRUE(accounts_->create_account(a).ok());
  ASSERT_TRUE(accounts_->set_disabled("budi", true, now()).ok());
  EXPECT_EQ(hello_answer(keys_->sign("k1", claims("budi"))), "invalid_token");
}

}  // namespace
}  // namespace rembuk::testing
