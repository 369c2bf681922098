#include "request_limits.hpp"

#include <algorithm>

namespace rembuk::store {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The store does not parse JSON (it knows no domain), but a payload that cannot be an object
// is refused here rather than stored and found unreadable later.
bool looks_like_object(std::string_view s) {
  const auto first = std::find_if_not(s.begin(), s.end(), is_space);
  const auto last = std::find_if_not(s.rbegin(), s.rend(), is_space);
  return first != s.end() && *first == '{' && *last == '}';
}

}  // namespace

std::optional<std::string> check_stream_name(std::string_view stream) {
  if (stream.empty() || stream.size() > max_stream_bytes) {
    return "stream name must be 1.." + std::to_string(max_stream_bytes) + " bytes, got " +
           std::to_string(stream.size());
  }
  if (stream.find('\0') != std::string_view::npos) return "stream name contains a NUL byte";
  return std::nullopt;
}

std::optional<std::string> check_append_request(const AppendRequest& r) {
  if (auto why = check_stream_name(r.stream)) return why;
  if (r.events.empty() || r.events.size() > max_events_per_append) {
    return "an append holds 1.." + std::to_string(max_events_per_append) + " events, got " +
           std::to_string(r.events.size());
  }
  if (r.expected_last_command_id.size() > max_command_id_bytes) {
    return "expected last command id must be at most " + std::to_string(max_command_id_bytes) +
           " bytes";
  }
  if (r.command_id.size() > max_command_id_bytes) {
    return "command id must be at most " + std::to_string(max_command_id_bytes) + " bytes";
  }
  if (r.actor.size() > max_actor_bytes) {
    return "actor must be at most " + std::to_string(max_actor_bytes) + " bytes";
  }
  std::size_t total_payload = 0;
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const EventData& e = r.events[i];
    const std::string which = "event " + std::to_string(i) + ": ";
    if (e.type.empty() || e.type.size() > max_type_bytes) {
      return which + "type must be 1.." + std::to_string(max_type_bytes) + " bytes";
    }
    if (e.payload.size() > max_payload_bytes) {
      return which + "payload must be at most " + std::to_string(max_payload_bytes) + " bytes";
    }
    if (!looks_like_object(e.payload)) return which + "payload must be a JSON object";
    total_payload += e.payload.size();
  }
  if (total_payload > max_append_payload_bytes) {
    return "the payloads of one append must total at most " +
           std::to_string(max_append_payload_bytes) + " bytes";
  }
  return std::nullopt;
}

}  // namespace rembuk::store
