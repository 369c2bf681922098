// Forgiving reads of view JSON for the document writers: a missing key reads as empty.
// The views are ours, so a missing key is a view change, not untrusted input; the export
// then shows a blank cell rather than failing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "rembuk/common/number_format.hpp"

namespace rembuk::documents::detail {

inline const boost::json::value& at(const boost::json::value& v, std::string_view key) {
  static const boost::json::value null_value;
  if (!v.is_object()) return null_value;
  const auto* found = v.as_object().if_contains(key);
  return found != nullptr ? *found : null_value;
}

inline const boost::json::array& items(const boost::json::value& v) {
  static const boost::json::array empty;
  return v.is_array() ? v.as_array() : empty;
}

inline std::string text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  // Never the serializer's 1.21E2; counts and amounts go through number_text instead.
  if (v.is_double()) return format_decimal(v.as_double(), Lang::id, 6);
  if (v.is_bool()) return v.as_bool() ? "yes" : "no";
  return {};
}

inline std::string text(const boost::json::value& v, std::string_view key) {
  return text(at(v, key));
}

inline std::int64_t integer(const boost::json::value& v, std::string_view key) {
  const auto& x = at(v, key);
  if (x.is_int64()) return x.as_int64();
  if (x.is_uint64()) return static_cast<std::int64_t>(x.as_uint64());
  if (x.is_double()) return static_cast<std::int64_t>(x.as_double());
  return 0;
}

inline bool flag(const boost::json::value& v, std::string_view key) {
  const auto& x = at(v, key);
  return x.is_bool() && x.as_bool();
}

}  // namespace rembuk::documents::detail
