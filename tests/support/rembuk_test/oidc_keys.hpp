// OidcKeys: an identity provider for tests — keys made by the `openssl` command line, a JWKS
// file written from them, and RS256 / ES256 tokens signed with them (OpenSSL's C API only
// reads the PEM files and signs). No outside service.
//
// Thread safety: one test thread. Needs OpenSSL::Crypto.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include <boost/json.hpp>

namespace rembuk::testing {

class OidcKeys {
 public:
  explicit OidcKeys(std::filesystem::path dir) : dir_(std::move(dir)) {}
  ~OidcKeys() {
    for (auto& [kid, key] : keys_) EVP_PKEY_free(key.pkey);
  }
  OidcKeys(const OidcKeys&) = delete;
  OidcKeys& operator=(const OidcKeys&) = delete;

  // Makes a key with `openssl genpkey`: alg "RS256" (RSA 2048) or "ES256" (P-256).
  bool make(const std::string& kid, const std::string& alg) {
    const auto pem = dir_ / (kid + ".pem");
    const std::string command =
        alg == "RS256"
            ? "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + pem.string()
            : "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + pem.string();
    if (std::system((command + " 2>/dev/null").c_str()) != 0) return false;
    FILE* f = std::fopen(pem.c_str(), "r");
    if (f == nullptr) return false;
    EVP_PKEY* pkey = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (pkey == nullptr) return false;
    keys_[kid] = Key{alg, pkey};
    return true;
  }

  void forget(const std::string& kid) {
    auto it = keys_.find(kid);
    if (it == keys_.end()) return;
    EVP_PKEY_free(it->second.pkey);
    keys_.erase(it);
  }

  // Writes the public keys as a JWKS file; returns its path.
  std::string write_jwks() const {
    boost::json::array list;
    for (const auto& [kid, key] : keys_) {
      boost::json::object jwk{{"kid", kid}, {"use", "sig"}, {"alg", key.alg}};
      if (key.alg == "RS256") {
        jwk["kty"] = "RSA";
        jwk["n"] = b64url(bn_param(key.pkey, OSSL_PKEY_PARAM_RSA_N, 0));
        jwk["e"] = b64url(bn_param(key.pkey, OSSL_PKEY_PARAM_RSA_E, 0));
      } else {
        jwk["kty"] = "EC";
        jwk["crv"] = "P-256";
        jwk["x"] = b64url(bn_param(key.pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32));
        jwk["y"] = b64url(bn_param(key.pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32));
      }
      list.push_back(std::move(jwk));
    }
    const auto path = dir_ / "jwks.json";
    const auto tmp = dir_ / "jwks.json.tmp";
    std::ofstream(tmp) << boost::json::serialize(boost::json::object{{"keys", list}});
    std::filesystem::rename(tmp, path);
    return path.string();
  }

  // A token signed by key `kid`, with `claims`; `alg` overrides the header's alg.
  std::string sign(const std::string& kid, const boost::json::object& claims,
                   const std::string& alg = {}) const {
    const auto& key = keys_.at(kid);
    const boost::json::object header{{"alg", alg.empty() ? key.alg : alg}, {"typ", "JWT"},
                                     {"kid", kid}};
    const std::string input = b64url(boost::json::serialize(header)) + "." +
                              b64url(boost::json::serialize(claims));
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key.pkey);
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    if (key.alg == "ES256") sig = raw_ecdsa(sig);
    return input + "." + b64url(sig);
  }

  static std::string b64url(const std::string& bytes) {
    static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (; i + 3 <= bytes.size(); i += 3) {
      const unsigned n = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
      out += {a[(n >> 18) & 63], a[(n >> 12) & 63], a[(n >> 6) & 63], a[n & 63]};
    }
    if (bytes.size() - i == 1) {
      const unsigned n = p[i] << 16;
      out += {a[(n >> 18) & 63], a[(n >> 12) & 63]};
    } else if (bytes.size() - i == 2) {
      const unsigned n = (p[i] << 16) | (p[i + 1] << 8);
      out += {a[(n >> 18) & 63], a[(n >> 12) & 63], a[(n >> 6) & 63]};
    }
    return out;
  }

 private:
  struct Key {
    std::string alg;
    EVP_PKEY* pkey = nullptr;
  };

  static std::string bn_param(EVP_PKEY* pkey, const char* name, int pad) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) return {};
    std::string out(pad > 0 ? static_cast<std::size_t>(pad) : static_cast<std::size_t>(BN_num_bytes(bn)),
                    '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
    BN_free(bn);
    return out;
  }

  static std::string raw_ecdsa(const std::string& der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    if (sig == nullptr) return {};
    std::string out(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(out.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(out.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    return out;
  }

  std::filesystem::path dir_;
  std::map<std::string, Key> keys_;
};

}  // namespace rembuk::testing
