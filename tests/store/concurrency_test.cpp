// Many appenders at once: positions unique and dense, revisions contiguous, chain intact.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::open_log;
using testing::options_for;
using testing::request;
using testing::TempDir;

class ConcurrencyTest : public testing::ContractTest {};
REMBUK_CONTRACT_SUITE(ConcurrencyTest);

TEST_P(ConcurrencyTest, EightThreadsOnOverlappingStreams) {
  testing::Tuning tuning;
  tuning.max_batch_appends = 16;  // force many batches, several per burst
  auto log = open(tuning);
  constexpr int threads = 8;
  constexpr int appends_per_thread = 300;
  std::vector<std::vector<AppendResult>> results(threads);
  std::atomic<int> conflicts{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t * 7919 + 1));
      for (int i = 0; i < appends_per_thread; ++i) {
        const std::string stream = "plan-" + std::to_string(rng() % 5);
        // Half use optimistic concurrency on what they last read.
        ExpectedRevision expected = ExpectedRevision::any();
        if (rng() % 2 == 0) {
          auto info = log->stream_info(stream);
          ASSERT_TRUE(info.ok());
          expected = ExpectedRevision::exact(info->has_value() ? (*info)->revision : 0);
        }
        auto r = log->append(request(stream, 1 + static_cast<int>(rng() % 3), expected));
        if (!r.ok()) {
          ASSERT_EQ(r.error().code, ErrorCode::wrong_expected_revision);
          ++conflicts;
          continue;
        }
        results[t].push_back(*r);
      }
    });
  }
  for (auto& w : workers) w.join();

  std::set<Position> seen;
  Position total = 0;
  for (const auto& per_thread : results) {
    for (const auto& r : per_thread) {
      for (Position p = r.first_position; p <= r.last_position; ++p) {
        EXPECT_TRUE(seen.insert(p).second) << "position " << p << " given twice";
      }
      total += r.last_position - r.first_position + 1;
    }
  }
  EXPECT_EQ(log->head()->position, total);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(*seen.begin(), 1u);
  EXPECT_EQ(*seen.rbegin(), total) << "positions are dense";

  std::map<std::string, Revision> last;
  auto all = log->read_all(1, 1'000'000);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), total);
  for (const auto& e : *all) {
    EXPECT_EQ(e.revision, last[e.stream] + 1) << e.stream;
    last[e.stream] = e.revision;
  }
  const auto streams = log->streams();
  ASSERT_TRUE(streams.ok());
  for (const auto& info : *streams) EXPECT_EQ(info.revision, last[info.stream]);
  auto report = log->verify();
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.events_checked, total);
}

}  // namespace
}  // namespace rembuk::store
