// Snapshotter: stores the canonical JSON of a masterplan's state (bookkeeping included, so
// the engine can decide from it) through EventLog::put_snapshot every K versions, so that
// the state at any version is the nearest snapshot at or below it plus the events after it.
//
// Rule: a state at version v is written when it is the first state observed at or past a
// multiple of K since the last snapshot of its stream, i.e. floor(v / K) > floor(last / K).
// Folding event by event (rebuild, the live feed) therefore writes exactly at K, 2K, 3K, …;
// an observer that sees only whole commands (several events) writes just past them.
//
// Snapshot bytes: model::encode_state_snapshot (rembuk/model/snapshot_codec.hpp: a content section
// and a bookkeeping section, so read-only time travel skips the bookkeeping), read back with
// model::decode_state_snapshot, which also reads the older plain canonical JSON. The store treats
// them as opaque (docs/projections.md).
//
// Thread safety: every member may be called from any thread at the same time; the memory
// of the last snapshot per stream is guarded by a mutex. Writes for one stream should come
// from one thread (the one that folds it), or a late writer may store an older state at a
// revision another thread already covered, which is harmless (same revision, same bytes).
//
// Lifetime: `log` must outlive the Snapshotter.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/projections/errors.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::projections {

struct SnapshotPolicy {
  std::uint64_t every = 1000;  // K; 0 disables snapshots
};

// The bytes stored for `state`, and the inverse. decode_snapshot never throws; a bad
// snapshot is `corrupt`. With Bookkeeping::omit it decodes only the content section and
// returns a read-only state (has_bookkeeping = false).
// REQUIRES (encode): state.has_bookkeeping.
std::string encode_snapshot(const model::MasterplanState& state);
ProjectionResult<model::MasterplanState> decode_snapshot(
    std::string_view bytes, model::Bookkeeping bookkeeping = model::Bookkeeping::include);

class Snapshotter {
 public:
  // REQUIRES: `log` outlives this object.
  explicit Snapshotter(store::EventLog& log, SnapshotPolicy policy = {});

  // Writes a snapshot of `state` when the rule above says one is due. Returns whether it
  // wrote. The first call for a stream asks the log for its latest snapshot.
  ProjectionResult<bool> observe(const model::MasterplanState& state);

  // Writes a snapshot of `state` now, whatever the rule says. invalid_argument for a
  // read-only state (no bookkeeping), which would make a snapshot the engine cannot decide from.
  ProjectionResult<Unit> write(const model::MasterplanState& state);

  // Forgets what was written (after EventLog::clear_snapshots).
  void forget();

  const SnapshotPolicy& policy() const { return policy_; }

 private:
  store::EventLog& log_;
  const SnapshotPolicy policy_;
  std::mutex mutex_;
  std::map<std::string, model::Version, std::less<>> last_;  // GUARDED_BY(mutex_)
};

}  // namespace rembuk::projections
