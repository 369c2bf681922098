// Reading: forward, backward, by stream; streams(); snapshots; map growth; reopening.
#include <gtest/gtest.h>

#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::open_log;
using testing::options_for;
using testing::request;
using testing::TempDir;

std::vector<Position> positions(const std::vector<RecordedEvent>& events) {
  std::vector<Position> out;
  for (const auto& e : events) out.push_back(e.position);
  return out;
}
std::vector<Revision> revisions(const std::vector<RecordedEvent>& events) {
  std::vector<Revision> out;
  for (const auto& e : events) out.push_back(e.revision);
  return out;
}

class ReadTest : public testing::ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    log_ = open();
    // a: positions 1,2,4,5 (revisions 1..4); b: 3, 6 (revisions 1..2)
    ASSERT_TRUE(log_->append(request("a", 2)).ok());
    ASSERT_TRUE(log_->append(request("b", 1)).ok());
    ASSERT_TRUE(log_->append(request("a", 2)).ok());
    ASSERT_TRUE(log_->append(request("b", 1)).ok());
  }
  std::unique_ptr<EventLog> log_;
};
REMBUK_CONTRACT_SUITE(ReadTest);

// The contract tests that start from an empty log of their own.
class LogContractTest : public testing::ContractTest {};
REMBUK_CONTRACT_SUITE(LogContractTest);

TEST_P(ReadTest, ReadsAllForward) {
  EXPECT_EQ(positions(*log_->read_all(0, 100)), (std::vector<Position>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(positions(*log_->read_all(4, 2)), (std::vector<Position>{4, 5}));
  EXPECT_TRUE(log_->read_all(7, 10)->empty());
  EXPECT_TRUE(log_->read_all(1, 0)->empty());
}

TEST_P(ReadTest, ReadsAllBackward) {
  EXPECT_EQ(positions(*log_->read_all_backward(0, 100)),
            (std::vector<Position>{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(positions(*log_->read_all_backward(4, 2)), (std::vector<Position>{4, 3}));
  EXPECT_EQ(positions(*log_->read_all_backward(100, 2)), (std::vector<Position>{6, 5}));
  EXPECT_TRUE(log_->read_all_backward(0, 0)->empty());
}

TEST_P(ReadTest, ReadsAStreamForward) {
  auto a = *log_->read_stream("a", 0, 100);
  EXPECT_EQ(positions(a), (std::vector<Position>{1, 2, 4, 5}));
  EXPECT_EQ(revisions(a), (std::vector<Revision>{1, 2, 3, 4}));
  EXPECT_EQ(positions(*log_->read_stream("a", 3, 1)), (std::vector<Position>{4}));
  EXPECT_EQ(positions(*log_->read_stream("b", 2, 10)), (std::vector<Position>{6}));
  EXPECT_TRUE(log_->read_stream("a", 5, 10)->empty());
  EXPECT_TRUE(log_->read_stream("nope", 0, 10)->empty());
  // A stream whose name is a prefix of another is not mixed up with it.
  ASSERT_TRUE(log_->append(request("ab", 1)).ok());
  EXPECT_EQ(log_->read_stream("a", 0, 100)->size(), 4u);
}

TEST_P(ReadTest, ReadsAStreamBackward) {
  EXPECT_EQ(revisions(*log_->read_stream_backward("a", 0, 100)),
            (std::vector<Revision>{4, 3, 2, 1}));
  EXPECT_EQ(revisions(*log_->read_stream_backward("a", 3, 2)), (std::vector<Revision>{3, 2}));
  EXPECT_EQ(revisions(*log_->read_stream_backward("a", 99, 1)), (std::vector<Revision>{4}));
  EXPECT_TRUE(log_->read_stream_backward("nope", 0, 10)->empty());
}

TEST_P(ReadTest, HeadStreamInfoAndStreams) {
  auto head = *log_->head();
  EXPECT_EQ(head.position, 6u);
  EXPECT_EQ(head.hash, (*log_->read_all(6, 1))[0].hash);
  auto a = *log_->stream_info("a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->revision, 4u);
  EXPECT_EQ(a->last_position, 5u);
  EXPECT_FALSE(log_->stream_info("nope")->has_value());
  auto all = *log_->streams();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].stream, "a");
  EXPECT_EQ(all[1].stream, "b");
  EXPECT_EQ(all[1].revision, 2u);
  EXPECT_EQ(all[1].last_position, 6u);
}

TEST_P(LogContractTest, EmptyLogTestHasNothing) {
  auto log = open();
  EXPECT_EQ(log->head()->position, 0u);
  EXPECT_EQ(log->head()->hash, Hash{});
  EXPECT_TRUE(log->read_all(0, 10)->empty());
  EXPECT_TRUE(log->read_all_backward(0, 10)->empty());
  EXPECT_TRUE(log->streams()->empty());
  auto report = log->verify();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.events_checked, 0u);
}

TEST_P(LogContractTest, SnapshotTestLatestAtOrBelowARevision) {
  auto log = open();
  EXPECT_FALSE(log->get_snapshot("a", 100)->has_value());
  ASSERT_TRUE(log->put_snapshot("a", 5, "five").ok());
  ASSERT_TRUE(log->put_snapshot("a", 10, "ten").ok());
  ASSERT_TRUE(log->put_snapshot("ab", 7, "other stream").ok());
  ASSERT_TRUE(log->put_snapshot("b", 1, "b").ok());
  EXPECT_FALSE(log->get_snapshot("a", 4)->has_value());
  EXPECT_EQ((*log->get_snapshot("a", 5))->bytes, "five");
  EXPECT_EQ((*log->get_snapshot("a", 9))->revision, 5u);
  EXPECT_EQ((*log->get_snapshot("a", 10))->bytes, "ten");
  EXPECT_EQ((*log->get_snapshot("a", UINT64_MAX))->revision, 10u);
  EXPECT_EQ((*log->get_snapshot("ab", 100))->bytes, "other stream");
  EXPECT_FALSE(log->get_snapshot("c", 100)->has_value());
  EXPECT_FALSE(log->get_snapshot("0", 100)->has_value());
  ASSERT_TRUE(log->put_snapshot("a", 10, "ten again").ok());
  EXPECT_EQ((*log->get_snapshot("a", 10))->bytes, "ten again");
  EXPECT_EQ(log->put_snapshot("", 1, "x").error().code, ErrorCode::invalid_argument);
  ASSERT_TRUE(log->clear_snapshots().ok());
  EXPECT_FALSE(log->get_snapshot("a", 100)->has_value());
  EXPECT_FALSE(log->get_snapshot("b", 100)->has_value());
}

TEST_P(LogContractTest, OnlyTheNewestSnapshotKeepsItsTail) {
  auto log = open();
  // "head" is the lasting part of each, "tail" what only the newest keeps.
  ASSERT_TRUE(log->put_snapshot("a", 10, "head10tail10", 6).ok());
  ASSERT_TRUE(log->put_snapshot("ab", 30, "head30tail30", 6).ok());  // another stream
  EXPECT_EQ((*log->get_snapshot("a", UINT64_MAX))->bytes, "head10tail10");

  ASSERT_TRUE(log->put_snapshot("a", 20, "head20tail20", 6).ok());
  EXPECT_EQ((*log->get_snapshot("a", UINT64_MAX))->bytes, "head20tail20");
  EXPECT_EQ((*log->get_snapshot("a", 19))->bytes, "head10");  // its tail is gone
  EXPECT_EQ((*log->get_snapshot("ab", 30))->bytes, "head30tail30");  // untouched

  // Older than the newest (a rebuild writes in any order): stored without its tail.
  ASSERT_TRUE(log->put_snapshot("a", 15, "head15tail15", 6).ok());
  EXPECT_EQ((*log->get_snapshot("a", 15))->bytes, "head15");
  EXPECT_EQ((*log->get_snapshot("a", UINT64_MAX))->bytes, "head20tail20");

  // The newest again at the same revision replaces it, tail and all.
  ASSERT_TRUE(log->put_snapshot("a", 20, "HEAD20TAIL", 6).ok());
  EXPECT_EQ((*log->get_snapshot("a", 20))->bytes, "HEAD20TAIL");
  ASSERT_TRUE(log->put_snapshot("a", 20, "HEAD20", 6).ok());  // no tail at all
  EXPECT_EQ((*log->get_snapshot("a", 20))->bytes, "HEAD20");

  // Kept whole (lasting_bytes >= its size, or the three-argument form) stays whole.
  ASSERT_TRUE(log->put_snapshot("a", 40, "whole40", 100).ok());
  ASSERT_TRUE(log->put_snapshot("a", 50, "head50tail50", 6).ok());
  EXPECT_EQ((*log->get_snapshot("a", 40))->bytes, "whole40");
  EXPECT_EQ((*log->get_snapshot("a", 50))->bytes, "head50tail50");

  ASSERT_TRUE(log->clear_snapshots().ok());
  EXPECT_FALSE(log->get_snapshot("a", UINT64_MAX)->has_value());
  // A tail does not outlive a clear: a snapshot stored again at 50 has only its own.
  ASSERT_TRUE(log->put_snapshot("a", 50, "again", 100).ok());
  EXPECT_EQ((*log->get_snapshot("a", 50))->bytes, "again");
}

TEST(MapGrowthTest, GrowsFromATinyMapWithoutCallersNoticing) {
  TempDir dir;
  auto options = options_for(dir);
  options.initial_map_size = 64u << 10;
  auto log = open_log(options);
  const std::string payload = "{\"text\":\"" + std::string(1000, 'x') + "\"}";
  // Concurrent readers keep read transactions coming while the writer resizes.
  std::atomic<bool> stop{false};
  std::atomic<int> read_failures{0};
  std::thread reader([&] {
    while (!stop.load()) {
      if (!log->read_all_backward(0, 5).ok()) ++read_failures;
    }
  });
  std::vector<std::string> snapshot_bytes;
  for (int i = 0; i < 3000; ++i) {
    auto r = request("s" + std::to_string(i % 7));
    r.events[0].payload = payload;
    auto result = log->append(std::move(r));
    ASSERT_TRUE(result.ok()) << i << ": " << result.error().message;
    if (i % 500 == 0) {
      ASSERT_TRUE(log->put_snapshot("s0", i + 1, std::string(20000, 's')).ok());
    }
  }
  stop = true;
  reader.join();
  EXPECT_EQ(read_failures.load(), 0);
  const auto stats = commit_stats(*log);
  EXPECT_GT(stats.map_growths, 0u);
  EXPECT_GT(stats.map_size, std::size_t{3'000'000});
  EXPECT_EQ(log->head()->position, 3000u);
  EXPECT_TRUE(log->verify().ok);
  log.reset();
  // Reopening with the tiny size still sees (and can extend) everything.
  auto reopened = open_log(options);
  EXPECT_EQ(reopened->head()->position, 3000u);
  ASSERT_TRUE(reopened->append(request("s0")).ok());
  EXPECT_TRUE(reopened->verify().ok);
}

TEST_P(LogContractTest, ReopenKeepsTheChain) {
  Hash last{};
  {
    auto log = open();
    ASSERT_TRUE(log->append(request("s", 3, ExpectedRevision::any(), "c1")).ok());
    last = log->head()->hash;
  }
  auto log = open();
  auto r = log->append(request("s", 1, ExpectedRevision::exact(3)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->first_position, 4u);
  EXPECT_EQ((*log->read_all(4, 1))[0].prev_hash, last);
  EXPECT_TRUE((*log->append(request("s", 3, ExpectedRevision::any(), "c1"))).duplicate);
  EXPECT_TRUE(log->verify().ok);
}

}  // namespace
}  // namespace rembuk::store
