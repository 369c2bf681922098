// LogSubscription: one subscriber's delivery thread.
//
// The thread reads the log by position from the next undelivered one, hands each batch to
// the handler, and sleeps on the CommitSignal when it has caught up (a paced one first waits
// out its pace, so that one read takes what several commits wrote). Catch-up and live are
// the same loop, so there is no switch at which an event could be lost or repeated.
//
// Ownership: the LogSubscription (the caller's handle) and the log's registry share the
// SubscriptionState; whichever stops it first joins the thread. stop() from the handler's own
// thread only sets the flag: the handler is returning anyway and is not called again.
// Thread safety: stop() may be called from any thread, any number of times.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "commit_signal.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

using PositionReader =
    std::function<StoreResult<std::vector<RecordedEvent>>(Position from, std::size_t max)>;

class SubscriptionState {
 public:
  // Starts the delivery thread. `read` and `signal` must outlive the thread (the log stops
  // every subscription in close(), before they go away).
  // `pace` > 0: once caught up, the thread waits that long after each read before the next
  // (EventLog::subscribe_paced).
  static std::shared_ptr<SubscriptionState> start(Position after, SubscriptionHandler handler,
                                                  PositionReader read, CommitSignal& signal,
                                                  std::chrono::milliseconds pace);
  ~SubscriptionState();
  void stop();

 private:
  SubscriptionState(CommitSignal& signal, std::chrono::milliseconds pace)
      : signal_(signal), pace_(pace) {}
  void run(Position after, const SubscriptionHandler& handler, const PositionReader& read);
  void wait_out_pace();

  CommitSignal& signal_;
  const std::chrono::milliseconds pace_;
  std::atomic<bool> stopped_{false};
  std::mutex pace_mutex_;                // with pace_cv_: a stop ends the wait at once
  std::condition_variable pace_cv_;
  std::atomic<std::thread::id> worker_id_{};  // set by the thread itself before any delivery
  // Held across the join, so that a second stop() (the handle's, close()'s) returns only
  // once the thread has ended.
  std::mutex join_mutex_;
  std::thread thread_;  // guarded by join_mutex_
};

// The live subscriptions of one log (LMDB or PostgreSQL), so that closing the log stops them
// all. Thread safety: every member may be called from any thread.
class SubscriptionRegistry {
 public:
  // Starts a subscription (see SubscriptionState::start); after close_all(), an inert handle.
  std::unique_ptr<Subscription> subscribe(Position after, SubscriptionHandler handler,
                                          PositionReader read, CommitSignal& signal,
                                          std::chrono::milliseconds pace);
  // Stops every live subscription and joins its thread; later subscribe() calls get an inert
  // handle. Idempotent.
  void close_all();

 private:
  std::mutex mutex_;
  bool closed_ = false;                                 // guarded by mutex_
  std::vector<std::weak_ptr<SubscriptionState>> live_;  // guarded by mutex_
};

class LogSubscription : public Subscription {
 public:
  explicit LogSubscription(std::shared_ptr<SubscriptionState> state) : state_(std::move(state)) {}
  ~LogSubscription() override { cancel(); }
  void cancel() override {
    if (state_) state_->stop();
  }

 private:
  std::shared_ptr<SubscriptionState> state_;
};

}  // namespace rembuk::store
