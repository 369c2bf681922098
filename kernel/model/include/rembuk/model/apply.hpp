// apply: folds one recorded event into a masterplan state.
//
// apply is total over events `decide` produced (which passed the rules), and deterministic:
// the same events in the same order give byte-identical canonical JSON. An event of an
// unknown type or with a malformed payload leaves the domain content unchanged but still
// advances `version` (a log written by a newer rembuk stays readable).
//
// REQUIRES: event.revision == state.version + 1 (events of one stream, in order), and the
// event is at its current schema version (run `upcast` first).
#pragma once

#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/event.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

// Mutates `state` in place (cheap; used by the engine on its private copy).
// Bookkeeping::omit changes only the content and the version: the read side's fold for
// views and time travel, which never decide. It clears state.has_bookkeeping, since the
// field-change index and the command records then miss this event.
void apply_in_place(MasterplanState& state, const EventRecord& event,
                    Bookkeeping bookkeeping = Bookkeeping::include);

// The pure form: returns the next state.
inline MasterplanState apply(MasterplanState state, const EventRecord& event) {
  apply_in_place(state, event);
  return state;
}

}  // namespace rembuk::model
