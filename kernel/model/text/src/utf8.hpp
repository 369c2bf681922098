// UTF-8 by code points: what the text type counts in. Internal to kernel/model/text.
#pragma once

#include <cstddef>
#include <string_view>

namespace rembuk::model::text::utf8 {

inline bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// REQUIRES: valid UTF-8.
inline std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char byte : text) count += is_continuation(byte) ? 0 : 1;
  return count;
}

// The number of bytes of the first `n` code points of `text` (all of it when shorter).
// REQUIRES: valid UTF-8, so a code point's bytes are never split.
inline std::size_t prefix_bytes(std::string_view text, std::size_t n) {
  std::size_t i = 0;
  while (i < text.size() && n > 0) {
    ++i;
    while (i < text.size() && is_continuation(static_cast<unsigned char>(text[i]))) ++i;
    --n;
  }
  return i;
}

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid(std::string_view text);

}  // namespace rembuk::model::text::utf8
