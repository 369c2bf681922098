#include "protocol.hpp"

#include <charconv>
#include <ctime>

#include <boost/json.hpp>

#include "rembuk/store/event_log.hpp"

namespace rembuk::server::protocol {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxMasterplanBytes = 200;
constexpr std::size_t kMaxCommandIdBytes = 128;
constexpr std::size_t kMaxIdBytes = 128;

DecodeError error(ErrorCode code, std::string message, std::string path = {},
                  std::string ref = {}) {
  return DecodeError{code, std::move(message), std::move(path), std::move(ref), {}};
}

// Reads a required string field; nullopt + `err` set on failure.
std::optional<std::string> required_string(const json::object& obj, std::string_view key,
                                           std::size_t max_bytes, std::string_view ref,
                                           std::optional<DecodeError>& err) {
  const auto* v = obj.if_contains(key);
  const std::string path = "/" + std::string(key);
  if (v == nullptr) {
    err = error(ErrorCode::missing_field, std::string(ref) + " needs \"" + std::string(key) + "\"",
                path, std::string(ref));
    return std::nullopt;
  }
  const auto* s = v->if_string();
  if (s == nullptr) {
    err = error(ErrorCode::invalid_field, "\"" + std::string(key) + "\" must be a string", path,
                std::string(ref));
    return std::nullopt;
  }
  if (s->empty() || s->size() > max_bytes) {
    err = error(ErrorCode::invalid_field,
                "\"" + std::string(key) + "\" must be 1.." + std::to_string(max_bytes) + " bytes",
                path, std::string(ref));
    return std::nullopt;
  }
  if (s->subview().find('\0') != std::string_view::npos) {
    err = error(ErrorCode::invalid_field, "\"" + std::string(key) + "\" must not contain NUL",
                path, std::string(ref));
    return std::nullopt;
  }
  return std::string(*s);
}

// Reads the "masterplan" field: a required string that is not a system stream's name.
std::optional<std::string> required_masterplan(const json::object& obj, std::string_view ref,
                                               std::optional<DecodeError>& err) {
  auto id = required_string(obj, "masterplan", kMaxMasterplanBytes, ref, err);
  if (id && store::is_system_stream(*id)) {
    err = error(ErrorCode::invalid_field,
                "masterplan ids starting with '$' are reserved for the log's own streams",
                "/masterplan", std::string(ref));
    return std::nullopt;
  }
  return id;
}

// Reads an optional non-negative integer; `present` false when absent.
bool optional_uint(const json::object& obj, std::string_view key, std::string_view ref,
                   std::optional<std::uint64_t>& out, std::optional<DecodeError>& err) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return true;
  const std::string path = "/" + std::string(key);
  if (const auto* u = v->if_uint64()) {
    out = *u;
    return true;
  }
  if (const auto* i = v->if_int64()) {
    if (*i >= 0) {
      out = static_cast<std::uint64_t>(*i);
      return true;
    }
  }
  if (const auto* d = v->if_double()) {
    if (*d >= 0 && *d <= 9007199254740992.0 && static_cast<double>(static_cast<std::uint64_t>(*d)) == *d) {
      out = static_cast<std::uint64_t>(*d);
      return true;
    }
  }
  err = error(ErrorCode::invalid_field,
              "\"" + std::string(key) + "\" must be an integer >= 0", path, std::string(ref));
  return false;
}

}  // namespace

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_json: return "bad_json";
    case ErrorCode::too_deep: return "too_deep";
    case ErrorCode::not_an_object: return "not_an_object";
    case ErrorCode::binary_not_supported: return "binary_not_supported";
    case ErrorCode::missing_type: return "missing_type";
    case ErrorCode::unknown_type: return "unknown_type";
    case ErrorCode::missing_field: return "missing_field";
    case ErrorCode::invalid_field: return "invalid_field";
    case ErrorCode::not_authenticated: return "not_authenticated";
    case ErrorCode::already_authenticated: return "already_authenticated";
    case ErrorCode::invalid_token: return "invalid_token";
    case ErrorCode::token_expired: return "token_expired";
    case ErrorCode::not_subscribed: return "not_subscribed";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::too_many_subscriptions: return "too_many_subscriptions";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::read_failed: return "read_failed";
  }
  return "unknown";
}

Result<ClientMessage, DecodeError> decode(std::string_view text, const DecodeLimits& limits) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = limits.max_depth;
  json::value root = json::parse(text, ec, {}, options);
  if (ec == json::error::too_deep) {
    return fail(error(ErrorCode::too_deep, "arrays and objects nest deeper than " +
                                               std::to_string(limits.max_depth) + " levels"));
  }
  if (ec) return fail(error(ErrorCode::bad_json, "not valid JSON: " + ec.message()));
  auto* obj = root.if_object();
  if (obj == nullptr) return fail(error(ErrorCode::not_an_object, "a message is a JSON object"));

  // The id first, so that every later error can echo it.
  std::string id_json;
  if (const auto* id = obj->if_contains("id"); id != nullptr && !id->is_null()) {
    if ((id->is_string() && id->as_string().size() <= kMaxIdBytes) || id->is_int64() ||
        id->is_uint64()) {
      id_json = json::serialize(*id);
    } else {
      return fail(error(ErrorCode::invalid_field,
                        "\"id\" must be a string of at most 128 bytes or an integer", "/id"));
    }
  }
  auto with_id = [&](DecodeError e) {
    e.id_json = id_json;
    return fail(std::move(e));
  };

  const auto* type_value = obj->if_contains("type");
  if (type_value == nullptr || !type_value->is_string()) {
    return with_id(error(ErrorCode::missing_type, "a message needs a string \"type\"", "/type"));
  }
  const std::string type(type_value->as_string());
  std::optional<DecodeError> err;
  ClientMessage message;
  message.id_json = id_json;

  if (type == "hello") {
    auto token = required_string(*obj, "token", 16 * 1024, type, err);
    if (!token) return with_id(std::move(*err));
    message.body = Hello{std::move(*token)};
  } else if (type == "subscribe") {
    auto mp = required_masterplan(*obj, type, err);
    if (!mp) return with_id(std::move(*err));
    std::optional<std::uint64_t> from;
    if (!optional_uint(*obj, "fromVersion", type, from, err)) return with_id(std::move(*err));
    message.body = Subscribe{std::move(*mp), from.value_or(0)};
  } else if (type == "unsubscribe") {
    auto mp = required_masterplan(*obj, type, err);
    if (!mp) return with_id(std::move(*err));
    message.body = Unsubscribe{std::move(*mp)};
  } else if (type == "submit") {
    auto command_id = required_string(*obj, "commandId", kMaxCommandIdBytes, type, err);
    if (!command_id) return with_id(std::move(*err));
    auto mp = required_masterplan(*obj, type, err);
    if (!mp) return with_id(std::move(*err));
    Submit submit;
    submit.command_id = std::move(*command_id);
    submit.masterplan = std::move(*mp);
    if (!optional_uint(*obj, "baseVersion", type, submit.base_version, err)) {
      return with_id(std::move(*err));
    }
    auto* command = obj->if_contains("command");
    if (command == nullptr) {
      return with_id(error(ErrorCode::missing_field, "submit needs \"command\"", "/command", type));
    }
    auto* command_obj = command->if_object();
    if (command_obj == nullptr) {
      return with_id(
          error(ErrorCode::invalid_field, "\"command\" must be an object", "/command", type));
    }
    const auto* command_type = command_obj->if_contains("type");
    if (command_type == nullptr || !command_type->is_string() ||
        command_type->as_string().empty()) {
      return with_id(error(ErrorCode::missing_field, "\"command\" needs a string \"type\"",
                           "/command/type", type));
    }
    submit.command = std::move(*command_obj);
    message.body = std::move(submit);
  } else if (type == "presence") {
    auto mp = required_masterplan(*obj, type, err);
    if (!mp) return with_id(std::move(*err));
    Presence presence;
    presence.masterplan = std::move(*mp);
    if (const auto* focus = obj->if_contains("focus")) {
      presence.focus_json = json::serialize(*focus);
      if (presence.focus_json.size() > limits.max_focus_bytes) {
        return with_id(error(ErrorCode::invalid_field,
                             "\"focus\" is larger than " + std::to_string(limits.max_focus_bytes) +
                                 " bytes",
                             "/focus", type));
      }
    }
    message.body = std::move(presence);
  } else if (type == "ping") {
    message.body = Ping{};
  } else {
    return with_id(error(ErrorCode::unknown_type, "unknown message type \"" + type +
                                                      "\" (hello, subscribe, unsubscribe, "
                                                      "submit, presence, ping)",
                         "/type", type));
  }
  return message;
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

std::string format_time_us(std::int64_t time_us) {
  std::int64_t seconds = time_us / 1'000'000;
  std::int64_t micros = time_us % 1'000'000;
  if (micros < 0) {
    micros += 1'000'000;
    seconds -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buf;
}

void append_event_json(std::string& out, const store::RecordedEvent& event) {
  out += "{\"version\":";
  out += std::to_string(event.revision);
  out += ",\"position\":";
  out += std::to_string(event.position);
  out += ",\"type\":";
  append_json_string(out, event.type);
  out += ",\"schemaVersion\":";
  out += std::to_string(event.schema_version);
  out += ",\"time\":\"";
  out += format_time_us(event.time_us);
  out += "\",\"actor\":";
  append_json_string(out, event.actor);
  out += ",\"commandId\":";
  append_json_string(out, event.command_id);
  out += ",\"payload\":";
  out += event.payload.empty() ? std::string_view("{}") : std::string_view(event.payload);
  out += '}';
}

namespace {
template <typename At>
FramePtr build_events_frame(std::string_view masterplan, std::size_t count, At at, bool live,
                            std::uint64_t current_version, std::string_view id_json) {
  auto frame = std::make_shared<Frame>();
  frame->kind = Frame::Kind::events;
  frame->live = live;
  frame->masterplan = std::string(masterplan);
  std::string& out = frame->bytes;
  out.reserve(64 + masterplan.size() + count * 256);
  out += "{\"type\":\"events\",\"masterplan\":";
  append_json_string(out, masterplan);
  out += ",\"events\":[";
  frame->events_begin = out.size();
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    const store::RecordedEvent& event = at(i);
    append_event_json(out, event);
    if (live && (frame->command_ids.empty() || frame->command_ids.back() != event.command_id)) {
      frame->command_ids.push_back(event.command_id);
    }
  }
  frame->events_end = out.size();
  if (count > 0) {
    frame->first_version = at(0).revision;
    frame->last_version = at(count - 1).revision;
  } else {
    frame->last_version = current_version;
  }
  out += "],\"version\":";
  out += std::to_string(frame->last_version);
  if (!live) out += ",\"catchUp\":true";
  if (!id_json.empty()) {
    out += ",\"id\":";
    out += id_json;
  }
  out += '}';
  return frame;
}
}  // namespace

FramePtr make_events_frame(std::string_view masterplan,
                           std::span<const store::RecordedEvent> events, bool live,
                           std::uint64_t current_version, std::string_view id_json) {
  return build_events_frame(
      masterplan, events.size(), [&](std::size_t i) -> const store::RecordedEvent& {
        return events[i];
      },
      live, current_version, id_json);
}

FramePtr make_events_frame(std::string_view masterplan,
                           std::span<const store::RecordedEvent* const> events, bool live,
                           std::uint64_t current_version, std::string_view id_json) {
  return build_events_frame(
      masterplan, events.size(), [&](std::size_t i) -> const store::RecordedEvent& {
        return *events[i];
      },
      live, current_version, id_json);
}

FramePtr merge_events(std::span<const FramePtr> frames) {
  if (frames.size() == 1) return frames.front();
  auto merged = std::make_shared<Frame>();
  const Frame& first = *frames.front();
  const Frame& last = *frames.back();
  merged->kind = Frame::Kind::events;
  merged->live = true;
  merged->masterplan = first.masterplan;
  std::size_t total = 32;
  for (const auto& f : frames) total += f->events_end - f->events_begin + 1;
  std::string& out = merged->bytes;
  out.reserve(first.events_begin + total);
  out.append(first.bytes, 0, first.events_begin);
  merged->events_begin = out.size();
  bool any = false;
  for (const auto& f : frames) {
    if (f->events_end == f->events_begin) continue;
    if (any) out += ',';
    out.append(f->bytes, f->events_begin, f->events_end - f->events_begin);
    any = true;
  }
  merged->events_end = out.size();
  merged->first_version = first.first_version;
  merged->last_version = last.last_version;
  out += "],\"version\":";
  out += std::to_string(last.last_version);
  out += '}';
  return merged;
}

namespace {
void append_id(std::string& out, std::string_view id_json) {
  if (id_json.empty()) return;
  out += ",\"id\":";
  out += id_json;
}
}  // namespace

std::string encode_error(ErrorCode code, std::string_view message, std::string_view ref,
                         std::string_view path, std::string_view id_json) {
  std::string out = "{\"type\":\"error\",\"code\":\"";
  out += to_string(code);
  out += "\",\"message\":";
  append_json_string(out, message);
  if (!ref.empty()) {
    out += ",\"ref\":";
    append_json_string(out, ref);
  }
  if (!path.empty()) {
    out += ",\"path\":";
    append_json_string(out, path);
  }
  append_id(out, id_json);
  out += '}';
  return out;
}

std::string encode_welcome(std::string_view session, std::string_view user,
                           const std::vector<std::string>& roles, std::string_view opd,
                           const std::vector<std::string>& masterplans,
                           const boost::json::object& server, std::string_view id_json) {
  json::object obj;
  obj["type"] = "welcome";
  obj["session"] = session;
  obj["user"] = user;
  json::array r;
  for (const auto& role : roles) r.emplace_back(role);
  obj["roles"] = std::move(r);
  if (!opd.empty()) obj["opd"] = opd;
  if (!masterplans.empty()) {
    json::array m;
    for (const auto& mp : masterplans) m.emplace_back(mp);
    obj["masterplans"] = std::move(m);
  }
  obj["server"] = server;
  std::string out = json::serialize(obj);
  if (!id_json.empty()) {
    out.pop_back();
    append_id(out, id_json);
    out += '}';
  }
  return out;
}

std::string encode_ack(std::string_view command_id, std::string_view masterplan,
                       std::uint64_t version, bool duplicate, std::string_view id_json) {
  std::string out = "{\"type\":\"ack\",\"commandId\":";
  append_json_string(out, command_id);
  out += ",\"masterplan\":";
  append_json_string(out, masterplan);
  out += ",\"version\":";
  out += std::to_string(version);
  if (duplicate) out += ",\"duplicate\":true";
  append_id(out, id_json);
  out += '}';
  return out;
}

std::string encode_reject(std::string_view command_id, std::string_view masterplan,
                          std::string_view code, std::string_view message,
                          const boost::json::array& violations, std::string_view id_json) {
  std::string out = "{\"type\":\"reject\",\"commandId\":";
  append_json_string(out, command_id);
  out += ",\"masterplan\":";
  append_json_string(out, masterplan);
  out += ",\"code\":";
  append_json_string(out, code);
  out += ",\"message\":";
  append_json_string(out, message);
  out += ",\"violations\":";
  out += json::serialize(violations);
  append_id(out, id_json);
  out += '}';
  return out;
}

std::string encode_presence(std::string_view masterplan, std::string_view user,
                            std::string_view session, std::string_view focus_json,
                            bool active) {
  std::string out = "{\"type\":\"presence\",\"masterplan\":";
  append_json_string(out, masterplan);
  out += ",\"user\":";
  append_json_string(out, user);
  out += ",\"session\":";
  append_json_string(out, session);
  out += ",\"focus\":";
  out += focus_json.empty() ? std::string_view("null") : focus_json;
  out += active ? ",\"state\":\"active\"}" : ",\"state\":\"left\"}";
  return out;
}

std::string encode_snapshot(std::string_view masterplan, std::uint64_t version,
                            std::string_view state_json, std::string_view id_json) {
  std::string out = "{\"type\":\"snapshot\",\"masterplan\":";
  append_json_string(out, masterplan);
  out += ",\"version\":";
  out += std::to_string(version);
  out += ",\"state\":";
  out += state_json;
  append_id(out, id_json);
  out += '}';
  return out;
}

std::string encode_unsubscribed(std::string_view masterplan, std::string_view id_json) {
  std::string out = "{\"type\":\"unsubscribed\",\"masterplan\":";
  append_json_string(out, masterplan);
  append_id(out, id_json);
  out += '}';
  return out;
}

std::string encode_pong(std::string_view id_json) {
  std::string out = "{\"type\":\"pong\"";
  append_id(out, id_json);
  out += '}';
  return out;
}

}  // namespace rembuk::server::protocol
