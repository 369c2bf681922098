// Seeded random texts and operations for the text type's property tests and case generator.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "rembuk/model/text/operation.hpp"

namespace rembuk::model::text::testing {

// Code points of one, two, three and four UTF-8 bytes, so that any slip to bytes shows.
inline const std::vector<std::string>& alphabet() {
  static const std::vector<std::string> letters = {"a", "b", "k", " ", "é", "ñ", "日", "本",
                                                   "😀", "🇮", "\n"};
  return letters;
}

inline std::string random_text(std::mt19937_64& rng, std::size_t max_length) {
  std::uniform_int_distribution<std::size_t> length(0, max_length);
  std::uniform_int_distribution<std::size_t> letter(0, alphabet().size() - 1);
  std::string text;
  for (std::size_t n = length(rng); n > 0; --n) text += alphabet()[letter(rng)];
  return text;
}

// An operation on a text of `length` code points: keeps, inserts and deletes at random.
inline Operation random_op(std::mt19937_64& rng, std::size_t length) {
  Operation op;
  std::size_t left = length;
  std::uniform_int_distribution<int> kind(0, 3);
  while (true) {
    const int k = kind(rng);
    if (k == 0 && left == 0) break;
    if (k == 0 || (k == 3 && left > 0)) {
      std::uniform_int_distribution<std::size_t> n(1, std::max<std::size_t>(1, left));
      const std::size_t count = std::min(left, n(rng));
      Component c = k == 0 ? Component::keep(count) : Component::del(count);
      if (!op.empty() && op.back().kind == c.kind) {
        op.back().length += count;
      } else {
        op.push_back(c);
      }
      left -= count;
    } else if (k == 1 || k == 2) {
      std::string s = random_text(rng, 4);
      if (s.empty()) s = "x";
      if (!op.empty() && op.back().kind == Component::Kind::insert) {
        op.back() = Component::insert(op.back().inserted + s);
      } else {
        op.push_back(Component::insert(s));
      }
    } else {
      break;
    }
    if (left == 0 && kind(rng) < 2) break;
  }
  if (!op.empty() && op.back().kind == Component::Kind::keep) op.pop_back();
  return op;
}

}  // namespace rembuk::model::text::testing
