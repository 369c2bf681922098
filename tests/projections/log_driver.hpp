// Test and bench fixture: a real LMDB event log in a temporary folder, fed through the
// model's decode_command + decide (as the engine does it), with a settable commit clock so
// that time-travel tests know every event's time. Accepted commands append their events
// with ExpectedRevision::exact, the command id and the actor; the driver's state then
// folds them back from the log through projections::fold, so the read path is exercised.
#pragma once

#include <stdlib.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/command.hpp"
#include "rembuk/model/decide.hpp"
#include "rembuk/model/schema_registry.hpp"
#include "rembuk/projections/fold.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

#include "rembuk_test/temp_dir.hpp"

namespace rembuk::projections::testing {

namespace json = boost::json;

class TempDir : public rembuk::testing::TempDir {
 public:
  TempDir() : rembuk::testing::TempDir("rembuk-projections") {}
};

// A settable clock shared with the log (microseconds since the epoch).
struct TestClock {
  std::atomic<std::int64_t> now_us{1'546'300'800'000'000};  // 2019-01-01T00:00:00Z
};

inline std::unique_ptr<store::EventLog> open_log(const std::string& path,
                                                 TestClock* clock = nullptr) {
  store::LmdbOptions options;
  options.path = path;
  options.durability = store::Durability::nosync;
  if (clock != nullptr) options.clock = [clock] { return clock->now_us.load(); };
  auto log = store::open_lmdb_event_log(options);
  if (!log.ok()) std::abort();
  return std::move(log).value();
}

inline model::Actor tim(std::string user = "u-tim") {
  return model::Actor{std::move(user), {"tim_pelaksana"}, ""};
}
inline model::Actor opd_editor(std::string user, std::string opd) {
  return model::Actor{std::move(user), {"opd_editor"}, std::move(opd)};
}

// Drives commands into one masterplan of `log`.
class Driver {
 public:
  Driver(store::EventLog& log, std::string masterplan) : log_(log) {
    state_.id = std::move(masterplan);
  }

  // Decides `command` as `actor`; appends and folds when accepted. Returns the rejection
  // code, or "" when accepted.
  std::string run(const json::object& command, const model::Actor& actor = tim(),
                  std::string command_id = {}, std::optional<model::Version> base = {}) {
    auto decoded = model::decode_command(json::value(command), model::SchemaRegistry::builtin());
    if (!decoded) return decoded.error().code;
    model::Command c = std::move(decoded).value();
    c.command_id = command_id.empty() ? state_.id + "-c" + std::to_string(++counter_) : command_id;
    c.base_version = base;
    std::vector<model::EventRecord> undo_events;
    // As the engine: the undone command's events, found through the log's commands index.
    const std::string target = model::undo_target(c);
    auto found = log_.find_command(target);
    if (!target.empty() && found && found.value()) {
      const store::AppendResult& range = *found.value();
      auto events = log_.read_stream(
          state_.id, range.first_revision,
          static_cast<std::size_t>(range.last_revision - range.first_revision + 1));
      if (!events) std::abort();
      for (const auto& e : *events) {
        if (e.command_id == target) undo_events.push_back(*to_event_record(e));
      }
    }
    model::DecideContext context{nullptr, 0, undo_events, {}};
    auto decision = model::decide(state_, c, actor, context);
    if (!decision) return decision.error().code;
    store::AppendRequest request;
    request.stream = state_.id;
    request.expected = store::ExpectedRevision::exact(state_.version);
    request.command_id = c.command_id;
    request.actor = actor.user;
    for (const auto& event : *decision) {
      request.events.push_back({event.type, event.schema_version, json::serialize(event.payload)});
    }
    last_command_id_ = c.command_id;
    auto appended = log_.append(std::move(request));
    if (!appended) return "storage_error";
    auto folded = fold_stream(log_, state_);
    if (!folded) std::abort();
    return "";
  }

  // Runs one envelope of docs/commands.md ("The envelope", as `rembuk import` reads them):
  // its command id, actor and base version are used as given.
  std::string run_envelope(const json::object& envelope) {
    auto actor = model::decode_actor(envelope.at("actor"));
    if (!actor) return actor.error().code;
    std::optional<model::Version> base;
    if (const auto* v = envelope.if_contains("baseVersion")) base = v->to_number<model::Version>();
    return run(envelope.at("command").as_object(), *actor,
               std::string(envelope.at("commandId").as_string()), base);
  }

  std::string run(std::string_view text, const model::Actor& actor = tim()) {
    return run(json::parse(text).as_object(), actor);
  }

  const model::MasterplanState& state() const { return state_; }
  const std::string& last_command_id() const { return last_command_id_; }

 private:
  store::EventLog& log_;
  model::MasterplanState state_;
  int counter_ = 0;
  std::string last_command_id_;
};

}  // namespace rembuk::projections::testing
