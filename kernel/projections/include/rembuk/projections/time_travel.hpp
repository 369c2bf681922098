// Time travel: a masterplan as it stood at a version, or at a moment.
//
// state_at = the nearest snapshot at or below the version (EventLog::get_snapshot) + the
// events after it, folded. state_at_time finds the last version committed at or before the
// moment by binary search over the stream's revisions (commit times are non-decreasing
// along a stream, since the single writer stamps them in commit order), then state_at.
//
// Thread safety: free functions; they only read the log, which may be used concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/projections/errors.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::projections {

// The state of `masterplan` after version `version` (1 = after its first event).
// not_found: the stream has no events, or fewer than `version`. invalid_argument: version 0.
//
// Bookkeeping: by default the state is read-only (has_bookkeeping = false): the snapshot's
// bookkeeping section is skipped and events are folded content-only, which is what views,
// diff and export need. Bookkeeping::include gives the whole state (what decide needs),
// at several times the cost on a long stream.
ProjectionResult<model::MasterplanState> state_at(
    store::EventLog& log, std::string_view masterplan, model::Version version,
    model::Bookkeeping bookkeeping = model::Bookkeeping::omit);

// The current state (latest snapshot + the events after it). not_found: no such stream.
ProjectionResult<model::MasterplanState> current_state(
    store::EventLog& log, std::string_view masterplan,
    model::Bookkeeping bookkeeping = model::Bookkeeping::omit);

// The last version of `masterplan` committed at or before `time_us` (microseconds since the
// Unix epoch, UTC); nullopt when the stream's first event is later (or there is no stream).
ProjectionResult<std::optional<model::Version>> version_at_time(store::EventLog& log,
                                                                std::string_view masterplan,
                                                                std::int64_t time_us);

// state_at(version_at_time(time_us)). not_found when no version is that old.
ProjectionResult<model::MasterplanState> state_at_time(
    store::EventLog& log, std::string_view masterplan, std::int64_t time_us,
    model::Bookkeeping bookkeeping = model::Bookkeeping::omit);

}  // namespace rembuk::projections
