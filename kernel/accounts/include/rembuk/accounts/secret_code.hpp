// Secret codes: invitation codes, refresh tokens and session ids, random from libsodium's
// CSPRNG and base64url-encoded; stored only as their SHA-256 (hex), never as themselves.
//
// Thread safety: every function may be called from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rembuk::accounts {

// `bytes` random bytes as unpadded base64url (16 bytes: 128 bits, 22 characters).
std::string random_code(std::size_t bytes);

// SHA-256 of `text`, lowercase hex: the stored form of a secret code.
std::string code_hash(std::string_view text);

// Constant-time equality of two equally long strings (false when the lengths differ).
bool same_secret(std::string_view a, std::string_view b);

}  // namespace rembuk::accounts
