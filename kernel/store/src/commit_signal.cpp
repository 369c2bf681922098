#include "commit_signal.hpp"

namespace rembuk::store {

void CommitSignal::publish(Position committed) {
  {
    std::lock_guard lock(mutex_);
    // Never backwards: the Postgres log publishes from its writer and its LISTEN thread,
    // whose news may arrive in either order.
    if (committed > committed_) committed_ = committed;
  }
  cv_.notify_all();
}

void CommitSignal::wake_all() {
  // Taking the mutex orders the caller's flag store before any waiter's predicate check, so
  // a waiter between its check and its sleep cannot miss this wake-up.
  { std::lock_guard lock(mutex_); }
  cv_.notify_all();
}

Position CommitSignal::wait_past(Position after, const std::atomic<bool>& stop) {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return committed_ > after || stop.load(); });
  return committed_;
}

Position CommitSignal::committed() const {
  std::lock_guard lock(mutex_);
  return committed_;
}

}  // namespace rembuk::store
