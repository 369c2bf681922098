// Snapshots every K versions; see snapshotter.hpp.
#include "rembuk/projections/snapshotter.hpp"

#include "rembuk/model/snapshot_codec.hpp"

namespace rembuk::projections {

std::string encode_snapshot(const model::MasterplanState& state) {
  return model::encode_state_snapshot(state);
}

ProjectionResult<model::MasterplanState> decode_snapshot(std::string_view bytes,
                                                         model::Bookkeeping bookkeeping) {
  auto state = model::decode_state_snapshot(bytes, bookkeeping);
  if (!state) return fail(Error{ErrorCode::corrupt, "snapshot does not decode: " + state.error()});
  return std::move(state).value();
}

Snapshotter::Snapshotter(store::EventLog& log, SnapshotPolicy policy)
    : log_(log), policy_(policy) {}

ProjectionResult<bool> Snapshotter::observe(const model::MasterplanState& state) {
  if (policy_.every == 0 || state.version < policy_.every) return false;
  model::Version last = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = last_.find(state.id);
    if (it != last_.end()) last = it->second;
  }
  if (last == 0) {
    // First sight of this stream: the log knows what an earlier process stored.
    auto stored = log_.get_snapshot(state.id, state.version);
    if (!stored) return fail(Error{ErrorCode::storage_error, stored.error().message});
    if (stored->has_value()) last = (*stored)->revision;
  }
  if (state.version / policy_.every <= last / policy_.every) {
    std::lock_guard lock(mutex_);
    auto& remembered = last_[state.id];
    remembered = std::max(remembered, last);
    return false;
  }
  if (auto written = write(state); !written) return fail(std::move(written).error());
  return true;
}

ProjectionResult<Unit> Snapshotter::write(const model::MasterplanState& state) {
  if (!state.has_bookkeeping) {
    return fail(Error{ErrorCode::invalid_argument,
                      "a read-only state of " + state.id + " cannot be snapshotted"});
  }
  const std::string bytes = encode_snapshot(state);
  auto put = log_.put_snapshot(state.id, state.version, bytes, model::snapshot_content_end(bytes));
  if (!put) return fail(Error{ErrorCode::storage_error, put.error().message});
  std::lock_guard lock(mutex_);
  auto& remembered = last_[state.id];
  remembered = std::max(remembered, state.version);
  return Unit{};
}

void Snapshotter::forget() {
  std::lock_guard lock(mutex_);
  last_.clear();
}

}  // namespace rembuk::projections
