// HeldLog: a real EventLog (LMDB, in the tests) in front of which appends can be held back
// and released later, so a test can see how many appends the engine has in flight at once
// and make another writer take revisions while they wait. Everything else goes straight
// through.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "rembuk/store/event_log.hpp"

namespace rembuk::engine::testing {

class HeldLog final : public store::EventLog {
 public:
  explicit HeldLog(store::EventLog& inner) : inner_(inner) {}

  // From now on appends wait in order until release().
  void hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  // Waits until `count` appends are held; false after `deadline`.
  bool wait_held(std::size_t count, std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return held_.size() >= count; });
  }
  std::size_t held() {
    std::lock_guard lock(mutex_);
    return held_.size();
  }
  // Hands the held appends to the real log, in the order they came, and stops holding.
  void release() {
    std::vector<Held> held;
    {
      std::lock_guard lock(mutex_);
      holding_ = false;
      held.swap(held_);
    }
    for (auto& h : held) inner_.append(std::move(h.request), std::move(h.done));
  }

  // Runs before each append is handed to the real log (not while held): a test's other
  // writer, appending to the real log just before the engine's append gets there.
  void before_each_append(std::function<void(const store::AppendRequest&)> hook) {
    std::lock_guard lock(mutex_);
    before_ = std::move(hook);
  }

  // From now on each append is answered with `error` on the calling thread, before append()
  // returns, as a closed log answers.
  void refuse_inside_append(store::Error error) {
    std::lock_guard lock(mutex_);
    refusal_ = std::move(error);
  }
  void accept_again() {
    std::lock_guard lock(mutex_);
    refusal_.reset();
  }

  void append(store::AppendRequest request, store::AppendCallback done) override {
    std::function<void(const store::AppendRequest&)> before;
    {
      std::unique_lock lock(mutex_);
      if (refusal_) {
        auto error = *refusal_;
        lock.unlock();
        done(store::StoreResult<store::AppendResult>(fail(std::move(error))));
        return;
      }
      if (holding_) {
        held_.push_back(Held{std::move(request), std::move(done)});
        changed_.notify_all();
        return;
      }
      before = before_;
    }
    if (before) before(request);
    inner_.append(std::move(request), std::move(done));
  }
  using store::EventLog::append;

  store::StoreResult<std::vector<store::RecordedEvent>> read_stream(std::string_view stream,
                                                                    store::Revision from,
                                                                    std::size_t max) override {
    return inner_.read_stream(stream, from, max);
  }
  store::StoreResult<std::vector<store::RecordedEvent>> read_stream_backward(
      std::string_view stream, store::Revision to, std::size_t max) override {
    return inner_.read_stream_backward(stream, to, max);
  }
  store::StoreResult<std::vector<store::RecordedEvent>> read_all(store::Position from,
                                                                 std::size_t max) override {
    return inner_.read_all(from, max);
  }
  store::StoreResult<std::vector<store::RecordedEvent>> read_all_backward(
      store::Position to, std::size_t max) override {
    return inner_.read_all_backward(to, max);
  }
  store::StoreResult<store::Head> head() override { return inner_.head(); }
  store::StoreResult<std::optional<store::StreamInfo>> stream_info(
      std::string_view stream) override {
    return inner_.stream_info(stream);
  }
  store::StoreResult<std::vector<store::StreamInfo>> streams() override {
    return inner_.streams();
  }
  store::StoreResult<std::optional<store::AppendResult>> find_command(
      std::string_view command_id) override {
    return inner_.find_command(command_id);
  }
  std::unique_ptr<store::Subscription> subscribe(store::Position after,
                                                 store::SubscriptionHandler handler) override {
    return inner_.subscribe(after, std::move(handler));
  }
  using store::EventLog::put_snapshot;
  store::StoreResult<Unit> put_snapshot(std::string_view stream, store::Revision revision,
                                        std::string_view bytes,
                                        std::size_t lasting_bytes) override {
    return inner_.put_snapshot(stream, revision, bytes, lasting_bytes);
  }
  store::StoreResult<std::optional<store::Snapshot>> get_snapshot(
      std::string_view stream, store::Revision max_revision) override {
    return inner_.get_snapshot(stream, max_revision);
  }
  store::StoreResult<Unit> clear_snapshots() override { return inner_.clear_snapshots(); }
  store::VerifyReport verify() override { return inner_.verify(); }
  void close() override { inner_.close(); }

 private:
  struct Held {
    store::AppendRequest request;
    store::AppendCallback done;
  };

  store::EventLog& inner_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool holding_ = false;     // GUARDED_BY(mutex_)
  std::optional<store::Error> refusal_;  // GUARDED_BY(mutex_)
  std::function<void(const store::AppendRequest&)> before_;  // GUARDED_BY(mutex_)
  std::vector<Held> held_;   // GUARDED_BY(mutex_)
};

}  // namespace rembuk::engine::testing
