// ISO 8601 times for the read side (UTC, microseconds since the Unix epoch inside).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rembuk::projections {

// "2026-11-24T14:32:37Z", or with ".123456" before the Z when there are microseconds.
std::string format_iso8601(std::int64_t time_us);

// Accepts "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDTHH:MM", "…:SS", "…:SS.f…" (up to 6
// fractional digits), each optionally followed by "Z" or "+HH:MM" / "-HH:MM" (no suffix
// means UTC). nullopt for anything else.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

}  // namespace rembuk::projections
