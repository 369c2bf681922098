// Passwords: Argon2id hashes (libsodium's crypto_pwhash_str) and the password policy.
//
// A hash is libsodium's self-describing string ("$argon2id$v=19$m=…,t=…,p=1$salt$hash"), so
// the cost can be raised later without breaking stored hashes. Verification is
// crypto_pwhash_str_verify, which compares in constant time.
//
// Thread safety: every function may be called from any thread at once (each call takes
// memory of its own: `PasswordCost::memory_bytes`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/common/result.hpp"

namespace rembuk::accounts {

struct PasswordCost {
  std::uint64_t operations = 0;
  std::size_t memory_bytes = 0;

  // libsodium's "interactive" limits (Argon2id, 64 MiB, 2 passes): the server's default.
  static PasswordCost interactive();
  // libsodium's minimum: for tests only, where hundreds of hashes are made.
  static PasswordCost minimum();
};

// Argon2id hash of `password` with a fresh random salt. An error only when libsodium cannot
// get the memory.
Result<std::string, std::string> hash_password(std::string_view password, PasswordCost cost);

// True when `password` matches `hash`. A malformed hash is a mismatch.
bool verify_password(std::string_view hash, std::string_view password);

// A hash of a random password with `cost`: verifying against it takes as long as against a
// real account's hash, so an unknown user is answered in the same time as a wrong password.
const std::string& decoy_hash(PasswordCost cost);

constexpr std::size_t kMinPasswordLength = 10;
constexpr std::size_t kMaxPasswordLength = 1024;

struct PolicyViolation {
  std::string code;     // "password_too_short", "password_too_long", "password_is_user_id",
                        // "password_is_city_name"
  std::string message;  // for people; never contains the password
};

// The password policy: at least kMinPasswordLength characters (UTF-8 code points), at most
// kMaxPasswordLength bytes, not the user id, not one of `city_names` (compared without
// case and surrounding spaces). nullopt: acceptable.
std::optional<PolicyViolation> check_password_policy(std::string_view password,
                                                     std::string_view user_id,
                                                     const std::vector<std::string>& city_names);

}  // namespace rembuk::accounts
