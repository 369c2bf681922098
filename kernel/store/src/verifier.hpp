// Verifier: walks a whole log in one read transaction and reports the first problem.
//
// Checks, in this order for each position p = 1, 2, …:
//   the key is p (positions are dense); the record decodes and says position p;
//   prev_hash equals the hash of p-1 (zeros at p = 1); hash = SHA-256(prev_hash ‖ canonical);
//   the stream's revision is its previous revision + 1; the stream index (a `stream_chunks`
//   chunk or the stream's heads tail, keys.hpp) maps (stream, revision) to p;
//   a record with a command id lies inside the range `commands` holds for that id.
// Then the indexes as a whole: `heads` lists exactly the streams seen, each at its last
// revision and position, with the tail its revision calls for; `stream_chunks` has no chunk
// beyond the complete ones of those heads; each `commands` entry spans events
// that carry that command id.
//
// Thread safety: as the transaction it reads through. A long verify keeps its read
// transaction (and so the resize gate) for the whole walk; the writer cannot grow the map
// meanwhile.
#pragma once

#include "lmdb_handles.hpp"
#include "log_environment.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

VerifyReport verify_log(const lmdb::Txn& txn, const Dbis& dbis);

}  // namespace rembuk::store
