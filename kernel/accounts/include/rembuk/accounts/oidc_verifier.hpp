// OidcVerifier: accepts the ID or access tokens of a city's or the ministry's own OpenID
// Connect provider (docs/security.md, "Bring the city's own login").
//
//   token  = JWS compact: b64url(header) "." b64url(claims) "." b64url(signature)
//   header = {"alg":"RS256"|"ES256", "kid":…}   (any other alg, "none" and HS256 included,
//                                                is refused before any claim is read)
//   claims = {"iss": = issuer, "aud": = audience or an array holding it, "exp", "nbf"?,
//             <user claim>, <roles claim>?, <opd claim>?}
//
// Keys come from a JWKS (RFC 7517: RSA keys by n/e, P-256 EC keys by x/y), read from a file
// or fetched by a caller-supplied function (for an https:// URL). A key is chosen by `kid`;
// an unknown `kid` makes the verifier read the key set again (a file at once, a URL at most
// every `refetch_interval_s`), so the provider can rotate its keys without a restart.
// Signatures are checked with OpenSSL (RSASSA-PKCS1-v1_5 / ECDSA over SHA-256).
//
// Thread safety: verify() may be called from any thread at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/common/result.hpp"

namespace rembuk::accounts {

struct OidcOptions {
  std::string issuer;
  std::string audience;
  std::string jwks;  // a file path, or an http(s):// URL (then `fetch` is required)
  std::string user_claim = "sub";
  std::string roles_claim = "roles";  // an array of strings (or one string); may be absent
  std::string opd_claim = "opd";
  std::int64_t leeway_s = 60;              // clock skew allowed for exp and nbf
  std::int64_t refetch_interval_s = 30;    // a URL is fetched at most this often
  // Fetches a URL's body. REQUIRES: set when `jwks` is a URL.
  std::function<Result<std::string, std::string>(const std::string& url)> fetch;
};

struct OidcIdentity {
  std::string user;
  std::vector<std::string> roles;
  std::string opd;
  std::int64_t expires_at = 0;
};

struct OidcFailure {
  bool expired = false;  // the only failure a client can cure by signing in again
  std::string message;   // says what is wrong; never repeats the token
};

class OidcVerifier {
 public:
  // Reads the key set once; an error names what is wrong with the options or the key set.
  static Result<std::unique_ptr<OidcVerifier>, std::string> create(OidcOptions options);
  ~OidcVerifier();
  OidcVerifier(const OidcVerifier&) = delete;
  OidcVerifier& operator=(const OidcVerifier&) = delete;

  // Verifies algorithm, key, signature, issuer, audience, expiry at `now_s`.
  Result<OidcIdentity, OidcFailure> verify(std::string_view token, std::int64_t now_s);

  // How many keys are loaded (tests).
  std::size_t key_count() const;

 private:
  struct Impl;
  explicit OidcVerifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rembuk::accounts
