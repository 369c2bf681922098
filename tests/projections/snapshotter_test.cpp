#include "rembuk/projections/snapshotter.hpp"

#include <gtest/gtest.h>

#include "log_driver.hpp"
#include "padang_fixture.hpp"
#include "rembuk/model/canonical_json.hpp"

namespace rembuk::projections {
namespace {

using namespace testing;

model::MasterplanState at(std::string id, model::Version version) {
  model::MasterplanState state = empty_state(id);
  state.version = version;
  return state;
}

TEST(Snapshotter, WritesWhenAMultipleOfKIsReachedOrCrossed) {
  TempDir dir;
  auto log = open_log(dir.str() + "/log");
  Snapshotter snapshotter(*log, SnapshotPolicy{10});
  EXPECT_FALSE(*snapshotter.observe(at("a", 9)));
  EXPECT_TRUE(*snapshotter.observe(at("a", 10)));
  EXPECT_FALSE(*snapshotter.observe(at("a", 11)));
  EXPECT_FALSE(*snapshotter.observe(at("a", 19)));
  EXPECT_TRUE(*snapshotter.observe(at("a", 23)));  // crossed 20 inside one command
  EXPECT_FALSE(*snapshotter.observe(at("a", 29)));
  EXPECT_TRUE(*snapshotter.observe(at("b", 10)));  // streams are independent
  EXPECT_EQ((*log->get_snapshot("a", 22))->revision, 10u);
  EXPECT_EQ((*log->get_snapshot("a", 100))->revision, 23u);
}

TEST(Snapshotter, RemembersWhatAnEarlierProcessStored) {
  TempDir dir;
  auto log = open_log(dir.str() + "/log");
  {
    Snapshotter first(*log, SnapshotPolicy{10});
    EXPECT_TRUE(*first.observe(at("a", 12)));
  }
  Snapshotter second(*log, SnapshotPolicy{10});
  EXPECT_FALSE(*second.observe(at("a", 15)));
  EXPECT_TRUE(*second.observe(at("a", 20)));
  second.forget();
  ASSERT_TRUE(log->clear_snapshots().ok());
  EXPECT_TRUE(*second.observe(at("a", 21)));
}

TEST(Snapshotter, ZeroDisablesSnapshots) {
  TempDir dir;
  auto log = open_log(dir.str() + "/log");
  Snapshotter snapshotter(*log, SnapshotPolicy{0});
  EXPECT_FALSE(*snapshotter.observe(at("a", 1000)));
  EXPECT_FALSE(log->get_snapshot("a", 1000)->has_value());
}

TEST(Snapshotter, EncodingRoundTripsARealState) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str() + "/log", &clock);
  Driver driver(*log, "padang-2019");
  build_padang(driver, clock);
  auto decoded = decode_snapshot(encode_snapshot(driver.state()));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(model::canonical_json(*decoded), model::canonical_json(driver.state()));
  EXPECT_EQ(decode_snapshot("{").error().code, ErrorCode::corrupt);
}

}  // namespace
}  // namespace rembuk::projections
