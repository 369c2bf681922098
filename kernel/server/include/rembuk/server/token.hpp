// Tokens: JWT (RFC 7519) signed with HMAC-SHA256 ("HS256"), so standard tools can make them.
//
//   token   = b64url(header) "." b64url(claims) "." b64url(HMAC-SHA256(secret, first two))
//   header  = {"alg":"HS256","typ":"JWT"}        (any other alg, "none" included, is refused)
//   claims  = {"sub":user, "roles":[…], "opd"?:…, "masterplans"?:[…], "exp":s, "iat"?:s,
//              "iss"?:"rembuk", "sid"?:session}
//
// Two kinds: a service token (`rembuk token issue`, no "sid") carries its roles, OPD and
// masterplans itself; a person's access token (from /api/auth/login, with "sid", 15 minutes)
// carries only the account's global roles (possibly none) — what a person may see and do in
// a masterplan comes from its membership, and the token dies with its refresh session.
//
// The signature is compared in constant time. The secret lives in DATA/secret (32 random
// bytes, created with mode 0600 at first start).
//
// Thread safety: all functions are pure or touch only their arguments (and the file system).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/common/result.hpp"

namespace rembuk::server {

// Every role of rule 8 (docs/commands.md, "Roles").
const std::vector<std::string>& known_roles();

struct Claims {
  std::string user;                      // "sub"
  std::vector<std::string> roles;        // at least one of known_roles()
  std::string opd;                       // empty: none
  std::vector<std::string> masterplans;  // empty: every masterplan
  std::int64_t expires_at = 0;           // "exp", seconds since the epoch
  std::int64_t issued_at = 0;            // "iat"
  std::string session;                   // "sid": the refresh session of a person's token
  bool external = false;                 // a token of the city's own identity provider (OIDC)

  // A person (rembuk's own access token, or an OIDC token), not a service token: what the
  // person may see comes from membership.
  bool person() const { return !session.empty() || external; }

  // True when the token may touch `masterplan` (the masterplans claim).
  bool allows(std::string_view masterplan) const;
};

enum class TokenError {
  malformed,      // not three base64url parts, bad JSON, or a claim of the wrong type
  bad_algorithm,  // header alg is not HS256
  bad_signature,  // the HMAC does not match
  expired,        // exp <= now
  missing_claim,  // sub, roles or exp absent, or an unknown role
  revoked,        // a person's token whose account is disabled or whose session ended
};

std::string_view to_string(TokenError error);

struct TokenFailure {
  TokenError error;
  std::string message;  // for people: which part is wrong
};

// Verifies signature, algorithm and expiry at `now_s` (seconds since the epoch).
Result<Claims, TokenFailure> verify_token(std::string_view token, std::string_view secret,
                                          std::int64_t now_s);

// Signs `claims` (exp and iat as given). REQUIRES: !secret.empty().
std::string issue_token(const Claims& claims, std::string_view secret);

// Reads DATA_DIR/secret, creating it (32 random bytes, mode 0600, and the folder) if absent.
Result<std::string, std::string> load_or_create_secret(const std::string& data_dir);

// "8h", "30m", "45s", "2d", "3600" (seconds).
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace rembuk::server
