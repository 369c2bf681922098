// The bytes of a state snapshot, written by the read side's Snapshotter and rebuild and read
// by the engine's loader and by time travel.
//
// Layout (version 2):
//   "rembuk-snapshot 2\n" <N, decimal> "\n" <content: N bytes> <bookkeeping: the rest>
// where content = canonical_json(state, Bookkeeping::omit) and bookkeeping = the JSON object
// {"usedIds","subtreeChanges","structuralChanges","commands"} of canonical_json. The
// bookkeeping of a long-lived masterplan (one entry per command, per field key and per key
// prefix) is most of the bytes, and only decide needs it, so a read-only reader decodes
// the content and skips the rest, and the log keeps it for the newest snapshot only: an
// older one is its header and content alone, which decodes with Bookkeeping::omit and
// fails with Bookkeeping::include ("bookkeeping is not JSON").
//
// Version 1 is the plain canonical_json(state, Bookkeeping::include) (it starts with '{'),
// which older builds wrote (the engine's snapshots too, until it moved them to its snapshot
// writer thread); decode_state_snapshot reads both.
//
// Never throws; an error names what is malformed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "rembuk/common/result.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

// REQUIRES: state.has_bookkeeping (a read-only state would store an incomplete index).
std::string encode_state_snapshot(const MasterplanState& state);

// How many leading bytes of an encoded snapshot a read-only reader needs: its header and
// content section. What follows is the bookkeeping, which only the engine's decide reads,
// from the newest snapshot (EventLog::put_snapshot keeps the rest of older ones out of the
// log). All of it for a version 1 snapshot or bytes that are not a snapshot.
std::size_t snapshot_content_end(std::string_view bytes);

// False for a snapshot the log keeps without its bookkeeping (an older one): it decodes with
// Bookkeeping::omit only. True for a version 1 snapshot.
bool snapshot_has_bookkeeping(std::string_view bytes);

// Bookkeeping::omit returns a read-only state (has_bookkeeping = false, bookkeeping maps
// empty); Bookkeeping::include the whole state, as a full fold would give.
Result<MasterplanState, std::string> decode_state_snapshot(std::string_view bytes,
                                                     Bookkeeping bookkeeping);

}  // namespace rembuk::model
