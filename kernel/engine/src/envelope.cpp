// The command envelope and the outcome's wire form (docs/commands.md, "The envelope").
#include <boost/json.hpp>

#include "rembuk/engine/command_engine.hpp"

namespace rembuk::engine {

namespace json = boost::json;

namespace {

model::Rejection envelope_error(std::string path, std::string message_id,
                                std::string message_en) {
  model::Rejection rejection;
  rejection.code = "schema";
  rejection.message = message_id + " / " + message_en;
  rejection.violations.push_back(model::Violation{"schema", std::move(path), std::move(message_id),
                                                  std::move(message_en), nullptr});
  return rejection;
}

}  // namespace

Result<CommandEnvelope, model::Rejection> parse_envelope(const json::value& value) {
  if (!value.is_object()) {
    return fail(envelope_error("", "Amplop perintah harus berupa objek JSON",
                               "A command envelope must be a JSON object"));
  }
  const auto& object = value.get_object();
  CommandEnvelope envelope;
  const auto* masterplan = object.if_contains("masterplan");
  if (masterplan == nullptr || !masterplan->is_string() || masterplan->get_string().empty() ||
      masterplan->get_string().size() > store::max_stream_bytes ||
      masterplan->get_string().find('\0') != json::string::npos) {
    return fail(envelope_error("/masterplan", "'masterplan' harus teks 1..200 byte",
                               "'masterplan' must be a string of 1..200 bytes"));
  }
  envelope.masterplan = std::string(masterplan->get_string());
  const auto* command_id = object.if_contains("commandId");
  if (command_id == nullptr || !command_id->is_string() || command_id->get_string().empty() ||
      command_id->get_string().size() > store::max_command_id_bytes) {
    return fail(envelope_error("/commandId", "'commandId' harus teks 1..128 byte",
                               "'commandId' must be a string of 1..128 bytes"));
  }
  envelope.command_id = std::string(command_id->get_string());
  const auto* actor = object.if_contains("actor");
  if (actor == nullptr) {
    return fail(envelope_error("/actor", "'actor' tidak ada", "'actor' is missing"));
  }
  auto decoded = model::decode_actor(*actor);
  if (!decoded) return fail(std::move(decoded.error()));
  envelope.actor = std::move(decoded.value());
  if (const auto* base = object.if_contains("baseVersion"); base != nullptr && !base->is_null()) {
    if (base->is_uint64()) {
      envelope.base_version = base->get_uint64();
    } else if (base->is_int64() && base->get_int64() >= 0) {
      envelope.base_version = static_cast<model::Version>(base->get_int64());
    } else {
      return fail(envelope_error("/baseVersion", "'baseVersion' harus bilangan bulat >= 0",
                                 "'baseVersion' must be an integer >= 0"));
    }
  }
  const auto* command = object.if_contains("command");
  if (command == nullptr || !command->is_object()) {
    return fail(envelope_error("/command", "'command' harus berupa objek",
                               "'command' must be an object"));
  }
  envelope.command = command->get_object();
  return envelope;
}

Result<CommandEnvelope, model::Rejection> parse_envelope_text(std::string_view json_text) {
  json::error_code ec;
  json::value value = json::parse(json_text, ec);
  if (ec) {
    return fail(envelope_error("", "Bukan JSON: " + ec.message(), "Not JSON: " + ec.message()));
  }
  return parse_envelope(value);
}

json::object to_json(const model::Violation& violation) {
  json::object object{{"code", violation.code},
                      {"path", violation.path},
                      {"messageId", violation.message_id},
                      {"messageEn", violation.message_en}};
  if (!violation.detail.is_null()) object["detail"] = violation.detail;
  return object;
}

json::object to_json(const Outcome& outcome) {
  json::object object;
  object["commandId"] = outcome.command_id;
  if (outcome.accepted) {
    object["status"] = "ack";
    object["version"] = outcome.version;
    return object;
  }
  object["status"] = "reject";
  object["code"] = outcome.code;
  object["message"] = outcome.message;
  json::array violations;
  for (const auto& v : outcome.violations) violations.push_back(to_json(v));
  object["violations"] = std::move(violations);
  return object;
}

}  // namespace rembuk::engine
