#include "descriptor_reader.hpp"

#include <cstring>
#include <regex>
#include <set>

namespace rembuk::plugins::detail {
namespace {

std::string shown(std::string_view text) {
  std::string out = "\"";
  for (const char c : text.substr(0, 80)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  if (text.size() > 80) out += "...";
  return out + "\"";
}

bool is_lower_alnum_underscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// A command type as in docs/commands.md: "AddProgram".
bool is_command_type(std::string_view text) {
  if (text.size() < 2 || text.size() > 64 || text[0] < 'A' || text[0] > 'Z') return false;
  for (const char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

// Reads a string that must be non-empty.
Result<std::string, std::string> read_nonempty(const char* text, const std::string& what) {
  auto read = read_text(text, what);
  if (read && read->empty()) return fail(what + " is empty");
  return read;
}

Result<std::string, std::string> read_identifier(const char* text, const std::string& what) {
  auto read = read_text(text, what);
  if (read && !is_identifier(*read)) {
    return fail(what + " " + shown(*read) + " is not an identifier ([a-z][a-z0-9_]{1,63})");
  }
  return read;
}

// The array [items, items + count) is walkable: not NULL when count > 0, count bounded.
Result<Unit, std::string> check_array(const void* items, std::size_t count, std::size_t min,
                                      const std::string& what) {
  if (count < min) {
    return fail(what + " has " + std::to_string(count) + " entries; at least " +
                std::to_string(min) + " required");
  }
  if (count > max_array_entries) {
    return fail(what + " has " + std::to_string(count) + " entries; at most " +
                std::to_string(max_array_entries) + " allowed");
  }
  if (count > 0 && items == nullptr) return fail(what + " is NULL but its count is " + std::to_string(count));
  return Unit{};
}

#define REMBUK_TRY_ASSIGN(target, expr)        \
  do {                                         \
    auto result_ = (expr);                     \
    if (!result_) return fail(result_.error()); \
    target = std::move(result_).value();       \
  } while (false)

#define REMBUK_TRY(expr)                        \
  do {                                          \
    auto result_ = (expr);                      \
    if (!result_) return fail(result_.error()); \
  } while (false)

Result<model::Pillar, std::string> read_pillar(const rembuk_pillar& p, const std::string& at) {
  model::Pillar pillar;
  REMBUK_TRY_ASSIGN(pillar.id, read_identifier(p.id, at + ".id"));
  REMBUK_TRY_ASSIGN(pillar.name_id, read_nonempty(p.name_id, at + ".name_id"));
  REMBUK_TRY_ASSIGN(pillar.name_en, read_nonempty(p.name_en, at + ".name_en"));
  REMBUK_TRY_ASSIGN(pillar.description, read_text(p.description, at + ".description"));
  REMBUK_TRY(check_array(p.elements, p.element_count, 1, at + ".elements"));
  std::set<std::string, std::less<>> ids;
  for (std::size_t i = 0; i < p.element_count; ++i) {
    const std::string eat = at + ".elements[" + std::to_string(i) + "]";
    model::Element element;
    REMBUK_TRY_ASSIGN(element.id, read_identifier(p.elements[i].id, eat + ".id"));
    REMBUK_TRY_ASSIGN(element.name_id, read_nonempty(p.elements[i].name_id, eat + ".name_id"));
    REMBUK_TRY_ASSIGN(element.name_en, read_nonempty(p.elements[i].name_en, eat + ".name_en"));
    if (!ids.insert(element.id).second) {
      return fail(eat + ".id " + shown(element.id) + " repeats an element of the same pillar");
    }
    pillar.elements.push_back(std::move(element));
  }
  return pillar;
}

Result<ValidatorInfo, std::string> read_validator(const rembuk_validator& v,
                                                  const std::string& at) {
  ValidatorInfo info;
  REMBUK_TRY_ASSIGN(info.name, read_identifier(v.name, at + ".name"));
  if (v.validate == nullptr) return fail(at + ".validate is NULL");
  REMBUK_TRY(check_array(v.command_types, v.command_type_count, 1, at + ".command_types"));
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < v.command_type_count; ++i) {
    const std::string tat = at + ".command_types[" + std::to_string(i) + "]";
    std::string type;
    REMBUK_TRY_ASSIGN(type, read_text(v.command_types[i], tat));
    if (!is_command_type(type)) {
      return fail(tat + " " + shown(type) + " is not a command type (e.g. \"AddProgram\")");
    }
    if (seen.insert(type).second) info.command_types.push_back(std::move(type));
  }
  return info;
}

}  // namespace

bool is_identifier(std::string_view text) {
  if (text.size() < 2 || text.size() > 64) return false;
  if (text[0] < 'a' || text[0] > 'z') return false;
  for (const char c : text) {
    if (!is_lower_alnum_underscore(c)) return false;
  }
  return true;
}

bool is_semver(std::string_view text) {
  static const std::regex semver(
      R"(^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*))"
      R"((-((0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?)"
      R"((\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$)");
  return text.size() <= 128 && std::regex_match(text.begin(), text.end(), semver);
}

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

bool is_violation_code(std::string_view code, std::string_view plugin) {
  if (code.size() > 200 || code.substr(0, plugin.size()) != plugin) return false;
  code.remove_prefix(plugin.size());
  if (code.empty()) return false;
  while (!code.empty()) {
    if (code.front() != '.') return false;
    code.remove_prefix(1);
    const std::size_t end = code.find('.');
    const std::string_view part = code.substr(0, end);
    if (part.empty() || part[0] < 'a' || part[0] > 'z') return false;
    for (const char c : part) {
      if (!is_lower_alnum_underscore(c)) return false;
    }
    code.remove_prefix(part.size());
  }
  return true;
}

Result<std::string, std::string> read_text(const char* text, std::string_view what) {
  if (text == nullptr) return fail(std::string(what) + " is NULL");
  const std::size_t size = ::strnlen(text, REMBUK_PLUGIN_MAX_TEXT + 1);
  if (size > REMBUK_PLUGIN_MAX_TEXT) {
    return fail(std::string(what) + " is longer than " + std::to_string(REMBUK_PLUGIN_MAX_TEXT) +
                " bytes (or not NUL-terminated)");
  }
  std::string copy(text, size);
  if (!is_utf8(copy)) return fail(std::string(what) + " is not valid UTF-8");
  return copy;
}

Result<PluginDescription, std::string> read_descriptor(const rembuk_plugin_descriptor* d,
                                                       std::uint32_t expected_abi) {
  if (d == nullptr) return fail(std::string("the entry point returned NULL"));
  if (d->abi_version != expected_abi) {
    return fail("abi_version is " + std::to_string(d->abi_version) + ", expected " +
                std::to_string(expected_abi) +
                " (it disagrees with the rembuk_plugin_abi_version symbol)");
  }
  PluginDescription out;
  REMBUK_TRY_ASSIGN(out.name, read_identifier(d->name, "name"));
  REMBUK_TRY_ASSIGN(out.version, read_text(d->version, "version"));
  if (!is_semver(out.version)) {
    return fail("version " + shown(out.version) + " is not a semantic version (e.g. \"1.0.0\")");
  }
  REMBUK_TRY_ASSIGN(out.region_code, read_nonempty(d->region_code, "region_code"));
  static const std::regex region(R"(^[0-9]{2}(\.?[0-9]{2}){0,3}$)");
  if (!std::regex_match(out.region_code, region)) {
    return fail("region_code " + shown(out.region_code) +
                " is not a Kemendagri/BPS region code (e.g. \"13.71\")");
  }
  REMBUK_TRY_ASSIGN(out.region_name, read_nonempty(d->region_name, "region_name"));
  REMBUK_TRY_ASSIGN(out.description, read_text(d->description, "description"));

  REMBUK_TRY(check_array(d->pillars, d->pillar_count, 0, "pillars"));
  std::set<std::string, std::less<>> pillar_ids;
  for (std::size_t i = 0; i < d->pillar_count; ++i) {
    model::Pillar pillar;
    REMBUK_TRY_ASSIGN(pillar, read_pillar(d->pillars[i], "pillars[" + std::to_string(i) + "]"));
    if (!pillar_ids.insert(pillar.id).second) {
      return fail("pillars[" + std::to_string(i) + "].id " + shown(pillar.id) +
                  " repeats another pillar of this plugin");
    }
    pillar.plugin = out.name;
    out.pillars.push_back(std::move(pillar));
  }

  REMBUK_TRY(check_array(d->validators, d->validator_count, 0, "validators"));
  std::set<std::string, std::less<>> validator_names;
  for (std::size_t i = 0; i < d->validator_count; ++i) {
    ValidatorInfo info;
    REMBUK_TRY_ASSIGN(info,
                      read_validator(d->validators[i], "validators[" + std::to_string(i) + "]"));
    if (!validator_names.insert(info.name).second) {
      return fail("validators[" + std::to_string(i) + "].name " + shown(info.name) +
                  " repeats another validator of this plugin");
    }
    out.validators.push_back(std::move(info));
  }
  return out;
}

}  // namespace rembuk::plugins::detail
