// CommitSignal: tells waiting subscriptions how far the log has committed.
//
// The writer publishes the last committed position after every commit; a subscription
// thread waits until the log is past the position it has delivered, or until it is told to
// stop. Thread safety: every member may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

class CommitSignal {
 public:
  explicit CommitSignal(Position committed) : committed_(committed) {}

  void publish(Position committed);
  // Wakes every waiter so it can look at its stop flag. Call after setting the flag.
  void wake_all();
  // Blocks until committed > after or `stop` is set; returns the committed position.
  Position wait_past(Position after, const std::atomic<bool>& stop);
  Position committed() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  Position committed_;  // guarded by mutex_
};

}  // namespace rembuk::store
