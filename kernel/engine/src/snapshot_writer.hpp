// SnapshotWriter: stores masterplan snapshots on a thread of its own, off the edit path.
//
// Encoding a long-lived masterplan's state (its bookkeeping holds an entry per command) takes
// milliseconds; done where the engine settles commits, it held that masterplan's lock and a
// worker for as long, and every edit behind it waited (the ws-edits p99 tail). The engine now
// hands over an immutable copy of the state and goes on; this thread encodes and stores it.
// Offers for one masterplan coalesce: when the thread falls behind, only the newest state of
// each masterplan is written, since a snapshot only shortens a later load.
//
// Thread safety: offer() from any thread. The destructor writes what is pending, then joins.
#pragma once

#include <condition_variable>
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

  // REQUIRES: state->has_bookkeeping (a snapshot is what decide will be loaded from).
  void offer(std::shared_ptr<const model::MasterplanState> state);

 private:
  void run();

  store::EventLog& log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::shared_ptr<const model::MasterplanState>> pending_;  // GUARDED_BY
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;     // last: starts once the members above exist
};

}  // namespace rembuk::engine
