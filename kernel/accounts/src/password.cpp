#include "rembuk/accounts/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

#include "rembuk/accounts/secret_code.hpp"

namespace rembuk::accounts {

namespace {

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string folded(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  std::string out(text.substr(first, last - first + 1));
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

PasswordCost PasswordCost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string, std::string> hash_password(std::string_view password, PasswordCost cost) {
  if (!sodium_ready()) return fail(std::string("libsodium cannot start"));
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.operations,
                            cost.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(std::string("out of memory for the password hash"));
  }
  return std::string(out);
}

bool verify_password(std::string_view hash, std::string_view password) {
  if (!sodium_ready() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  char stored[crypto_pwhash_STRBYTES] = {};
  std::copy(hash.begin(), hash.end(), stored);
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

const std::string& decoy_hash(PasswordCost cost) {
  static std::mutex mutex;
  static std::map<std::pair<std::uint64_t, std::size_t>, std::string> hashes;
  std::lock_guard lock(mutex);
  auto& hash = hashes[{cost.operations, cost.memory_bytes}];
  if (hash.empty()) {
    auto made = hash_password(random_code(24), cost);
    if (made) hash = std::move(made.value());
  }
  return hash;
}

std::optional<PolicyViolation> check_password_policy(std::string_view password,
                                                     std::string_view user_id,
                                                     const std::vector<std::string>& city_names) {
  if (password.size() > kMaxPasswordLength) {
    return PolicyViolation{"password_too_long", "a password has at most " +
                                                    std::to_string(kMaxPasswordLength) + " bytes"};
  }
  if (code_points(password) < kMinPasswordLength) {
    return PolicyViolation{"password_too_short", "a password has at least " +
                                                     std::to_string(kMinPasswordLength) +
                                                     " characters"};
  }
  const std::string p = folded(password);
  if (!user_id.empty() && p == folded(user_id)) {
    return PolicyViolation{"password_is_user_id", "the password must not be the user id"};
  }
  for (const auto& city : city_names) {
    if (!city.empty() && p == folded(city)) {
      return PolicyViolation{"password_is_city_name", "the password must not be the city's name"};
    }
  }
  return std::nullopt;
}

}  // namespace rembuk::accounts
