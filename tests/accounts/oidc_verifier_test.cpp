// OIDC tokens with keys made by the openssl command line and a JWKS file written by the test.
#include "rembuk/accounts/oidc_verifier.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "rembuk_test/oidc_keys.hpp"
#include "rembuk_test/temp_dir.hpp"

namespace rembuk::accounts {
namespace {

namespace json = boost::json;

class OidcVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(keys_.make("rsa-1", "RS256"));
    ASSERT_TRUE(keys_.make("ec-1", "ES256"));
    OidcOptions o;
    o.issuer = "https://sso.padang.go.id";
    o.audience = "rembuk";
    o.jwks = keys_.write_jwks();
    o.roles_claim = "groups";
    o.opd_claim = "unit";
    o.user_claim = "preferred_username";
    auto made = OidcVerifier::create(o);
    ASSERT_TRUE(made.ok()) << made.error();
    verifier_ = std::move(made).value();
  }

  json::object claims(std::int64_t exp_in = 600) const {
    return {{"iss", "https://sso.padang.go.id"}, {"aud", "rembuk"}, {"sub", "x-123"},
            {"preferred_username", "budi"}, {"groups", json::array{"opd_editor"}},
            {"unit", "diskominfo"}, {"exp", now_ + exp_in}, {"iat", now_}};
  }

  std::string refusal(const std::string& token) {
    auto r = verifier_->verify(token, now_);
    return r.ok() ? "accepted" : r.error().message;
  }

  testing::TempDir dir_{"rembuk-oidc-test"};
  testing::OidcKeys keys_{dir_.path()};
  std::unique_ptr<OidcVerifier> verifier_;
  std::int64_t now_ = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
};

TEST_F(OidcVerifierTest, Rs256AndEs256WithConfiguredClaims) {
  EXPECT_EQ(verifier_->key_count(), 2u);
  for (const char* kid : {"rsa-1", "ec-1"}) {
    auto id = verifier_->verify(keys_.sign(kid, claims()), now_);
    ASSERT_TRUE(id.ok()) << kid << ": " << id.error().message;
    EXPECT_EQ(id->user, "budi");
    EXPECT_EQ(id->roles, std::vector<std::string>{"opd_editor"});
    EXPECT_EQ(id->opd, "diskominfo");
    EXPECT_EQ(id->expires_at, now_ + 600);
  }
  auto c = claims();
  c["aud"] = json::array{"other", "rembuk"};
  EXPECT_EQ(refusal(keys_.sign("ec-1", c)), "accepted");
}

TEST_F(OidcVerifierTest, WrongIssuerAudienceExpiryAndSignatureAreRefused) {
  auto c = claims();
  c["iss"] = "https://evil.example";
  EXPECT_EQ(refusal(keys_.sign("rsa-1", c)), "wrong issuer");
  c = claims();
  c["aud"] = "another-app";
  EXPECT_EQ(refusal(keys_.sign("rsa-1", c)), "wrong audience");
  EXPECT_EQ(refusal(keys_.sign("ec-1", claims(-120))), "the token expired");
  c = claims();
  c["nbf"] = now_ + 3600;
  EXPECT_EQ(refusal(keys_.sign("ec-1", c)), "the token is not valid yet");
  c = claims();
  c.erase("preferred_username");
  EXPECT_NE(refusal(keys_.sign("ec-1", c)).find("preferred_username"), std::string::npos);
  // Tampered claims: the signature no longer matches.
  std::string token = keys_.sign("rsa-1", claims());
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  auto forged = claims();
  forged["groups"] = json::array{"admin"};
  token = token.substr(0, dot1 + 1) + testing::OidcKeys::b64url(json::serialize(forged)) +
          token.substr(dot2);
  EXPECT_EQ(refusal(token), "signature does not match");
}

TEST_F(OidcVerifierTest, OnlyRs256AndEs256AndKnownKeys) {
  // The header says HS256 or none: refused before any key is used.
  EXPECT_NE(refusal(keys_.sign("rsa-1", claims(), "HS256")).find("only alg"), std::string::npos);
  EXPECT_NE(refusal(keys_.sign("rsa-1", claims(), "none")).find("only alg"), std::string::npos);
  // An ES256 header on an RSA key.
  EXPECT_EQ(refusal(keys_.sign("rsa-1", claims(), "ES256")),
            "the key's algorithm is not the token's");
  ASSERT_TRUE(keys_.make("rogue", "ES256"));  // not in the JWKS file
  EXPECT_EQ(refusal(keys_.sign("rogue", claims())), "no key of the identity provider has this kid");
  EXPECT_EQ(refusal("a.b"), "a token has three dot-separated parts");
}

TEST_F(OidcVerifierTest, AnUnknownKidRereadsTheKeySet) {
  ASSERT_TRUE(keys_.make("rsa-2", "RS256"));
  const std::string token = keys_.sign("rsa-2", claims());
  EXPECT_EQ(refusal(token), "no key of the identity provider has this kid");
  // The provider rotates: the new key is published, the old one withdrawn.
  keys_.forget("rsa-1");
  keys_.write_jwks();
  EXPECT_EQ(refusal(token), "accepted");
  EXPECT_EQ(verifier_->key_count(), 2u);  // rsa-2 and ec-1
}

TEST(OidcOptions, BadOptionsAndKeySetsAreRefusedAtStart) {
  testing::TempDir dir("rembuk-oidc-test");
  OidcOptions o;
  o.issuer = "https://sso";
  o.audience = "rembuk";
  EXPECT_FALSE(OidcVerifier::create(o).ok());
  o.jwks = (dir.path() / "missing.json").string();
  EXPECT_NE(OidcVerifier::create(o).error().find("cannot read"), std::string::npos);
  std::ofstream(dir.path() / "empty.json") << R"({"keys":[]})";
  o.jwks = (dir.path() / "empty.json").string();
  EXPECT_NE(OidcVerifier::create(o).error().find("no RS256 or ES256"), std::string::npos);
  o.jwks = "https://sso.example/jwks";
  EXPECT_NE(OidcVerifier::create(o).error().find("cannot fetch"), std::string::npos);
}

}  // namespace
}  // namespace rembuk::accounts
