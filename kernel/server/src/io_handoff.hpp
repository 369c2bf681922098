// IoHandoff: hands tasks from a thread outside the io_context (the log's completion thread,
// which tells a commit's appends one after the other) to the io threads in batches.
//
// Why: every post from outside the io_context wakes an io thread (a futex or an epoll_ctl, a
// context switch), and on a virtual machine each of those costs more than sending the ack.
// A commit tells its ~10 appends within tens of microseconds, so the io thread woken for the
// first finds the others queued behind it and runs them in the same wake-up.
//
// Order: tasks run in the order they were handed over, one batch at a time (a batch handed
// over while one runs is posted when that one ends), so two acks for one connection are sent
// in the order the log told them. A task runs on an io thread outside any strand; a task that
// belongs in a strand dispatches into it (inline when the strand is free).
//
// Thread safety: hand_over and discard may be called from any thread.
// Lifetime: the post function's io_context must outlive the IoHandoff's use; tasks never run
// (the io_context stopped) are destroyed by discard() or with the IoHandoff.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

namespace rembuk::server {

class IoHandoff {
 public:
  using Task = std::function<void()>;
  // `post` queues a function on the io_context (asio::post); it is called at most once per
  // batch, never with the IoHandoff's lock held.
  explicit IoHandoff(std::function<void(Task)> post) : post_(std::move(post)) {}

  void hand_over(Task task);

  // Drops the tasks not yet run (shutdown, once the io threads have stopped).
  void discard();

 private:
  void run_batch();

  std::function<void(Task)> post_;
  std::mutex mutex_;
  std::vector<Task> pending_;  // GUARDED_BY(mutex_)
  bool posted_ = false;        // GUARDED_BY(mutex_): a run_batch is queued or running
};

}  // namespace rembuk::server
