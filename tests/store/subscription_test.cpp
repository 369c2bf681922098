// Subscriptions: catch-up then live, every event once and in order; cancel is synchronous.
#include <gtest/gtest.h>

#include <thread>

#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::open_log;
using testing::options_for;
using testing::request;
using testing::TempDir;

// Collects what a subscription delivers and lets the test wait for a position.
class Collector {
 public:
  SubscriptionHandler handler() {
    return [this](const std::vector<RecordedEvent>& batch) {
      std::lock_guard lock(mutex_);
      for (const auto& e : batch) positions_.push_back(e.position);
      ++calls_;
      cv_.notify_all();
    };
  }
  bool wait_for(Position last) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(30),
                        [&] { return !positions_.empty() && positions_.back() >= last; });
  }
  std::vector<Position> positions() {
    std::lock_guard lock(mutex_);
    return positions_;
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Position> positions_;
  int calls_ = 0;
};

class SubscriptionTest : public testing::ContractTest {};
REMBUK_CONTRACT_SUITE(SubscriptionTest);

TEST_P(SubscriptionTest, CatchUpThenLiveWithoutGapOrRepeat) {
  auto log = open();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(log->append(request("s" + std::to_string(i % 3), 5)).ok());
  // Writers keep appending while the subscription catches up and switches to live.
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        ASSERT_TRUE(log->append(request("w" + std::to_string(t), 1 + i % 2)).ok());
      }
    });
  }
  Collector collector;
  constexpr Position after = 250;
  auto subscription = log->subscribe(after, collector.handler());
  for (auto& w : writers) w.join();
  const Position last = log->head()->position;
  ASSERT_EQ(last, 500u + 3 * 300);
  ASSERT_TRUE(collector.wait_for(last));
  const auto got = collector.positions();
  ASSERT_EQ(got.size(), last - after);
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], after + 1 + i);
}

TEST_P(SubscriptionTest, StartsLiveAtTheHead) {
  auto log = open();
  ASSERT_TRUE(log->append(request("s", 3)).ok());
  Collector collector;
  auto subscription = log->subscribe(3, collector.handler());
  ASSERT_TRUE(log->append(request("s", 2)).ok());
  ASSERT_TRUE(collector.wait_for(5));
  EXPECT_EQ(collector.positions(), (std::vector<Position>{4, 5}));
}

TEST_P(SubscriptionTest, CancelStopsDelivery) {
  auto log = open();
  std::atomic<bool> cancelled{false};
  std::atomic<int> after_cancel{0};
  Collector first;
  auto handler = first.handler();
  auto subscription = log->subscribe(0, [&](const std::vector<RecordedEvent>& batch) {
    if (cancelled.load()) ++after_cancel;
    handler(batch);
  });
  ASSERT_TRUE(log->append(request("s", 2)).ok());
  ASSERT_TRUE(first.wait_for(2));
  subscription->cancel();
  cancelled = true;
  subscription->cancel();  // idempotent
  // A second subscription sees the new events; the cancelled one must not.
  Collector second;
  auto witness = log->subscribe(0, second.handler());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(log->append(request("s")).ok());
  ASSERT_TRUE(second.wait_for(22));
  EXPECT_EQ(after_cancel.load(), 0);
  EXPECT_EQ(first.positions().size(), 2u);
}

TEST_P(SubscriptionTest, CancelFromInsideTheHandler) {
  auto log = open();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log->append(request("s")).ok());
  std::mutex mutex;
  std::condition_variable cv;
  std::unique_ptr<Subscription> subscription;
  int calls = 0;
  std::unique_lock lock(mutex);
  subscription = log->subscribe(0, [&](const std::vector<RecordedEvent>&) {
    std::lock_guard inner(mutex);
    ++calls;
    subscription.reset();  // destroys itself from its own thread
    cv.notify_all();
  });
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return calls > 0; }));
  lock.unlock();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log->append(request("s")).ok());
  // Another subscription's delivery marks the time by which a stray call would have come.
  Collector witness;
  auto other = log->subscribe(0, witness.handler());
  ASSERT_TRUE(witness.wait_for(20));
  std::lock_guard check(mutex);
  EXPECT_EQ(calls, 1);
}

TEST_P(SubscriptionTest, CloseStopsSubscriptionsThatOutliveIt) {
  auto log = open();
  Collector collector;
  auto subscription = log->subscribe(0, collector.handler());
  ASSERT_TRUE(log->append(request("s")).ok());
  ASSERT_TRUE(collector.wait_for(1));
  log.reset();            // close() stops the delivery thread
  subscription.reset();   // and the handle is still safe to drop afterwards
  EXPECT_EQ(collector.positions(), (std::vector<Position>{1}));
}

TEST_P(SubscriptionTest, ManySubscribersEachGetEverything) {
  auto log = open();
  std::vector<std::unique_ptr<Collector>> collectors;
  std::vector<std::unique_ptr<Subscription>> subscriptions;
  for (int i = 0; i < 8; ++i) {
    collectors.push_back(std::make_unique<Collector>());
    subscriptions.push_back(log->subscribe(0, collectors.back()->handler()));
  }
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(log->append(request("s" + std::to_string(i % 4))).ok());
  for (auto& c : collectors) {
    ASSERT_TRUE(c->wait_for(100));
    EXPECT_EQ(c->positions().size(), 100u);
  }
}

// A paced subscriber reads once per pace what several commits wrote: every event once, in
// order, in fewer handler calls than commits (an unpaced one keeps up commit by commit).
TEST_P(SubscriptionTest, APacedSubscriberTakesSeveralCommitsPerRead) {
  auto log = open();
  Collector paced;
  Collector unpaced;
  constexpr auto kPace = std::chrono::milliseconds(30);
  const auto start = std::chrono::steady_clock::now();
  auto slow = log->subscribe_paced(0, kPace, paced.handler());
  auto fast = log->subscribe(0, unpaced.handler());
  constexpr int kCommits = 120;
  for (int i = 0; i < kCommits; ++i) {
    ASSERT_TRUE(log->append(request("s" + std::to_string(i % 4))).ok());
    if (i % 10 == 9) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(paced.wait_for(kCommits));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(unpaced.wait_for(kCommits));
  std::vector<Position> expected(kCommits);
  for (int i = 0; i < kCommits; ++i) expected[i] = static_cast<Position>(i + 1);
  EXPECT_EQ(paced.positions(), expected);
  EXPECT_EQ(unpaced.positions(), expected);
  // At most one read per pace (the commits, with 12 pauses of 5 ms, take longer than one).
  EXPECT_LE(paced.calls(), elapsed / kPace + 1) << "unpaced: " << unpaced.calls() << " calls";
}

TEST_P(SubscriptionTest, CancellingAPacedSubscriberDoesNotWaitOutThePace) {
  auto log = open();
  Collector collector;
  auto subscription = log->subscribe_paced(0, std::chrono::seconds(60), collector.handler());
  ASSERT_TRUE(log->append(request("s")).ok());
  ASSERT_TRUE(collector.wait_for(1));  // now pacing for a minute
  const auto start = std::chrono::steady_clock::now();
  subscription->cancel();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace rembuk::store
