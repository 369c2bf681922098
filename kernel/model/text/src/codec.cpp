// The JSON form of an operation (grammar in operation.hpp) and the UTF-8 check.
#include <cstdint>
#include <optional>

#include <boost/json.hpp>

#include "rembuk/model/text/operation.hpp"
#include "utf8.hpp"

namespace rembuk::model::text {

namespace json = boost::json;

namespace utf8 {

bool valid(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      extra = 1;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      extra = 2;
      if (b0 == 0xE0) low = 0xA0;   // overlong
      if (b0 == 0xED) high = 0x9F;  // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      extra = 3;
      if (b0 == 0xF0) low = 0x90;   // overlong
      if (b0 == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (n - i <= extra) return false;  // truncated
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      const unsigned char lo = k == 1 ? low : 0x80;
      const unsigned char hi = k == 1 ? high : 0xBF;
      if (b < lo || b > hi) return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace utf8

namespace {

Error malformed(std::size_t index, std::string_view why) {
  return Error{"text.malformed_op",
               "component " + std::to_string(index) + " " + std::string(why)};
}

// The largest count: JSON's safe integers (2^53 - 1), so that every count survives encode()
// (signed 64-bit) and a JavaScript client's numbers, and merged neighbours cannot overflow.
constexpr std::size_t kMaxCount = (std::size_t{1} << 53) - 1;

// A positive integer count up to kMaxCount, however Boost.JSON stored it.
std::optional<std::size_t> count(const json::value& v) {
  if (v.is_int64() && v.get_int64() > 0 && static_cast<std::uint64_t>(v.get_int64()) <= kMaxCount) {
    return static_cast<std::size_t>(v.get_int64());
  }
  if (v.is_uint64() && v.get_uint64() > 0 && v.get_uint64() <= kMaxCount) {
    return static_cast<std::size_t>(v.get_uint64());
  }
  return std::nullopt;
}

}  // namespace

Result<Operation, Error> decode(const json::value& value) {
  if (!value.is_array()) {
    return fail(Error{"text.malformed_op", "an operation is a JSON array of components"});
  }
  const json::array& array = value.get_array();
  Operation op;
  op.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    const json::value& v = array[i];
    Component c;
    if (v.is_number()) {
      auto n = count(v);
      if (!n) return fail(malformed(i, "is not a positive whole number (at most 2^53 - 1) of code points to keep"));
      c = Component::keep(*n);
    } else if (v.is_string()) {
      std::string_view s = v.get_string();
      if (s.empty()) return fail(malformed(i, "inserts an empty string"));
      if (!utf8::valid(s)) return fail(malformed(i, "inserts text that is not valid UTF-8"));
      c = Component::insert(std::string(s));
    } else if (v.is_object()) {
      const json::object& o = v.get_object();
      const json::value* d = o.if_contains("d");
      if (o.size() != 1 || d == nullptr) {
        return fail(malformed(i, "is an object other than {\"d\": n}"));
      }
      auto n = count(*d);
      if (!n) return fail(malformed(i, "deletes a count that is not a positive whole number (at most 2^53 - 1)"));
      c = Component::del(*n);
    } else {
      return fail(malformed(i, "is neither a number, a string nor {\"d\": n}"));
    }
    // Normal form: merge with a neighbour of the same kind.
    if (!op.empty() && op.back().kind == c.kind) {
      if (op.back().length > kMaxCount - c.length) {
        return fail(malformed(i, "makes a count larger than 2^53 - 1 with its neighbour"));
      }
      op.back().length += c.length;
      op.back().inserted += c.inserted;
    } else {
      op.push_back(std::move(c));
    }
  }
  if (!op.empty() && op.back().kind == Component::Kind::keep) op.pop_back();
  return op;
}

json::value encode(const Operation& op) {
  // Counts as signed integers: the schema validator (valijson) takes only those for "integer".
  json::array array;
  array.reserve(op.size());
  for (const auto& c : op) {
    switch (c.kind) {
      case Component::Kind::keep:
        array.emplace_back(static_cast<std::int64_t>(c.length));
        break;
      case Component::Kind::insert:
        array.emplace_back(json::string(c.inserted));
        break;
      case Component::Kind::del:
        array.emplace_back(json::object{{"d", static_cast<std::int64_t>(c.length)}});
        break;
    }
  }
  return array;
}

}  // namespace rembuk::model::text
