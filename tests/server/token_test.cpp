#include "rembuk/server/token.hpp"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace rembuk::server {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;
const std::string kSecret = "0123456789abcdef0123456789abcdef";

Claims sample() {
  Claims c;
  c.user = "u-rina";
  c.roles = {"opd_editor"};
  c.opd = "diskominfo";
  c.masterplans = {"padang-2019"};
  c.expires_at = kNow + 3600;
  c.issued_at = kNow;
  return c;
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 70; ++i) {
    auto decoded = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(decoded.has_value()) << i;
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64url_decode("a").has_value());
  EXPECT_FALSE(base64url_decode("ab+c").has_value());
}

TEST(Token, IssuedTokenVerifies) {
  const auto token = issue_token(sample(), kSecret);
  auto claims = verify_token(token, kSecret, kNow);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->user, "u-rina");
  EXPECT_EQ(claims->roles, std::vector<std::string>{"opd_editor"});
  EXPECT_EQ(claims->opd, "diskominfo");
  EXPECT_EQ(claims->masterplans, std::vector<std::string>{"padang-2019"});
  EXPECT_EQ(claims->expires_at, kNow + 3600);
  EXPECT_TRUE(claims->allows("padang-2019"));
  EXPECT_FALSE(claims->allows("pariaman-2022"));
}

TEST(Token, KnownVectorFromAStandardTool) {
  // Made outside rembuk with Python's hmac/hashlib/base64 per RFC 7519 (the same bytes
  // PyJWT's jwt.encode({"sub":"u-1","roles":["viewer"],"exp":4102444800}, "secret") gives).
  const std::string token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiJ1LTEiLCJyb2xlcyI6WyJ2aWV3ZXIiXSwiZXhwIjo0MTAyNDQ0ODAwfQ."
      "Ek58PLfE8aoFOC1GCdRwQ2dCtOKLHkiq3lStrNGxoFI";
  auto claims = verify_token(token, "secret", kNow);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->user, "u-1");
  EXPECT_EQ(claims->roles, std::vector<std::string>{"viewer"});
  EXPECT_TRUE(claims->allows("anything"));
}

TEST(Token, ExpiredIsRefused) {
  const auto token = issue_token(sample(), kSecret);
  auto claims = verify_token(token, kSecret, kNow + 3600);
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.error().error, TokenError::expired);
}

TEST(Token, WrongSecretOrTamperedClaimsAreRefused) {
  const auto token = issue_token(sample(), kSecret);
  auto wrong = verify_token(token, "another secret of enough length", kNow);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().error, TokenError::bad_signature);

  // Swap the claims for an admin's, keep the signature.
  Claims admin = sample();
  admin.roles = {"admin"};
  const auto other = issue_token(admin, "x-secret-x-secret-x-secret");
  const auto d1 = token.find('.');
  const auto d2 = token.rfind('.');
  const auto o1 = other.find('.');
  const auto o2 = other.rfind('.');
  const std::string forged =
      token.substr(0, d1) + "." + other.substr(o1 + 1, o2 - o1 - 1) + token.substr(d2);
  auto forged_claims = verify_token(forged, kSecret, kNow);
  ASSERT_FALSE(forged_claims.ok());
  EXPECT_EQ(forged_claims.error().error, TokenError::bad_signature);
}

TEST(Token, AlgNoneAndOtherAlgorithmsAreRefused) {
  const auto token = issue_token(sample(), kSecret);
  const auto rest = token.substr(token.find('.'));
  for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"HS512"})", R"({"typ":"JWT"})"}) {
    auto claims = verify_token(base64url_encode(header) + rest, kSecret, kNow);
    ASSERT_FALSE(claims.ok()) << header;
    EXPECT_EQ(claims.error().error, TokenError::bad_algorithm) << header;
  }
}

TEST(Token, MalformedTokensAreRefused) {
  for (const char* bad : {"", "abc", "a.b", "a.b.c.d", "!!.??.**", "e30.e30."}) {
    auto claims = verify_token(bad, kSecret, kNow);
    EXPECT_FALSE(claims.ok()) << bad;
  }
}

TEST(Token, MissingOrUnknownClaimsAreRefused) {
  Claims no_roles = sample();
  no_roles.roles.clear();
  auto a = verify_token(issue_token(no_roles, kSecret), kSecret, kNow);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().error, TokenError::missing_claim);

  Claims bad_role = sample();
  bad_role.roles = {"emperor"};
  auto b = verify_token(issue_token(bad_role, kSecret), kSecret, kNow);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().error, TokenError::missing_claim);

  Claims no_user = sample();
  no_user.user.clear();
  auto c = verify_token(issue_token(no_user, kSecret), kSecret, kNow);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().error, TokenError::missing_claim);
}

TEST(Token, APersonsTokenCarriesItsSessionAndMayHaveNoRoles) {
  Claims c;
  c.user = "budi.santoso";
  c.session = "s-123";
  c.expires_at = kNow + 900;
  auto verified = verify_token(issue_token(c, kSecret), kSecret, kNow);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_TRUE(verified->person());
  EXPECT_EQ(verified->session, "s-123");
  EXPECT_TRUE(verified->roles.empty());
  // A service token (no sid) still needs a role.
  c.session.clear();
  EXPECT_EQ(verify_token(issue_token(c, kSecret), kSecret, kNow).error().error,
            TokenError::missing_claim);
  c.roles = {"kementerian"};
  auto ministry = verify_token(issue_token(c, kSecret), kSecret, kNow);
  ASSERT_TRUE(ministry.ok());
  EXPECT_FALSE(ministry->person());
}

TEST(Secret, CreatedOnceWithMode0600) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("rembuk-secret-" + std::to_string(::getpid()) + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  auto first = load_or_create_secret(dir.string());
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto second = load_or_create_secret(dir.string());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  std::filesystem::remove_all(dir);
}

TEST(Duration, ParsesUnits) {
  EXPECT_EQ(parse_duration("8h"), std::chrono::seconds(8 * 3600));
  EXPECT_EQ(parse_duration("30m"), std::chrono::seconds(1800));
  EXPECT_EQ(parse_duration("45s"), std::chrono::seconds(45));
  EXPECT_EQ(parse_duration("2d"), std::chrono::seconds(172800));
  EXPECT_EQ(parse_duration("90"), std::chrono::seconds(90));
  EXPECT_FALSE(parse_duration("").has_value());
  EXPECT_FALSE(parse_duration("h").has_value());
  EXPECT_FALSE(parse_duration("-1h").has_value());
  EXPECT_FALSE(parse_duration("8x").has_value());
}

}  // namespace
}  // namespace rembuk::server
