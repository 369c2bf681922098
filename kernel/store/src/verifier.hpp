// Verifier: walks a whole log and reports the first problem.
//
// Checks, for each position p = 1, 2, …:
//   the key is p (positions are dense); the record decodes and says position p;
//   prev_hash equals the hash of p-1 (zeros at p = 1); hash = SHA-256(prev_hash ‖ canonical);
//   the stream's revision is its previous revision + 1; the stream index (a `stream_chunks`
//   chunk or the stream's heads tail, keys.hpp) maps (stream, revision) to p;
//   a record with a command id lies inside the range `commands` holds for that id.
// Then the indexes as a whole: `heads` lists exactly the streams seen, each at its last
// revision and position, with the tail its revision calls for; `stream_chunks` has no chunk
// beyond the complete ones of those heads; each `commands` entry spans events
// that carry that command id (counted during the walk: the entries are read again only to
// name a faulty one).
//
// The walk splits: each link is checked against the hash stored in the record before it, so
// ranges of positions are checked on several threads at once, each range noting where every
// stream starts and ends in it; the ranges' stream revisions are then joined in order. The
// head (the last position) and the whole-index checks come from one read transaction taken
// first; the ranges read through transactions begun beside it, which see the same records up
// to that head (the log only grows). A live log keeps being written meanwhile.
//
// Thread safety: any thread; the environment must outlive the call.
#pragma once

#include "log_environment.hpp"
#include "rembuk/store/event_log.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::store {

// Throws LmdbError / StoreException when the log cannot be read at all.
VerifyReport verify_log(LogEnvironment& env, const VerifyOptions& options);

}  // namespace rembuk::store
