#include "rembuk/audit/record_hash.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <cstdlib>

namespace rembuk::audit {
namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
void put_string(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

store::Hash digest_of(std::string_view a, std::string_view b) {
  store::Hash out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int size = 0;
  // A failure of SHA-256 itself is a broken invariant (no memory, a broken OpenSSL).
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx, b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out.data(), &size) != 1 || size != out.size()) {
    std::abort();
  }
  EVP_MD_CTX_free(ctx);
  return out;
}

std::string_view bytes_of(const store::Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

store::Hash record_hash(const store::RecordedEvent& e) {
  std::string canonical;
  canonical.reserve(64 + e.stream.size() + e.type.size() + e.actor.size() +
                    e.command_id.size() + e.payload.size());
  canonical.push_back(1);  // record format 1
  put_u64(canonical, e.position);
  put_string(canonical, e.stream);
  put_u64(canonical, e.revision);
  put_string(canonical, e.type);
  put_u32(canonical, e.schema_version);
  put_u64(canonical, static_cast<std::uint64_t>(e.time_us));
  put_string(canonical, e.actor);
  put_string(canonical, e.command_id);
  put_string(canonical, e.payload);
  return digest_of(bytes_of(e.prev_hash), canonical);
}

store::Hash next_stream_digest(const store::Hash& previous, const store::Hash& event_hash) {
  return digest_of(bytes_of(previous), bytes_of(event_hash));
}

store::Hash sha256(std::string_view bytes) { return digest_of(bytes, {}); }

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 0x0f]);
  }
  return out;
}

std::optional<std::string> parse_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = hex_digit(text[i]);
    const int lo = hex_digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::optional<store::Hash> parse_hash_hex(std::string_view text) {
  if (text.size() != 64) return std::nullopt;
  auto bytes = parse_hex(text);
  if (!bytes) return std::nullopt;
  store::Hash out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>((*bytes)[i]);
  return out;
}

}  // namespace rembuk::audit
