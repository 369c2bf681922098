// State at a version or a moment: nearest snapshot + the events after it; see time_travel.hpp.
#include "rembuk/projections/time_travel.hpp"

#include "rembuk/model/snapshot_codec.hpp"
#include "rembuk/projections/fold.hpp"
#include "rembuk/projections/snapshotter.hpp"

namespace rembuk::projections {

namespace {

Error storage(const store::Error& error) { return Error{ErrorCode::storage_error, error.message}; }

ProjectionResult<store::Revision> last_revision(store::EventLog& log, std::string_view masterplan) {
  auto info = log.stream_info(masterplan);
  if (!info) return fail(storage(info.error()));
  if (!info->has_value()) {
    return fail(Error{ErrorCode::not_found, "no masterplan " + std::string(masterplan)});
  }
  return (*info)->revision;
}

// The state after `version` from the nearest snapshot. REQUIRES: 1 <= version <= last.
ProjectionResult<model::MasterplanState> load(store::EventLog& log, std::string_view masterplan,
                                              model::Version version,
                                              model::Bookkeeping bookkeeping) {
  model::MasterplanState state = empty_state(masterplan);
  auto snapshot = log.get_snapshot(masterplan, version);
  if (!snapshot) return fail(storage(snapshot.error()));
  // Only the newest snapshot keeps its bookkeeping (EventLog::put_snapshot); a state with
  // bookkeeping at an older version is folded from the first event.
  if (snapshot->has_value() && bookkeeping == model::Bookkeeping::include &&
      !model::snapshot_has_bookkeeping((*snapshot)->bytes)) {
    snapshot->reset();
  }
  if (snapshot->has_value()) {
    auto decoded = decode_snapshot((*snapshot)->bytes, bookkeeping);
    if (!decoded) return fail(std::move(decoded).error());
    state = std::move(decoded).value();
    if (state.version != (*snapshot)->revision || state.id != masterplan) {
      return fail(Error{ErrorCode::corrupt,
                        "snapshot of " + std::string(masterplan) + " at revision " +
                            std::to_string((*snapshot)->revision) + " holds " + state.id +
                            " version " + std::to_string(state.version)});
    }
  }
  auto folded = fold_stream(log, state, version, bookkeeping);
  if (!folded) return fail(std::move(folded).error());
  if (state.version != version) {
    return fail(Error{ErrorCode::corrupt, "stream " + std::string(masterplan) + " ends at " +
                                              std::to_string(state.version) + ", expected " +
                                              std::to_string(version)});
  }
  return state;
}

}  // namespace

ProjectionResult<model::MasterplanState> state_at(store::EventLog& log,
                                                  std::string_view masterplan,
                                                  model::Version version,
                                                  model::Bookkeeping bookkeeping) {
  if (version == 0) return fail(Error{ErrorCode::invalid_argument, "version must be >= 1"});
  auto last = last_revision(log, masterplan);
  if (!last) return fail(std::move(last).error());
  if (version > *last) {
    return fail(Error{ErrorCode::not_found, std::string(masterplan) + " has " +
                                                std::to_string(*last) + " versions, not " +
                                                std::to_string(version)});
  }
  return load(log, masterplan, version, bookkeeping);
}

ProjectionResult<model::MasterplanState> current_state(store::EventLog& log,
                                                       std::string_view masterplan,
                                                       model::Bookkeeping bookkeeping) {
  auto last = last_revision(log, masterplan);
  if (!last) return fail(std::move(last).error());
  return load(log, masterplan, *last, bookkeeping);
}

ProjectionResult<std::optional<model::Version>> version_at_time(store::EventLog& log,
                                                                std::string_view masterplan,
                                                                std::int64_t time_us) {
  auto info = log.stream_info(masterplan);
  if (!info) return fail(storage(info.error()));
  if (!info->has_value()) return std::optional<model::Version>{};
  // Invariant: revision `lo` is at or before time_us (lo = 0: nothing is), `hi + 1` is after.
  model::Version lo = 0;
  model::Version hi = (*info)->revision;
  while (lo < hi) {
    model::Version mid = lo + (hi - lo + 1) / 2;
    auto event = log.read_stream(masterplan, mid, 1);
    if (!event) return fail(storage(event.error()));
    if (event->empty()) {
      return fail(Error{ErrorCode::corrupt, "revision " + std::to_string(mid) + " of " +
                                                std::string(masterplan) + " is missing"});
    }
    if (event->front().time_us <= time_us) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  if (lo == 0) return std::optional<model::Version>{};
  return std::optional<model::Version>{lo};
}

ProjectionResult<model::MasterplanState> state_at_time(store::EventLog& log,
                                                       std::string_view masterplan,
                                                       std::int64_t time_us,
                                                       model::Bookkeeping bookkeeping) {
  auto version = version_at_time(log, masterplan, time_us);
  if (!version) return fail(std::move(version).error());
  if (!version->has_value()) {
    return fail(Error{ErrorCode::not_found,
                      std::string(masterplan) + " has no version at or before that time"});
  }
  return load(log, masterplan, **version, bookkeeping);
}

}  // namespace rembuk::projections
