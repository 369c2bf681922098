#include "io_handoff.hpp"

#include <utility>

namespace rembuk::server {

void IoHandoff::hand_over(Task task) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(task));
    if (posted_) return;
    posted_ = true;
  }
  post_([this] { run_batch(); });
}

void IoHandoff::run_batch() {
  std::vector<Task> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
  }
  for (auto& task : batch) task();
  {
    std::lock_guard lock(mutex_);
    if (pending_.empty()) {
      posted_ = false;
      return;
    }
  }
  // More arrived meanwhile: run them in a later turn, so that this io thread goes back to
  // its other handlers in between.
  post_([this] { run_batch(); });
}

void IoHandoff::discard() {
  std::vector<Task> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped.swap(pending_);
  }
}

}  // namespace rembuk::server
