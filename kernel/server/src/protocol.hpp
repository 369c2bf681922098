// protocol: the wire messages of docs/protocol.md, decoded into typed values and encoded
// from them.
//
// Decoding never throws: JSON is parsed with an error_code and every field is read with
// non-throwing accessors; each failure is a specific ErrorCode with a message naming the
// field (a JSON pointer in `path`). Unknown fields are ignored (clients may be newer).
//
// Client message grammar (one JSON object per text frame):
//   hello       {"type":"hello","token":STRING}
//   subscribe   {"type":"subscribe","masterplan":MP,"fromVersion"?:UINT}
//   unsubscribe {"type":"unsubscribe","masterplan":MP}
//   submit      {"type":"submit","commandId":STR1..128,"masterplan":MP,
//                "baseVersion"?:UINT,"command":{"type":STRING,…}}
//   presence    {"type":"presence","masterplan":MP,"focus"?:ANY(≤ max_focus_bytes)}
//   ping        {"type":"ping"}
//   every one may carry "id": STRING(≤128) | INTEGER, echoed in the direct answer.
//   MP = string of 1..200 bytes without NUL.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "frame.hpp"
#include "rembuk/common/result.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::server::protocol {

enum class ErrorCode {
  bad_json,
  too_deep,
  not_an_object,
  binary_not_supported,
  missing_type,
  unknown_type,
  missing_field,
  invalid_field,
  not_authenticated,
  already_authenticated,
  invalid_token,
  token_expired,
  not_subscribed,
  forbidden,
  too_many_subscriptions,
  rate_limited,
  read_failed,
};

std::string_view to_string(ErrorCode code);

struct Hello {
  std::string token;
};
struct Subscribe {
  std::string masterplan;
  std::uint64_t from_version = 0;
};
struct Unsubscribe {
  std::string masterplan;
};
struct Submit {
  std::string command_id;
  std::string masterplan;
  std::optional<std::uint64_t> base_version;
  boost::json::object command;
};
struct Presence {
  std::string masterplan;
  std::string focus_json = "null";  // the focus, serialised
};
struct Ping {};

using Body = std::variant<Hello, Subscribe, Unsubscribe, Submit, Presence, Ping>;

struct ClientMessage {
  Body body;
  std::string id_json;  // the "id" serialised; empty when absent
};

struct DecodeError {
  ErrorCode code;
  std::string message;
  std::string path;     // JSON pointer of the bad field, when known
  std::string ref;      // the message type, when known
  std::string id_json;  // the "id", when it could be read
};

struct DecodeLimits {
  std::size_t max_focus_bytes = 1024;
  std::size_t max_depth = 32;  // nesting of arrays and objects; deeper is `too_deep`
};

Result<ClientMessage, DecodeError> decode(std::string_view text, const DecodeLimits& limits);

// ---- encoding (server → client) ----

// Appends `text` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view text);

// One stored event as an element of an `events` array (docs/protocol.md, "Event objects").
// The payload is spliced in as stored (the engine wrote it as a JSON object).
void append_event_json(std::string& out, const store::RecordedEvent& event);

// An `events` message. `live` frames can be merged (merge_events); catch-up ones carry
// "catchUp":true and the request id. `current_version` is used when `events` is empty.
FramePtr make_events_frame(std::string_view masterplan,
                           std::span<const store::RecordedEvent> events, bool live,
                           std::uint64_t current_version, std::string_view id_json);

// The same from pointers (a live batch split by masterplan without copying events).
FramePtr make_events_frame(std::string_view masterplan,
                           std::span<const store::RecordedEvent* const> events, bool live,
                           std::uint64_t current_version, std::string_view id_json);

// One `events` message carrying the events of every frame, in order.
// REQUIRES: frames non-empty, all live events frames of one masterplan, contiguous versions.
FramePtr merge_events(std::span<const FramePtr> frames);

std::string encode_error(ErrorCode code, std::string_view message, std::string_view ref = {},
                         std::string_view path = {}, std::string_view id_json = {});
std::string encode_welcome(std::string_view session, std::string_view user,
                           const std::vector<std::string>& roles, std::string_view opd,
                           const std::vector<std::string>& masterplans,
                           const boost::json::object& server, std::string_view id_json);
std::string encode_ack(std::string_view command_id, std::string_view masterplan,
                       std::uint64_t version, bool duplicate, std::string_view id_json);
std::string encode_reject(std::string_view command_id, std::string_view masterplan,
                          std::string_view code, std::string_view message,
                          const boost::json::array& violations, std::string_view id_json);
std::string encode_presence(std::string_view masterplan, std::string_view user,
                            std::string_view session, std::string_view focus_json,
                            bool active);
std::string encode_snapshot(std::string_view masterplan, std::uint64_t version,
                            std::string_view state_json, std::string_view id_json);
std::string encode_unsubscribed(std::string_view masterplan, std::string_view id_json);
std::string encode_pong(std::string_view id_json);

// RFC 3339 UTC with microseconds, e.g. "2026-11-24T15:02:11.123456Z".
std::string format_time_us(std::int64_t time_us);

}  // namespace rembuk::server::protocol
