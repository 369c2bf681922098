// Reading a masterplan from the log: latest snapshot + the events after it, and the events
// of one command (for Undo). Payloads are parsed and upcast to their current schema version.
#pragma once

#include <cstdint>

#include <string>
#include <string_view>
#include <vector>

#include "rembuk/model/event.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::engine {

// A stored event as the model folds it. A payload that is not a JSON object or cannot be
// upcast is an ErrorCode::corrupt error naming its position.
store::StoreResult<model::EventRecord> to_event_record(const store::RecordedEvent& recorded);

// The stored snapshot a load started from.
struct LoadedSnapshot {
  std::uint64_t version = 0;  // 0: none (the load folded every event)
  std::uint64_t bytes = 0;
};

// The state of `stream` now (an empty state with id = stream when it has no events); the
// snapshot it started from in `from`, when given.
store::StoreResult<model::MasterplanState> load_masterplan(store::EventLog& log,
                                                           std::string_view stream,
                                                           LoadedSnapshot* from = nullptr);

// Folds the events of `stream` after `state.version` into `state`.
store::StoreResult<Unit> catch_up(store::EventLog& log, model::MasterplanState& state);

// Events of `stream` with revisions [first, last].
store::StoreResult<std::vector<model::EventRecord>> read_revisions(store::EventLog& log,
                                                                   std::string_view stream,
                                                                   model::Version first,
                                                                   model::Version last);

// The events of command `command_id` in `stream` (what Undo needs, model::DecideContext::
// undo_events), found through the log's commands index: empty when the log has no such
// command or it was made on another stream.
store::StoreResult<std::vector<model::EventRecord>> read_command_events(
    store::EventLog& log, std::string_view stream, std::string_view command_id);

}  // namespace rembuk::engine
