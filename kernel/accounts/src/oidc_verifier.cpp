// OIDC token verification with OpenSSL 3 (grammar in rembuk/accounts/oidc_verifier.hpp).
#include "rembuk/accounts/oidc_verifier.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

#include <boost/json.hpp>

namespace rembuk::accounts {

namespace json = boost::json;

namespace {

std::optional<std::string> b64url(std::string_view text) {
  if (sodium_init() < 0) return std::nullopt;
  std::string out(text.size() * 3 / 4 + 3, '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct Key {
  std::string alg;  // "RS256" or "ES256"
  std::shared_ptr<EVP_PKEY> pkey;
};

Pkey from_params(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  if (params != nullptr && ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
    if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return Pkey(pkey);
}

Pkey rsa_key(const std::string& n, const std::string& e) {
  BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()),
                           static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()),
                           static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  Pkey key;
  if (bn_n != nullptr && bn_e != nullptr && bld != nullptr &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1) {
    key = from_params("RSA", bld);
  }
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  return key;
}

Pkey p256_key(const std::string& x, const std::string& y) {
  if (x.size() != 32 || y.size() != 32) return nullptr;
  std::string point = "\x04" + x + y;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  Pkey key;
  if (bld != nullptr &&
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) == 1) {
    key = from_params("EC", bld);
  }
  OSSL_PARAM_BLD_free(bld);
  return key;
}

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The keys of a JWKS document by kid; keys of other types or uses are skipped.
Result<std::map<std::string, Key>, std::string> parse_jwks(std::string_view text) {
  boost::system::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return fail(std::string("the key set is not a JSON object"));
  const auto* keys = doc.as_object().if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return fail(std::string("the key set has no \"keys\""));
  std::map<std::string, Key> out;
  for (const auto& item : keys->as_array()) {
    if (!item.is_object()) continue;
    const auto& k = item.as_object();
    const std::string kid = str(k, "kid");
    const std::string use = str(k, "use");
    if (kid.empty() || (!use.empty() && use != "sig")) continue;
    Key key;
    if (str(k, "kty") == "RSA") {
      const auto n = b64url(str(k, "n"));
      const auto e = b64url(str(k, "e"));
      if (!n || !e || n->size() < 256) continue;  // RSA below 2048 bits is refused
      key.alg = "RS256";
      key.pkey = rsa_key(*n, *e);
    } else if (str(k, "kty") == "EC" && str(k, "crv") == "P-256") {
      const auto x = b64url(str(k, "x"));
      const auto y = b64url(str(k, "y"));
      if (!x || !y) continue;
      key.alg = "ES256";
      key.pkey = p256_key(*x, *y);
    } else {
      continue;
    }
    const std::string alg = str(k, "alg");
    if (!key.pkey || (!alg.empty() && alg != key.alg)) continue;
    out.emplace(kid, std::move(key));
  }
  return out;
}

// JWS ES256 signatures are r || s (32 bytes each); OpenSSL wants DER.
std::optional<std::string> ecdsa_der(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool signature_ok(EVP_PKEY* key, std::string_view input, std::string_view signature) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(),
                             reinterpret_cast<const unsigned char*>(input.data()),
                             input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::optional<std::int64_t> seconds(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (const auto* i = v->if_int64()) return *i;
  if (const auto* u = v->if_uint64()) return static_cast<std::int64_t>(*u);
  if (const auto* d = v->if_double()) return static_cast<std::int64_t>(*d);
  return std::nullopt;
}

bool is_url(std::string_view s) {
  return s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
}

}  // namespace

struct OidcVerifier::Impl {
  OidcOptions options;
  mutable std::mutex mutex;
  std::map<std::string, Key> keys;  // GUARDED_BY(mutex)
  std::int64_t last_read_s = 0;     // GUARDED_BY(mutex)

  Result<std::string, std::string> read_source() const {
    if (is_url(options.jwks)) return options.fetch(options.jwks);
    std::ifstream in(options.jwks, std::ios::binary);
    if (!in) return fail("cannot read the key set " + options.jwks);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

  // REQUIRES: mutex held.
  Result<Unit, std::string> reload(std::int64_t now) {
    last_read_s = now;
    auto text = read_source();
    if (!text) return fail(std::move(text).error());
    auto parsed = parse_jwks(*text);
    if (!parsed) return fail(options.jwks + ": " + parsed.error());
    keys = std::move(parsed).value();
    return Unit{};
  }

  std::optional<Key> key_for(const std::string& kid, std::int64_t now) {
    std::lock_guard lock(mutex);
    if (auto it = keys.find(kid); it != keys.end()) return it->second;
    // An unknown kid: the provider may have rotated its keys.
    if (is_url(options.jwks) && now - last_read_s < options.refetch_interval_s) return std::nullopt;
    if (!reload(now)) return std::nullopt;
    if (auto it = keys.find(kid); it != keys.end()) return it->second;
    return std::nullopt;
  }
};

OidcVerifier::OidcVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OidcVerifier::~OidcVerifier() = default;

Result<std::unique_ptr<OidcVerifier>, std::string> OidcVerifier::create(OidcOptions options) {
  if (options.issuer.empty()) return fail(std::string("--oidc-issuer is required"));
  if (options.audience.empty()) return fail(std::string("--oidc-audience is required"));
  if (options.jwks.empty()) return fail(std::string("--oidc-jwks is required"));
  if (is_url(options.jwks) && !options.fetch) {
    return fail(std::string("this build cannot fetch a key set URL; give a file"));
  }
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  {
    std::lock_guard lock(impl->mutex);
    if (auto loaded = impl->reload(now); !loaded) return fail(std::move(loaded).error());
    if (impl->keys.empty()) return fail(impl->options.jwks + ": no RS256 or ES256 signing key");
  }
  return std::unique_ptr<OidcVerifier>(new OidcVerifier(std::move(impl)));
}

std::size_t OidcVerifier::key_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->keys.size();
}

Result<OidcIdentity, OidcFailure> OidcVerifier::verify(std::string_view token,
                                                       std::int64_t now_s) {
  const auto& o = impl_->options;
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return fail(OidcFailure{false, "a token has three dot-separated parts"});
  }
  const auto header_text = b64url(token.substr(0, dot1));
  if (!header_text) return fail(OidcFailure{false, "header is not base64url"});
  boost::system::error_code ec;
  const json::value header = json::parse(*header_text, ec);
  if (ec || !header.is_object()) return fail(OidcFailure{false, "header is not a JSON object"});
  const std::string alg = str(header.as_object(), "alg");
  if (alg != "RS256" && alg != "ES256") {
    return fail(OidcFailure{false, "only alg RS256 and ES256 are accepted from the identity provider"});
  }
  const std::string kid = str(header.as_object(), "kid");
  auto key = impl_->key_for(kid, now_s);
  if (!key) return fail(OidcFailure{false, "no key of the identity provider has this kid"});
  if (key->alg != alg) return fail(OidcFailure{false, "the key's algorithm is not the token's"});
  auto signature = b64url(token.substr(dot2 + 1));
  if (!signature) return fail(OidcFailure{false, "signature is not base64url"});
  if (alg == "ES256") {
    signature = ecdsa_der(*signature);
    if (!signature) return fail(OidcFailure{false, "an ES256 signature has 64 bytes"});
  }
  if (!signature_ok(key->pkey.get(), token.substr(0, dot2), *signature)) {
    return fail(OidcFailure{false, "signature does not match"});
  }
  const auto claims_text = b64url(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!claims_text) return fail(OidcFailure{false, "claims are not base64url"});
  const json::value claims_value = json::parse(*claims_text, ec);
  if (ec || !claims_value.is_object()) return fail(OidcFailure{false, "claims are not a JSON object"});
  const auto& claims = claims_value.as_object();
  if (str(claims, "iss") != o.issuer) return fail(OidcFailure{false, "wrong issuer"});
  bool audience = false;
  if (const auto* aud = claims.if_contains("aud")) {
    if (aud->is_string()) audience = aud->as_string() == o.audience;
    if (aud->is_array()) {
      for (const auto& a : aud->as_array()) audience = audience || (a.is_string() && a.as_string() == o.audience);
    }
  }
  if (!audience) return fail(OidcFailure{false, "wrong audience"});
  const auto exp = seconds(claims, "exp");
  if (!exp) return fail(OidcFailure{false, "claim exp is required"});
  if (*exp + o.leeway_s <= now_s) return fail(OidcFailure{true, "the token expired"});
  if (const auto nbf = seconds(claims, "nbf"); nbf && *nbf - o.leeway_s > now_s) {
    return fail(OidcFailure{false, "the token is not valid yet"});
  }
  OidcIdentity identity;
  identity.user = str(claims, o.user_claim);
  if (identity.user.empty()) return fail(OidcFailure{false, "claim " + o.user_claim + " (the user) is required"});
  identity.expires_at = *exp;
  identity.opd = str(claims, o.opd_claim);
  if (const auto* roles = claims.if_contains(o.roles_claim)) {
    if (roles->is_string()) identity.roles.emplace_back(roles->as_string());
    if (roles->is_array()) {
      for (const auto& r : roles->as_array()) {
        if (r.is_string()) identity.roles.emplace_back(r.as_string());
      }
    }
  }
  return identity;
}

}  // namespace rembuk::accounts
