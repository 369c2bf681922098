// JWT HS256 issue and verify (grammar in rembuk/server/token.hpp).
#include "rembuk/server/token.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <boost/json.hpp>

#include "rembuk/common/private_file.hpp"

namespace rembuk::server {
namespace {

namespace json = boost::json;

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::array<unsigned char, 32> hmac_sha256(std::string_view secret, std::string_view data) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return out;
}

TokenFailure failure(TokenError error, std::string message) {
  return TokenFailure{error, std::move(message)};
}

std::optional<std::vector<std::string>> string_array(const json::value* v) {
  if (v == nullptr) return std::vector<std::string>{};
  const auto* arr = v->if_array();
  if (arr == nullptr) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : *arr) {
    const auto* s = item.if_string();
    if (s == nullptr) return std::nullopt;
    out.emplace_back(*s);
  }
  return out;
}

std::optional<std::int64_t> integer(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (const auto* i = v->if_int64()) return *i;
  if (const auto* u = v->if_uint64()) {
    if (*u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(*u);
  }
  if (const auto* d = v->if_double()) return static_cast<std::int64_t>(*d);
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& known_roles() {
  static const std::vector<std::string> roles{"viewer", "opd_editor", "tim_pelaksana",
                                              "dewan",  "reviewer",   "kementerian", "admin"};
  return roles;
}

bool Claims::allows(std::string_view masterplan) const {
  return masterplans.empty() ||
         std::find(masterplans.begin(), masterplans.end(), masterplan) != masterplans.end();
}

std::string_view to_string(TokenError error) {
  switch (error) {
    case TokenError::malformed: return "malformed";
    case TokenError::bad_algorithm: return "bad_algorithm";
    case TokenError::bad_signature: return "bad_signature";
    case TokenError::expired: return "expired";
    case TokenError::missing_claim: return "missing_claim";
    case TokenError::revoked: return "revoked";
  }
  return "unknown";
}

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t n = p[i] << 16;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
  } else if (rest == 2) {
    const std::uint32_t n = (p[i] << 16) | (p[i + 1] << 8);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value_of(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // Leftover bits must be zero (canonical encoding).
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

Result<Claims, TokenFailure> verify_token(std::string_view token, std::string_view secret,
                                          std::int64_t now_s) {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return fail(failure(TokenError::malformed, "a token has three dot-separated parts"));
  }
  const auto header_b64 = token.substr(0, dot1);
  const auto claims_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const auto signature_b64 = token.substr(dot2 + 1);

  const auto header_text = base64url_decode(header_b64);
  if (!header_text) return fail(failure(TokenError::malformed, "header is not base64url"));
  boost::system::error_code ec;
  const json::value header = json::parse(*header_text, ec);
  if (ec || !header.is_object()) {
    return fail(failure(TokenError::malformed, "header is not a JSON object"));
  }
  const auto* alg = header.as_object().if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->as_string() != "HS256") {
    return fail(failure(TokenError::bad_algorithm, "only alg HS256 is accepted"));
  }

  // Check the signature before reading any claim.
  const auto signature = base64url_decode(signature_b64);
  if (!signature) return fail(failure(TokenError::malformed, "signature is not base64url"));
  const auto expected = hmac_sha256(secret, token.substr(0, dot2));
  if (signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return fail(failure(TokenError::bad_signature, "signature does not match"));
  }

  const auto claims_text = base64url_decode(claims_b64);
  if (!claims_text) return fail(failure(TokenError::malformed, "claims are not base64url"));
  const json::value claims_json = json::parse(*claims_text, ec);
  if (ec || !claims_json.is_object()) {
    return fail(failure(TokenError::malformed, "claims are not a JSON object"));
  }
  const auto& obj = claims_json.as_object();
  Claims claims;
  const auto* sub = obj.if_contains("sub");
  if (sub == nullptr || !sub->is_string() || sub->as_string().empty()) {
    return fail(failure(TokenError::missing_claim, "claim sub (the user) is required"));
  }
  claims.user = std::string(sub->as_string());
  auto roles = string_array(obj.if_contains("roles"));
  if (!roles) return fail(failure(TokenError::malformed, "claim roles must be strings"));
  if (const auto* sid = obj.if_contains("sid"); sid != nullptr) {
    if (!sid->is_string() || sid->as_string().empty()) {
      return fail(failure(TokenError::malformed, "claim sid is a non-empty string"));
    }
    claims.session = std::string(sid->as_string());
  }
  // A person's roles come from membership; a service token must carry at least one.
  if (roles->empty() && claims.session.empty()) {
    return fail(failure(TokenError::missing_claim, "claim roles is empty"));
  }
  for (const auto& role : *roles) {
    if (std::find(known_roles().begin(), known_roles().end(), role) == known_roles().end()) {
      return fail(failure(TokenError::missing_claim, "unknown role '" + role + "'"));
    }
  }
  claims.roles = std::move(*roles);
  if (const auto* opd = obj.if_contains("opd"); opd != nullptr && !opd->is_null()) {
    if (!opd->is_string()) return fail(failure(TokenError::malformed, "claim opd is a string"));
    claims.opd = std::string(opd->as_string());
  }
  auto masterplans = string_array(obj.if_contains("masterplans"));
  if (!masterplans) {
    return fail(failure(TokenError::malformed, "claim masterplans must be strings"));
  }
  claims.masterplans = std::move(*masterplans);
  const auto exp = integer(obj.if_contains("exp"));
  if (!exp) return fail(failure(TokenError::missing_claim, "claim exp is required"));
  claims.expires_at = *exp;
  claims.issued_at = integer(obj.if_contains("iat")).value_or(0);
  if (claims.expires_at <= now_s) {
    return fail(failure(TokenError::expired, "the token expired"));
  }
  return claims;
}

std::string issue_token(const Claims& claims, std::string_view secret) {
  json::object header{{"alg", "HS256"}, {"typ", "JWT"}};
  json::object body;
  body["sub"] = claims.user;
  json::array roles;
  for (const auto& r : claims.roles) roles.emplace_back(r);
  body["roles"] = std::move(roles);
  if (!claims.opd.empty()) body["opd"] = claims.opd;
  if (!claims.masterplans.empty()) {
    json::array mps;
    for (const auto& m : claims.masterplans) mps.emplace_back(m);
    body["masterplans"] = std::move(mps);
  }
  body["exp"] = claims.expires_at;
  body["iat"] = claims.issued_at;
  body["iss"] = "rembuk";
  if (!claims.session.empty()) body["sid"] = claims.session;
  std::string signing_input =
      base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(body));
  const auto mac = hmac_sha256(secret, signing_input);
  signing_input += ".";
  signing_input += base64url_encode(
      std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  return signing_input;
}

Result<std::string, std::string> load_or_create_secret(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return fail("cannot create " + data_dir + ": " + ec.message());
  const fs::path path = fs::path(data_dir) / "secret";
  if (fs::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return fail("cannot read " + path.string());
    if (secret.size() < 16) return fail(path.string() + " is shorter than 16 bytes");
    return secret;
  }
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return fail(std::string("no randomness for the token secret"));
  }
  const std::string secret(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  auto created = create_private_file(path, secret);
  if (!created) return fail(std::move(created).error());
  // Another process (a second node on this folder) made it first: use theirs.
  if (*created == PrivateFile::already_there) return load_or_create_secret(data_dir);
  return secret;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t multiplier = 1;
  switch (text.back()) {
    case 's': multiplier = 1; text.remove_suffix(1); break;
    case 'm': multiplier = 60; text.remove_suffix(1); break;
    case 'h': multiplier = 3600; text.remove_suffix(1); break;
    case 'd': multiplier = 86400; text.remove_suffix(1); break;
    default: break;
  }
  std::int64_t n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || ptr != text.data() + text.size() || n <= 0 || text.empty()) {
    return std::nullopt;
  }
  if (n > INT64_MAX / multiplier) return std::nullopt;
  return std::chrono::seconds(n * multiplier);
}

}  // namespace rembuk::server
