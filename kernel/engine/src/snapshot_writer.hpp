// SnapshotWriter: stores masterplan snapshots on a thread of its own, off the edit path.
//
// Encoding a long-lived masterplan's state (its bookkeeping holds an entry per command) takes
// milliseconds; done where the engine settles commits, it held that masterplan's lock and a
// worker for as long, and every edit behind it waited (the ws-edits p99 tail). The engine now
// hands over an immutable copy of the state and goes on; this thread encodes and stores it.
// Offers for one masterplan coalesce: when the thread falls behind, only the newest state of
// each masterplan is written, since a snapshot only shortens a later load.
//
// A large state is stored less often: storing it every `every` versions would cost more than
// the events it saves folding (5 MB every 1,000 edits is 5 kB of encoding and writing per
// edit, against events of a few hundred bytes that fold at about a million a second). So
// once a masterplan's snapshot has been stored, the next is due only after max(every, its
// bytes / bytes_per_version) versions: a load then folds at most that many events (5,000
// for a 5 MB state, a few milliseconds).
//
// Thread safety: offer() from any thread. The destructor writes what is pending, then joins.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "rembuk/model/state.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::engine {

class SnapshotWriter {
 public:
  // REQUIRES: `log` outlives this object.
  explicit SnapshotWriter(store::EventLog& log);
  ~SnapshotWriter();
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  // Snapshot bytes each version since the last snapshot may stand for (see above).
  static constexpr std::uint64_t bytes_per_version = 1024;

  // Whether a snapshot of masterplan `id` at `version` is worth offering: true until one of
  // it is known (stored here, or remembered from a load), then once max(every, its bytes /
  // bytes_per_version) versions have passed since it (counted from the multiple of `every`
  // at or below it). Asked before copying the state, which is itself milliseconds at 5 MB.
  bool due(const std::string& id, std::uint64_t version, std::uint64_t every);

  // Records a snapshot of `id` already in the log (the one a load started from), so that
  // due() counts from it rather than from nothing. An older one than known changes nothing.
  void remember(const std::string& id, std::uint64_t version, std::uint64_t bytes);

  // REQUIRES: state->has_bookkeeping (a snapshot is what decide will be loaded from).
  void offer(std::shared_ptr<const model::MasterplanState> state);

 private:
  void run();

  store::EventLog& log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::shared_ptr<const model::MasterplanState>> pending_;  // GUARDED_BY
  struct Stored {
    std::uint64_t version = 0;
    std::uint64_t bytes = 0;
  };
  std::map<std::string, Stored, std::less<>> stored_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;     // last: starts once the members above exist
};

}  // namespace rembuk::engine
