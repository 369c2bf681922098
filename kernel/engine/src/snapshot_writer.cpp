// Snapshots stored off the edit path; see snapshot_writer.hpp.
#include "snapshot_writer.hpp"

#include <algorithm>
#include <cstdio>

#include "rembuk/common/thread_name.hpp"
#include "rembuk/model/snapshot_codec.hpp"

namespace rembuk::engine {

SnapshotWriter::SnapshotWriter(store::EventLog& log)
    : log_(log), thread_([this] {
        name_this_thread("rembuk-snapshot");
        run();
      }) {}

SnapshotWriter::~SnapshotWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool SnapshotWriter::due(const std::string& id, std::uint64_t version, std::uint64_t every) {
  std::lock_guard lock(mutex_);
  const auto it = stored_.find(id);
  if (it == stored_.end()) return true;
  const std::uint64_t interval = std::max(every, it->second.bytes / bytes_per_version);
  // Counted from the multiple of `every` the stored one was due at: the engine may store it
  // a few versions later (once its appends in flight have drained), and the next multiple
  // must not then fall short of the interval by those few versions.
  const std::uint64_t from = every == 0 ? it->second.version : it->second.version - it->second.version % every;
  return version >= from + interval;
}

void SnapshotWriter::remember(const std::string& id, std::uint64_t version,
                              std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = stored_.try_emplace(id, Stored{version, bytes});
  if (!inserted && it->second.version < version) it->second = Stored{version, bytes};
}

void SnapshotWriter::offer(std::shared_ptr<const model::MasterplanState> state) {
  {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = pending_.try_emplace(state->id, state);
    if (!inserted) {
      if (it->second->version >= state->version) return;
      it->second = std::move(state);  // the older one is not worth writing any more
    }
  }
  wake_.notify_one();
}

void SnapshotWriter::run() {
  for (;;) {
    std::shared_ptr<const model::MasterplanState> state;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return !pending_.empty() || stopping_; });
      if (pending_.empty()) return;  // stopping, and everything offered is written
      state = std::move(pending_.begin()->second);
      pending_.erase(pending_.begin());
    }
    // A failed snapshot only costs a longer load later; the events are the truth.
    const std::string bytes = model::encode_state_snapshot(*state);
    auto put = log_.put_snapshot(state->id, state->version, bytes,
                                 model::snapshot_content_end(bytes));
    if (put) {
      std::lock_guard lock(mutex_);
      stored_[state->id] = Stored{state->version, bytes.size()};
    } else {
      std::fprintf(stderr, "rembuk engine: snapshot of %s at %llu not stored: %s\n",
                   state->id.c_str(), static_cast<unsigned long long>(state->version),
                   put.error().message.c_str());
    }
  }
}

}  // namespace rembuk::engine
