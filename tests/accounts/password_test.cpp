#include "rembuk/accounts/password.hpp"

#include <gtest/gtest.h>

#include <set>

#include "rembuk/accounts/secret_code.hpp"

namespace rembuk::accounts {
namespace {

TEST(Password, HashIsArgon2idAndVerifies) {
  auto hash = hash_password("kata-sandi-panjang", PasswordCost::minimum());
  ASSERT_TRUE(hash.ok()) << hash.error();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("kata-sandi"), std::string::npos);
  EXPECT_TRUE(verify_password(*hash, "kata-sandi-panjang"));
  EXPECT_FALSE(verify_password(*hash, "kata-sandi-panjanG"));
  EXPECT_FALSE(verify_password(*hash, ""));
}

TEST(Password, SaltMakesEveryHashDifferent) {
  auto a = hash_password("sama-sama-saja", PasswordCost::minimum());
  auto b = hash_password("sama-sama-saja", PasswordCost::minimum());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(Password, MalformedHashIsAMismatch) {
  EXPECT_FALSE(verify_password("", "anything-at-all"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "anything-at-all"));
  EXPECT_FALSE(verify_password(std::string(500, 'x'), "anything-at-all"));
}

TEST(Password, DecoyHashMatchesNothingUsual) {
  const auto& decoy = decoy_hash(PasswordCost::minimum());
  ASSERT_FALSE(decoy.empty());
  EXPECT_EQ(&decoy, &decoy_hash(PasswordCost::minimum()));  // made once
  EXPECT_FALSE(verify_password(decoy, "password123"));
}

TEST(PasswordPolicy, LengthCountsCharactersNotBytes) {
  EXPECT_EQ(check_password_policy("123456789", "budi", {})->code, "password_too_short");
  EXPECT_FALSE(check_password_policy("1234567890", "budi", {}).has_value());
  // 9 characters, 18 bytes: still too short.
  EXPECT_EQ(check_password_policy("ééééééééé", "budi", {})->code, "password_too_short");
  EXPECT_EQ(check_password_policy(std::string(1025, 'a'), "budi", {})->code, "password_too_long");
}

TEST(PasswordPolicy, RefusesUserIdAndCityName) {
  EXPECT_EQ(check_password_policy("budi.santoso", "budi.santoso", {})->code,
            "password_is_user_id");
  EXPECT_EQ(check_password_policy(" Budi.Santoso ", "budi.santoso", {})->code,
            "password_is_user_id");
  EXPECT_EQ(check_password_policy("kota padang", "budi", {"Payakumbuh", "Kota Padang"})->code,
            "password_is_city_name");
  EXPECT_FALSE(check_password_policy("kota padang 2045", "budi", {"Kota Padang"}).has_value());
}

TEST(PasswordPolicy, MessageNeverContainsThePassword) {
  const std::string pw = "rahasia-sekali-budi";
  auto v = check_password_policy(pw, pw, {});
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->message.find(pw), std::string::npos);
}

TEST(SecretCode, RandomCodesAreLongAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto code = random_code(16);
    EXPECT_EQ(code.size(), 22u);  // 128 bits, base64url without padding
    EXPECT_EQ(code.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(SecretCode, HashIsSha256Hex) {
  EXPECT_EQ(code_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(same_secret("abc", "abc"));
  EXPECT_FALSE(same_secret("abc", "abd"));
  EXPECT_FALSE(same_secret("abc", "abcd"));
}

}  // namespace
}  // namespace rembuk::accounts
