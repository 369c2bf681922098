#include "subscription.hpp"

#include <cstdio>

#include "rembuk/common/thread_name.hpp"

namespace rembuk::store {
namespace {
constexpr std::size_t delivery_batch = 512;
}

std::shared_ptr<SubscriptionState> SubscriptionState::start(Position after,
                                                            SubscriptionHandler handler,
                                                            PositionReader read,
                                                            CommitSignal& signal,
                                                            std::chrono::milliseconds pace) {
  std::shared_ptr<SubscriptionState> state(new SubscriptionState(signal, pace));
  std::lock_guard lock(state->join_mutex_);
  // The thread holds the state alive: it may outlive every handle.
  state->thread_ =
      std::thread([state, after, handler = std::move(handler), read = std::move(read)] {
        name_this_thread("rembuk-follow");
        state->run(after, handler, read);
      });
  return state;
}

SubscriptionState::~SubscriptionState() {
  // The last reference may be the thread's own (after a stop from inside the handler).
  if (thread_.joinable()) {
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }
}

void SubscriptionState::stop() {
  // Only the first stop touches the signal: a handle may be dropped after the log (and its
  // signal) is gone, but close() has stopped every subscription by then.
  if (!stopped_.exchange(true)) {
    signal_.wake_all();
    { std::lock_guard lock(pace_mutex_); }  // a pacing thread is waiting or sees the flag
    pace_cv_.notify_all();
  }
  if (worker_id_.load() == std::this_thread::get_id()) return;  // from inside the handler
  std::lock_guard lock(join_mutex_);
  if (thread_.joinable()) thread_.join();
}

void SubscriptionState::run(Position after, const SubscriptionHandler& handler,
                            const PositionReader& read) {
  worker_id_.store(std::this_thread::get_id());
  Position delivered = after;
  bool reported = false;
  while (!stopped_.load()) {
    auto batch = read(delivered + 1, delivery_batch);
    if (!batch.ok()) {
      if (batch.error().code == ErrorCode::closed) break;  // the log is closing
      if (!reported) {
        std::fprintf(stderr, "rembuk store: subscription cannot read position %llu: %s\n",
                     static_cast<unsigned long long>(delivered + 1),
                     batch.error().message.c_str());
        reported = true;
      }
      // Try again after the next commit rather than spinning.
      signal_.wait_past(signal_.committed(), stopped_);
      continue;
    }
    if (batch->empty()) {
      signal_.wait_past(delivered, stopped_);
      continue;
    }
    if (stopped_.load()) break;
    handler(*batch);
    delivered = batch->back().position;
    if (batch->size() < delivery_batch) wait_out_pace();  // caught up
  }
}

void SubscriptionState::wait_out_pace() {
  if (pace_.count() <= 0) return;
  std::unique_lock lock(pace_mutex_);
  pace_cv_.wait_for(lock, pace_, [this] { return stopped_.load(); });
}

std::unique_ptr<Subscription> SubscriptionRegistry::subscribe(Position after,
                                                              SubscriptionHandler handler,
                                                              PositionReader read,
                                                              CommitSignal& signal,
                                                              std::chrono::milliseconds pace) {
  std::lock_guard lock(mutex_);
  if (closed_) return std::make_unique<LogSubscription>(nullptr);
  // Forget subscriptions that have been cancelled and released.
  std::erase_if(live_, [](const auto& weak) { return weak.expired(); });
  auto state = SubscriptionState::start(after, std::move(handler), std::move(read), signal, pace);
  live_.push_back(state);
  return std::make_unique<LogSubscription>(std::move(state));
}

void SubscriptionRegistry::close_all() {
  std::vector<std::shared_ptr<SubscriptionState>> live;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& weak : live_) {
      if (auto state = weak.lock()) live.push_back(std::move(state));
    }
    live_.clear();
  }
  for (auto& state : live) state->stop();  // outside the lock: stop() joins the thread
}

}  // namespace rembuk::store
