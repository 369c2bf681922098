// Reading fields of a command or event payload that passed its JSON Schema. The schema
// guarantees the JSON types, so these accessors only supply defaults for absent optional
// fields; they never throw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace rembuk::model::json_access {

inline const boost::json::value* find(const boost::json::object& object, std::string_view key) {
  return object.if_contains(key);
}

inline bool has(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && !value->is_null();
}

inline std::string str(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string());
}

inline std::string_view str_view(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return value->get_string();
}

// Integers may arrive as int64, uint64 or (from other writers) an integral double.
inline std::optional<std::int64_t> to_int(const boost::json::value& value) {
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64()) {
    if (value.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(value.get_uint64());
  }
  if (value.is_double()) {
    double d = value.get_double();
    if (d >= -9.0e18 && d <= 9.0e18 && static_cast<double>(static_cast<std::int64_t>(d)) == d) {
      return static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

inline std::optional<std::int64_t> opt_int(const boost::json::object& object,
                                           std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return std::nullopt;
  return to_int(*value);
}

inline int year(const boost::json::object& object, std::string_view key) {
  auto value = opt_int(object, key);
  if (!value || *value < -100000 || *value > 100000) return 0;
  return static_cast<int>(*value);
}

inline std::optional<double> opt_number(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->to_number<double>();
}

inline bool boolean(const boost::json::object& object, std::string_view key, bool fallback) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_bool()) return fallback;
  return value->get_bool();
}

inline std::vector<std::string> strings(const boost::json::object& object, std::string_view key) {
  std::vector<std::string> result;
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_array()) return result;
  for (const auto& item : value->get_array()) {
    if (item.is_string()) result.emplace_back(item.get_string());
  }
  return result;
}

inline const boost::json::object* obj(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_object()) return nullptr;
  return &value->get_object();
}

inline boost::json::value opt_string_value(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::value(text);
}

inline boost::json::array to_array(const std::vector<std::string>& items) {
  boost::json::array array;
  array.reserve(items.size());
  for (const auto& item : items) array.emplace_back(item);
  return array;
}

}  // namespace rembuk::model::json_access
