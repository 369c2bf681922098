#include "file_digest.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdlib>

namespace rembuk::plugins::detail {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    std::abort();  // OpenSSL cannot compute SHA-256: a broken installation, not bad input
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0x0F];
  }
  return out;
}

}  // namespace rembuk::plugins::detail

#include <fstream>
#include <iterator>

namespace rembuk::plugins::detail {

std::optional<std::string> file_sha256_hex(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return sha256_hex(bytes);
}

}  // namespace rembuk::plugins::detail
