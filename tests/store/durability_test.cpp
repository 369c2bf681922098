// Durability::sync with one sync per commit (group_committer.hpp): a commit's meta page
// becomes durable with the next sync, so its callers are told only after one. These tests
// check who waits for what; that the bytes reach the platter is the kernel's promise.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "test_log.hpp"

namespace rembuk::store::testing {
namespace {

LmdbOptions durable(const TempDir& dir) {
  auto options = options_for(dir);
  options.durability = Durability::sync;
  return options;
}

TEST(DurableCommit, ALoneAppendIsToldOnlyAfterASyncCoveredItsCommit) {
  TempDir dir;
  auto log = open_log(durable(dir));
  for (int i = 0; i < 3; ++i) {
    std::promise<std::uint64_t> syncs_when_told;
    log->append(request("s"), [&](StoreResult<AppendResult> result) {
      ASSERT_TRUE(result.ok()) << result.error().message;
      syncs_when_told.set_value(commit_stats(*log).explicit_syncs);
    });
    // Nothing else is queued, so no later commit syncs for it: the writer must have.
    EXPECT_GE(syncs_when_told.get_future().get(), static_cast<std::uint64_t>(i + 1));
  }
}

TEST(DurableCommit, ConcurrentAppendsAreAllToldInOrderAndKeptAcrossReopen) {
  TempDir dir;
  constexpr int threads = 8;
  constexpr int per_thread = 150;
  {
    auto log = open_log(durable(dir));
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          auto r = request("s" + std::to_string(t % 3), 1, ExpectedRevision::any(),
                           "c-" + std::to_string(t) + "-" + std::to_string(i));
          if (!log->append(std::move(r)).ok()) ++failures;
        }
      });
    }
    for (auto& w : workers) w.join();
    EXPECT_EQ(failures.load(), 0);
    const auto stats = commit_stats(*log);
    EXPECT_EQ(stats.appends, static_cast<std::uint64_t>(threads * per_thread));
    // Every append was timed through its phases before its caller was told; each waited for
    // a commit with a data sync and then for the sync that covered its meta page.
    EXPECT_EQ(stats.timed_appends, stats.appends);
    EXPECT_GT(stats.commit_us, 0u);
    EXPECT_GT(stats.hold_us, 0u);
    const std::string metrics = commit_metrics_text(*log);
    EXPECT_NE(metrics.find("\nrembuk_log_appends_total 1200\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("rembuk_log_ack_phase_seconds_total{phase=\"hold\"} "),
              std::string::npos)
        << metrics;
  }
  auto log = open_log(durable(dir));
  auto head = log->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, static_cast<Position>(threads * per_thread));
  const auto report = log->verify();
  EXPECT_TRUE(report.ok) << report.reason;
}

TEST(DurableCommit, MetaSyncAtOnceSyncsAfterEveryCommitThatWrote) {
  TempDir dir;
  auto options = durable(dir);
  options.meta_sync = MetaSync::at_once;
  {
    auto log = open_log(options);
    std::vector<std::thread> workers;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
      workers.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i) {
          if (!log->append(request("s" + std::to_string(t), 1, ExpectedRevision::any(),
                                   "a-" + std::to_string(t) + "-" + std::to_string(i)))
                   .ok()) {
            ++failures;
          }
        }
      });
    }
    for (auto& w : workers) w.join();
    EXPECT_EQ(failures.load(), 0);
    const auto stats = commit_stats(*log);
    // Every commit wrote (no duplicates, no wrong revisions), and each got its own sync.
    EXPECT_EQ(stats.explicit_syncs, stats.commits);
    EXPECT_EQ(stats.timed_appends, 200u);
  }
  auto log = open_log(options);
  EXPECT_EQ(log->head()->position, 200u);
  EXPECT_TRUE(log->verify().ok);
}

TEST(DurableCommit, ASnapshotWriteIsSyncedBeforeItReturnsAndReleasesHeldAppends) {
  TempDir dir;
  auto log = open_log(durable(dir));
  ASSERT_TRUE(log->append(request("s")).ok());
  const auto before = commit_stats(*log).explicit_syncs;
  ASSERT_TRUE(log->put_snapshot("s", 1, "{}").ok());
  EXPECT_GT(commit_stats(*log).explicit_syncs, before);
  auto stored = log->get_snapshot("s", 1);
  ASSERT_TRUE(stored.ok() && stored->has_value());
}

}  // namespace
}  // namespace rembuk::store::testing
