// Rebuild: drops every snapshot and writes them again from the events, folding every
// stream from revision 1 (the views are pure functions of the state, so the snapshots are
// the only stored projection). Used by `rembuk rebuild` after an upgrade that changes apply
// or the snapshot encoding, or to prove that the stored projections follow from the log.
//
// Thread safety: run it while no other writer stores snapshots (the engine may keep
// appending; events committed after a stream was folded are simply not snapshotted yet).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "rembuk/projections/errors.hpp"
#include "rembuk/projections/snapshotter.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::projections {

struct RebuildProgress {
  std::uint64_t events_done = 0;
  std::uint64_t events_total = 0;  // the sum of the streams' revisions when rebuild started
  std::size_t streams_done = 0;
  std::size_t streams_total = 0;
  double elapsed_s = 0;
};

struct RebuildOptions {
  SnapshotPolicy policy;
  // Called on the rebuilding thread, at most every `progress_every` and once at the end.
  std::function<void(const RebuildProgress&)> progress;
  std::chrono::milliseconds progress_every{200};
};

struct RebuildStats {
  std::size_t streams = 0;
  std::uint64_t events = 0;
  std::uint64_t snapshots = 0;
  double elapsed_s = 0;
};

ProjectionResult<RebuildStats> rebuild(store::EventLog& log, const RebuildOptions& options = {});

}  // namespace rembuk::projections
