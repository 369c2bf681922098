// SHA-256 of bytes, as lowercase hex (OpenSSL EVP).
#pragma once

#include <string>
#include <string_view>

namespace rembuk::plugins::detail {

std::string sha256_hex(std::string_view bytes);

}  // namespace rembuk::plugins::detail

#include <filesystem>
#include <optional>

namespace rembuk::plugins::detail {

// SHA-256 of a file's bytes; nullopt when it cannot be read.
std::optional<std::string> file_sha256_hex(const std::filesystem::path& file);

}  // namespace rembuk::plugins::detail
