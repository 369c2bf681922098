// The bytes of a state snapshot, written by the read side's Snapshotter and rebuild and read
// by the engine's loader and by time travel.
//
// Layout (version 2):
//   "rembuk-snapshot 2\n" <N, decimal> "\n" <content: N bytes> <bookkeeping: the rest>
// where content = canonical_json(state, Bookkeeping::omit) and bookkeeping = the JSON object
// {"usedIds","subtreeChanges","structuralChanges","commands"} of canonical_json. The
// bookkeeping of a long-lived masterplan (one entry per command, per field key and per key
// prefix) is most of the bytes, and only decide needs it, so a read-only reader decodes
// the content and skips the rest.
//
// Version 1 is the plain canonical_json(state, Bookkeeping::include) (it starts with '{'),
// which older builds wrote (the engine's snapshots too, until it moved them to its snapshot
// writer thread); decode_state_snapshot reads both.
//
// Never throws; an error names what is malformed.
#pragma once

#include <string>
#include <string_view>

#include "rembuk/common/result.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

// REQUIRES: state.has_bookkeeping (a read-only state would store an incomplete index).
std::string encode_state_snapshot(const MasterplanState& state);

// Bookkeeping::omit returns a read-only state (has_bookkeeping = false, bookkeeping maps
// empty); Bookkeeping::include the whole state, as a full fold would give.
Result<MasterplanState, std::string> decode_state_snapshot(std::string_view bytes,
                                                     Bookkeeping bookkeeping);

}  // namespace rembuk::model
