// A masterplan built in memory through decode_command + decide + apply, as the engine
// does it, but without a log. Revisions, actors and command ids are recorded like the
// store would.
#pragma once

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "rembuk/model/apply.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/command.hpp"
#include "rembuk/model/decide.hpp"
#include "rembuk/model/schema_registry.hpp"
#include "rembuk/model/upcaster.hpp"

namespace rembuk::model::testing {

namespace json = boost::json;

inline Actor tim(std::string user = "u-tim") { return Actor{std::move(user), {"tim_pelaksana"}, ""}; }
inline Actor admin() { return Actor{"u-admin", {"admin"}, ""}; }
inline Actor dewan() { return Actor{"u-dewan", {"dewan"}, ""}; }
inline Actor reviewer() { return Actor{"u-expert", {"reviewer"}, ""}; }
inline Actor viewer() { return Actor{"u-viewer", {"viewer"}, ""}; }
inline Actor opd_editor(std::string opd) {
  return Actor{"u-editor-" + opd, {"opd_editor"}, std::move(opd)};
}

inline json::object cmd(std::string_view text) { return json::parse(text).as_object(); }

class Masterplan {
 public:
  explicit Masterplan(std::string id = "kota-contoh") { state_.id = std::move(id); }

  // Decides and, when accepted, applies. `base` = the version the author saw.
  Decision run(const json::object& command, const Actor& actor = tim(),
               std::optional<Version> base = std::nullopt, const Extensions* ext = nullptr,
               std::string command_id = "") {
    auto decoded = decode_command(json::value(command), SchemaRegistry::builtin());
    if (!decoded) return fail(decoded.error());
    Command c = std::move(decoded.value());
    c.base_version = base;
    ++counter_;
    c.command_id = command_id.empty() ? "c" + std::to_string(counter_) : std::move(command_id);
    std::vector<EventRecord> undo_events;
    // As the engine: the undone command's events, found by its id.
    const std::string target = undo_target(c);
    for (const auto& e : log_) {
      if (!target.empty() && e.command_id == target) undo_events.push_back(e);
    }
    // As the engine: the field's older changes when the state's own record lacks them.
    std::vector<EventRecord> text_events;
    if (auto range = text_events_needed(state_, c, undo_events)) {
      for (const auto& e : log_) {
        if (e.revision >= range->first && e.revision <= range->second) text_events.push_back(e);
      }
    }
    DecideContext context{ext, 0, undo_events, text_events};
    Decision decision = decide(state_, c, actor, context);
    if (decision) {
      for (const auto& event : decision.value()) {
        // Every event decide writes matches its own schema.
        EXPECT_TRUE(SchemaRegistry::builtin().has_event(event.type, event.schema_version))
            << event.type << " v" << event.schema_version;
        if (SchemaRegistry::builtin().has_event(event.type, event.schema_version)) {
          auto bad = SchemaRegistry::builtin().check_event(event.type, event.schema_version,
                                                           json::value(event.payload));
          EXPECT_TRUE(bad.empty()) << event.type << " " << json::serialize(event.payload)
                                   << (bad.empty() ? "" : "\n  " + bad[0].path + " " + bad[0].message_en);
        }
        EventRecord record{event.type, event.schema_version, event.payload, state_.version + 1,
                           actor.user, c.command_id, 0};
        apply_in_place(state_, record);
        log_.push_back(std::move(record));
      }
      last_command_id_ = c.command_id;
    }
    return decision;
  }

  // Runs and expects acceptance.
  std::vector<NewEvent> ok(std::string_view text, const Actor& actor = tim(),
                           std::optional<Version> base = std::nullopt) {
    auto decision = run(cmd(text), actor, base);
    EXPECT_TRUE(decision.ok()) << text << "\n  → " << describe(decision);
    return decision ? decision.value() : std::vector<NewEvent>{};
  }

  // Runs and expects rejection with `code`; returns the rejection.
  Rejection rejected(std::string_view text, std::string_view code, const Actor& actor = tim(),
                     std::optional<Version> base = std::nullopt) {
    auto decision = run(cmd(text), actor, base);
    EXPECT_FALSE(decision.ok()) << text << " was accepted";
    if (decision) return {};
    EXPECT_EQ(decision.error().code, code) << text << "\n  → " << describe(decision);
    return decision.error();
  }

  static std::string describe(const Decision& decision) {
    if (decision) return "accepted";
    std::string text = decision.error().code + ": " + decision.error().message;
    for (const auto& v : decision.error().violations) text += "\n    " + v.code + " " + v.path + " " + v.message_en;
    return text;
  }

  const MasterplanState& state() const { return state_; }
  // As if the engine loaded the masterplan from a snapshot taken now.
  void reload_from_snapshot() {
    auto restored = state_from_json(canonical_json(state_, Bookkeeping::include));
    ASSERT_TRUE(restored) << restored.error();
    std::string id = state_.id;
    state_ = std::move(restored.value());
    state_.id = std::move(id);
  }
  const std::vector<EventRecord>& log() const { return log_; }
  const std::string& last_command_id() const { return last_command_id_; }

 private:
  MasterplanState state_;
  std::vector<EventRecord> log_;
  int counter_ = 0;
  std::string last_command_id_;
};

// A 2019–2028 masterplan with three OPDs and one governance program "p-gov".
inline void seed(Masterplan& m) {
  m.ok(R"({"type":"CreateMasterplan","cityName":"Kota Contoh","regionCode":"13.71","startYear":2019,"endYear":2028})");
  m.ok(R"({"type":"RegisterOpd","opdId":"diskominfo","name":"Dinas Komunikasi dan Informatika","shortName":"Diskominfo"})");
  m.ok(R"({"type":"RegisterOpd","opdId":"bappeda","name":"Badan Perencanaan Pembangunan Daerah","shortName":"Bappeda"})");
  m.ok(R"({"type":"RegisterOpd","opdId":"dispar","name":"Dinas Pariwisata"})");
  m.ok(R"({"type":"AddProgram","programId":"p-gov","title":"Layanan perizinan daring","dimension":"governance","element":"public_service","leadOpd":"diskominfo","startYear":2019,"endYear":2021})");
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace rembuk::model::testing
