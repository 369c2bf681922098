// Reads and checks a plugin's descriptor (plugin.h) into host-owned values.
//
// Everything that comes from a plugin is untrusted: each string is read with a bound
// (REMBUK_PLUGIN_MAX_TEXT), checked for UTF-8 and, where plugin.h says so, for identifier or
// semver syntax; each array is checked for NULL and for a sane count before it is walked.
// What this cannot catch is a wild pointer; isolating that is the hardening issue's job.
#pragma once

#include <string>
#include <string_view>

#include "rembuk/common/result.hpp"
#include "rembuk/plugin.h"
#include "rembuk/plugins/loaded_plugin.hpp"

namespace rembuk::plugins::detail {

// The most entries any descriptor array may have.
inline constexpr std::size_t max_array_entries = 64;

// [a-z][a-z0-9_]{1,63}
bool is_identifier(std::string_view text);
// Semantic Versioning 2.0.0.
bool is_semver(std::string_view text);
// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_utf8(std::string_view text);
// "<plugin>.<identifier>[.<identifier>...]", e.g. "padang.coastal_program_needs_bpbd".
bool is_violation_code(std::string_view code, std::string_view plugin);

// Copies a NUL-terminated plugin string of at most REMBUK_PLUGIN_MAX_TEXT bytes that is
// valid UTF-8. The error says what is wrong with `what` (e.g. "pillars[0].name_id").
Result<std::string, std::string> read_text(const char* text, std::string_view what);

// Checks the whole descriptor. The error is the exact cause, e.g.
// "invalid descriptor: pillars[1].elements[0].id \"Surau\" is not an identifier ...".
// `expected_abi`: the plugin's rembuk_plugin_abi_version (the descriptor must agree).
Result<PluginDescription, std::string> read_descriptor(
    const rembuk_plugin_descriptor* d, std::uint32_t expected_abi = REMBUK_PLUGIN_ABI_VERSION);

}  // namespace rembuk::plugins::detail
