// Folding stored events into a masterplan state: decode the record (parse its JSON payload,
// bring it to the current schema version), then model::apply_in_place.
//
// This is the one place where the read side turns store records into model events, so the
// snapshot path, the time-travel path, rebuild and the benchmark fold the same way.
//
// Thread safety: free functions over caller-owned values; no shared state.
#pragma once

#include <span>

#include <boost/json/storage_ptr.hpp>

#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/event.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/projections/errors.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::projections {

// Decodes one record. `storage` (default: the heap) owns the parsed payload, so the record
// must not outlive it; a monotonic_resource per batch makes folding much cheaper. Errors
// have code `corrupt` and name the position.
ProjectionResult<model::EventRecord> to_event_record(const store::RecordedEvent& event,
                                                     boost::json::storage_ptr storage = {});

// Applies `events` (one stream, consecutive revisions starting at state.version + 1).
// REQUIRES: events.front().revision == state.version + 1 when not empty (checked: a gap or an
// event of another stream is reported as `corrupt`, nothing after it is applied).
// Bookkeeping::omit folds the content only (model::apply_in_place): for views and time travel,
// about twice as fast; the state becomes read-only (has_bookkeeping = false).
ProjectionResult<Unit> fold(model::MasterplanState& state,
                            std::span<const store::RecordedEvent> events,
                            model::Bookkeeping bookkeeping = model::Bookkeeping::include);

// Reads the events of `state.id` after state.version up to `to_version` (0: the last) in
// batches and folds them. Returns the number of events applied.
ProjectionResult<std::uint64_t> fold_stream(
    store::EventLog& log, model::MasterplanState& state, model::Version to_version = 0,
    model::Bookkeeping bookkeeping = model::Bookkeeping::include);

// An empty state for stream `masterplan` (version 0, nothing created).
model::MasterplanState empty_state(std::string_view masterplan);

}  // namespace rembuk::projections
