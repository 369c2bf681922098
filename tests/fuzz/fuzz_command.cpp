// Fuzz target: the command path's untrusted half, as `rembuk import` and the server run it:
// engine::parse_envelope_text, then the schema check (model::decode_command), then
// model::decide on a small masterplan (three OPDs, one program, a mission), then apply of
// whatever decide accepted. Nothing may throw or crash; every accepted event must match its
// own schema (apply is only total over such events).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "rembuk/engine/command_engine.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/decide.hpp"
#include "rembuk/model/schema_registry.hpp"

namespace model = rembuk::model;
namespace json = boost::json;

namespace {

const model::Actor& tim() {
  static const model::Actor actor{"u-tim", {"tim_pelaksana"}, ""};
  return actor;
}

// Decides and applies `text` on `state`; false when it was refused.
bool run(model::MasterplanState& state, std::string_view text, const model::Actor& actor) {
  auto decoded = model::decode_command(json::parse(text), model::SchemaRegistry::builtin());
  if (!decoded) return false;
  auto decision = model::decide(state, decoded.value(), actor, model::DecideContext{});
  if (!decision) return false;
  for (const auto& event : decision.value()) {
    model::EventRecord record{event.type, event.schema_version, event.payload, state.version + 1,
                              actor.user, "seed", 0};
    model::apply_in_place(state, record);
  }
  return true;
}

const model::MasterplanState& small_state() {
  static const model::MasterplanState state = [] {
    model::MasterplanState s;
    s.id = "kota-fuzz";
    const char* seed[] = {
        R"({"type":"CreateMasterplan","cityName":"Kota Fuzz","regionCode":"13.71","startYear":2019,"endYear":2028})",
        R"({"type":"RegisterOpd","opdId":"diskominfo","name":"Dinas Komunikasi dan Informatika","shortName":"Diskominfo"})",
        R"({"type":"RegisterOpd","opdId":"bappeda","name":"Badan Perencanaan Pembangunan Daerah"})",
        R"({"type":"RegisterOpd","opdId":"dispar","name":"Dinas Pariwisata"})",
        R"({"type":"AddProgram","programId":"p-gov","title":"Layanan perizinan daring","dimension":"governance","element":"public_service","leadOpd":"diskominfo","startYear":2019,"endYear":2021})",
        R"({"type":"AddMission","missionId":"m-1","text":"Kota yang melayani"})",
    };
    for (const char* text : seed) {
      if (!run(s, text, tim())) std::abort();  // the seed itself must be accepted
    }
    return s;
  }();
  return state;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const model::MasterplanState& base = small_state();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto envelope = rembuk::engine::parse_envelope_text(text);
  if (!envelope) return 0;
  const auto& schemas = model::SchemaRegistry::builtin();
  auto decoded = model::decode_command(json::value(envelope.value().command), schemas);
  if (!decoded) return 0;
  model::Command command = std::move(decoded).value();
  command.command_id = envelope.value().command_id;
  command.base_version = envelope.value().base_version;
  auto decision = model::decide(base, command, envelope.value().actor, model::DecideContext{});
  if (!decision) return 0;
  model::MasterplanState state = base;
  for (const auto& event : decision.value()) {
    if (!schemas.has_event(event.type, event.schema_version)) std::abort();
    if (!schemas.check_event(event.type, event.schema_version, json::value(event.payload))
             .empty()) {
      std::abort();
    }
    model::EventRecord record{event.type, event.schema_version, event.payload,
                              state.version + 1, envelope.value().actor.user,
                              command.command_id, 0};
    model::apply_in_place(state, record);
  }
  return 0;
}
