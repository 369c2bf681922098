// Rebuild every snapshot from the events; see rebuild.hpp.
#include "rembuk/projections/rebuild.hpp"

#include "rembuk/model/snapshot_codec.hpp"
#include "rembuk/projections/fold.hpp"

namespace rembuk::projections {

namespace {

constexpr std::size_t rebuild_batch = 4096;

}  // namespace

ProjectionResult<RebuildStats> rebuild(store::EventLog& log, const RebuildOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto started = clock::now();
  auto streams = log.streams();
  if (!streams) return fail(Error{ErrorCode::storage_error, streams.error().message});
  if (auto cleared = log.clear_snapshots(); !cleared) {
    return fail(Error{ErrorCode::storage_error, cleared.error().message});
  }
  RebuildProgress progress;
  progress.streams_total = streams->size();
  for (const auto& info : *streams) progress.events_total += info.revision;
  RebuildStats stats;
  auto last_report = started;
  auto report = [&](bool force) {
    if (!options.progress) return;
    const auto now = clock::now();
    if (!force && now - last_report < options.progress_every) return;
    last_report = now;
    progress.elapsed_s = std::chrono::duration<double>(now - started).count();
    options.progress(progress);
  };
  report(true);
  const std::uint64_t every = options.policy.every;
  for (const auto& info : *streams) {
    model::MasterplanState state = empty_state(info.stream);
    while (state.version < info.revision) {
      // Stop each batch at the next multiple of K so the snapshot lands exactly on it.
      std::uint64_t want = std::min<std::uint64_t>(rebuild_batch, info.revision - state.version);
      if (every != 0) want = std::min(want, every - state.version % every);
      auto batch = log.read_stream(info.stream, state.version + 1, want);
      if (!batch) return fail(Error{ErrorCode::storage_error, batch.error().message});
      if (batch->empty()) {
        return fail(Error{ErrorCode::corrupt, info.stream + " ends at " +
                                                  std::to_string(state.version) + ", expected " +
                                                  std::to_string(info.revision)});
      }
      if (auto folded = fold(state, *batch); !folded) return fail(std::move(folded).error());
      progress.events_done += batch->size();
      stats.events += batch->size();
      if (every != 0 && state.version % every == 0 && state.has_bookkeeping) {
        const std::string bytes = encode_snapshot(state);
        auto put =
            log.put_snapshot(state.id, state.version, bytes, model::snapshot_content_end(bytes));
        if (!put) return fail(Error{ErrorCode::storage_error, put.error().message});
        ++stats.snapshots;
      }
      report(false);
    }
    ++progress.streams_done;
    ++stats.streams;
  }
  report(true);
  stats.elapsed_s = std::chrono::duration<double>(clock::now() - started).count();
  return stats;
}

}  // namespace rembuk::projections
