#include "bundle_record.hpp"

#include "rembuk/audit/record_hash.hpp"

namespace rembuk::audit::detail {
namespace {

namespace json = boost::json;

std::string_view bytes_of(const store::Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

}  // namespace

json::object record_to_json(std::string_view kind, const store::RecordedEvent& e) {
  json::object o;
  o["kind"] = kind;
  o["position"] = e.position;
  o["stream"] = e.stream;
  o["revision"] = e.revision;
  o["type"] = e.type;
  o["schemaVersion"] = e.schema_version;
  o["timeUs"] = e.time_us;
  o["actor"] = e.actor;
  o["commandId"] = e.command_id;
  o["payload"] = e.payload;
  o["prevHash"] = hex(bytes_of(e.prev_hash));
  o["hash"] = hex(bytes_of(e.hash));
  return o;
}

std::optional<store::RecordedEvent> record_from_json(const json::object& o, std::string* why) {
  auto missing = [why](std::string_view field, std::string_view what) {
    *why = "field '" + std::string(field) + "' is missing or not " + std::string(what);
    return std::nullopt;
  };
  auto str = [&o](std::string_view key) -> const json::string* {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
  };
  auto uint = [&o](std::string_view key) -> std::optional<std::uint64_t> {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_uint64()) return v->as_uint64();
    if (v->is_int64() && v->as_int64() >= 0) return static_cast<std::uint64_t>(v->as_int64());
    return std::nullopt;
  };
  store::RecordedEvent e;
  const auto position = uint("position");
  const auto revision = uint("revision");
  const auto schema = uint("schemaVersion");
  const auto* time = o.if_contains("timeUs");
  const auto* stream = str("stream");
  const auto* type = str("type");
  const auto* actor = str("actor");
  const auto* command_id = str("commandId");
  const auto* payload = str("payload");
  const auto* prev = str("prevHash");
  const auto* hash = str("hash");
  if (!position) return missing("position", "a number");
  if (stream == nullptr) return missing("stream", "a string");
  if (!revision) return missing("revision", "a number");
  if (type == nullptr) return missing("type", "a string");
  if (!schema || *schema > 0xffffffffu) return missing("schemaVersion", "a 32-bit number");
  if (time == nullptr || !time->is_int64()) return missing("timeUs", "a number");
  if (actor == nullptr) return missing("actor", "a string");
  if (command_id == nullptr) return missing("commandId", "a string");
  if (payload == nullptr) return missing("payload", "a string");
  auto prev_hash = prev ? parse_hash_hex(*prev) : std::nullopt;
  auto own_hash = hash ? parse_hash_hex(*hash) : std::nullopt;
  if (!prev_hash) return missing("prevHash", "64 lower-case hex digits");
  if (!own_hash) return missing("hash", "64 lower-case hex digits");
  e.position = *position;
  e.stream = std::string(*stream);
  e.revision = *revision;
  e.type = std::string(*type);
  e.schema_version = static_cast<std::uint32_t>(*schema);
  e.time_us = time->as_int64();
  e.actor = std::string(*actor);
  e.command_id = std::string(*command_id);
  e.payload = std::string(*payload);
  e.prev_hash = *prev_hash;
  e.hash = *own_hash;
  return e;
}

}  // namespace rembuk::audit::detail
