// rebuild: drops every snapshot and writes them again; the views afterwards equal the live
// ones byte for byte.
#include "rembuk/projections/rebuild.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "log_driver.hpp"
#include "padang_fixture.hpp"
#include "random_commands.hpp"
#include "rembuk/model/snapshot_codec.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {
namespace {

using namespace testing;
namespace json = boost::json;

std::string every_view(store::EventLog& log, const std::string& id, const ViewRequest& request) {
  std::string out;
  for (const char* view : {"document", "roadmap", "opds", "budget", "coverage", "activity"}) {
    auto rendered = render_view(log, id, view, request);
    EXPECT_TRUE(rendered.ok()) << view;
    if (rendered) out += json::serialize(*rendered) + "\n";
  }
  return out;
}

TEST(Rebuild, ViewsAfterRebuildEqualTheLiveOnesByteForByte) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str() + "/log", &clock);
  Driver padang(*log, "padang-2019");
  build_padang(padang, clock);
  Driver other(*log, "pariaman-2022");
  CommandGenerator generator(7, 2022);
  for (int i = 0; i < 120; ++i) {
    clock.now_us += 1'000'000;
    if (other.run(generator.next(other.state())).empty()) generator.accepted(other.last_command_id());
  }
  // The live views, computed from the states the writers hold.
  std::map<std::string, std::string> live;
  for (const Driver* driver : {&padang, &other}) {
    std::string out;
    for (View view : {View::document, View::roadmap, View::opds, View::budget, View::coverage}) {
      out += json::serialize(render_state_view(view, driver->state(), {})) + "\n";
    }
    live[driver->state().id] = out;
  }
  // A stale, wrong snapshot that rebuild must drop.
  auto wrong = padang.state();
  wrong.vision = "stale";
  ASSERT_TRUE(log->put_snapshot("padang-2019", 20, encode_snapshot(wrong)).ok());

  std::vector<RebuildProgress> reports;
  RebuildOptions options;
  options.policy.every = 10;
  options.progress = [&](const RebuildProgress& p) { reports.push_back(p); };
  auto stats = rebuild(*log, options);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  const std::uint64_t total = padang.state().version + other.state().version;
  EXPECT_EQ(stats->streams, 2u);
  EXPECT_EQ(stats->events, total);
  EXPECT_EQ(stats->snapshots, padang.state().version / 10 + other.state().version / 10);
  ASSERT_GE(reports.size(), 2u);
  EXPECT_EQ(reports.front().events_done, 0u);
  EXPECT_EQ(reports.back().events_done, total);
  EXPECT_EQ(reports.back().events_total, total);
  EXPECT_EQ(reports.back().streams_done, 2u);

  // Snapshots sit exactly on multiples of K and hold what a full replay gives.
  auto snapshot = log->get_snapshot("padang-2019", 25);
  ASSERT_TRUE(snapshot.ok() && snapshot->has_value());
  EXPECT_EQ((*snapshot)->revision, 20u);
  // Not the newest: its content only (the newest alone keeps the bookkeeping).
  auto content = decode_snapshot((*snapshot)->bytes, model::Bookkeeping::omit);
  ASSERT_TRUE(content.ok()) << content.error().message;
  EXPECT_EQ(content->vision, padang.state().vision);
  EXPECT_FALSE(model::snapshot_has_bookkeeping((*snapshot)->bytes));
  auto newest = log->get_snapshot("padang-2019", UINT64_MAX);
  ASSERT_TRUE(newest.ok() && newest->has_value());
  EXPECT_TRUE(decode_snapshot((*newest)->bytes).ok());

  for (const Driver* driver : {&padang, &other}) {
    const auto& id = driver->state().id;
    std::string rebuilt;
    for (const char* view : {"document", "roadmap", "opds", "budget", "coverage"}) {
      rebuilt += json::serialize(*render_view(*log, id, view, {})) + "\n";
    }
    EXPECT_EQ(rebuilt, live[id]) << id;
  }
  // And a past version reads the same before and after a second rebuild.
  ViewRequest past;
  past.at = 25;
  const auto before = every_view(*log, "padang-2019", past);
  ASSERT_TRUE(rebuild(*log, options).ok());
  EXPECT_EQ(every_view(*log, "padang-2019", past), before);
}

TEST(Rebuild, AnEmptyLogRebuildsToNothing) {
  TempDir dir;
  auto log = open_log(dir.str() + "/log");
  auto stats = rebuild(*log);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->streams, 0u);
  EXPECT_EQ(stats->events, 0u);
}

}  // namespace
}  // namespace rembuk::projections
