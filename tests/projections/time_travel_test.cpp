// state_at / state_at_time: from snapshots and events, and the property that the view at
// version V computed from a snapshot equals the view from a full replay to V.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>

#include <boost/json.hpp>

#include "log_driver.hpp"
#include "padang_fixture.hpp"
#include "random_commands.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/projections/snapshotter.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {
namespace {

using namespace testing;
namespace json = boost::json;

// The full replay: every event from revision 1, no snapshot.
model::MasterplanState full_replay(store::EventLog& log, const std::string& id,
                                   model::Version to) {
  model::MasterplanState state = empty_state(id);
  auto folded = fold_stream(log, state, to);
  EXPECT_TRUE(folded.ok());
  return state;
}

// The content and every view: what a read-only state (state_at's default) must get right.
std::string all_views(const model::MasterplanState& state) {
  std::string out = model::canonical_json(state, model::Bookkeeping::omit);
  for (View view : {View::document, View::roadmap, View::opds, View::budget, View::coverage}) {
    out += "\n" + json::serialize(render_state_view(view, state, {}));
  }
  return out;
}

TEST(TimeTravel, StateAtUsesTheNearestSnapshotAndTheEventsAfterIt) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str() + "/log", &clock);
  Driver driver(*log, "padang-2019");
  build_padang(driver, clock);
  // A snapshot at 10 whose content is poisoned: if state_at(12) starts from it, the poison
  // shows, which proves the snapshot is used rather than a full replay.
  auto at10 = full_replay(*log, "padang-2019", 10);
  at10.vision = "from the snapshot";
  ASSERT_TRUE(log->put_snapshot("padang-2019", 10, encode_snapshot(at10)).ok());
  auto at12 = state_at(*log, "padang-2019", 12);
  ASSERT_TRUE(at12.ok()) << at12.error().message;
  EXPECT_EQ(at12->version, 12u);
  EXPECT_EQ(at12->vision, "from the snapshot");
  // Below the snapshot, the events alone are used.
  auto at9 = state_at(*log, "padang-2019", 9);
  ASSERT_TRUE(at9.ok());
  EXPECT_EQ(model::canonical_json(*at9, model::Bookkeeping::omit),
            model::canonical_json(full_replay(*log, "padang-2019", 9), model::Bookkeeping::omit));
  EXPECT_FALSE(at9->has_bookkeeping);
  // With the bookkeeping, the whole state equals the full fold's.
  auto at9_full = state_at(*log, "padang-2019", 9, model::Bookkeeping::include);
  ASSERT_TRUE(at9_full.ok());
  EXPECT_TRUE(at9_full->has_bookkeeping);
  EXPECT_EQ(model::canonical_json(*at9_full),
            model::canonical_json(full_replay(*log, "padang-2019", 9)));
  // State at 13 (SetVision) overrides the snapshot's vision with the event's.
  EXPECT_EQ(state_at(*log, "padang-2019", 13)->vision,
            "Padang kota pintar berbasis kearifan lokal");
}

TEST(TimeTravel, ErrorsSayWhatIsMissing) {
  TempDir dir;
  auto log = open_log(dir.str() + "/log");
  EXPECT_EQ(state_at(*log, "nowhere", 1).error().code, ErrorCode::not_found);
  EXPECT_EQ(current_state(*log, "nowhere").error().code, ErrorCode::not_found);
  Driver driver(*log, "kota");
  ASSERT_EQ(driver.run(R"j({"type":"CreateMasterplan","cityName":"Kota","regionCode":"13.71","startYear":2020,"endYear":2024})j"), "");
  EXPECT_EQ(state_at(*log, "kota", 0).error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(state_at(*log, "kota", 2).error().code, ErrorCode::not_found);
  EXPECT_TRUE(state_at(*log, "kota", 1).ok());
  ASSERT_TRUE(log->put_snapshot("kota", 1, "not json").ok());
  EXPECT_EQ(state_at(*log, "kota", 1).error().code, ErrorCode::corrupt);
}

TEST(TimeTravel, StateAtTimeIsTheLastVersionAtOrBeforeIt) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str() + "/log", &clock);
  Driver driver(*log, "padang-2019");
  build_padang(driver, clock);
  const auto steps = static_cast<std::int64_t>(padang_steps().size());
  // Step n (1-based) committed at start + (n-1) hours.
  for (std::int64_t n = 1; n <= steps; ++n) {
    const std::int64_t at = padang_start_us + (n - 1) * hour_us;
    EXPECT_EQ(*version_at_time(*log, "padang-2019", at), static_cast<model::Version>(n));
    EXPECT_EQ(*version_at_time(*log, "padang-2019", at + hour_us - 1),
              static_cast<model::Version>(n));
  }
  EXPECT_FALSE(version_at_time(*log, "padang-2019", padang_start_us - 1)->has_value());
  EXPECT_FALSE(version_at_time(*log, "elsewhere", padang_start_us)->has_value());
  auto later = state_at_time(*log, "padang-2019", padang_start_us + 1000 * hour_us);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->version, static_cast<model::Version>(steps));
  EXPECT_EQ(state_at_time(*log, "padang-2019", 0).error().code, ErrorCode::not_found);
}

TEST(TimeTravel, EqualCommitTimesResolveToTheLastOfThem) {
  TempDir dir;
  TestClock clock;  // never advanced: every event has the same time
  auto log = open_log(dir.str() + "/log", &clock);
  Driver driver(*log, "kota");
  ASSERT_EQ(driver.run(R"j({"type":"CreateMasterplan","cityName":"Kota","regionCode":"13.71","startYear":2020,"endYear":2024})j"), "");
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(driver.run(R"j({"type":"SetVision","text":"v"})j"), "");
  }
  EXPECT_EQ(*version_at_time(*log, "kota", clock.now_us), 7u);
  EXPECT_FALSE(version_at_time(*log, "kota", clock.now_us - 1)->has_value());
}

// Property: for random command sequences, the state (and every view) at version V from a
// snapshot equals the one from a full replay to V. `profile` caps the generator's entities
// (nullopt: unbounded); `commands` is how many it is asked for.
void check_snapshot_plus_tail(std::uint64_t seed, std::optional<CityProfile> profile,
                              int commands) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str() + "/log", &clock);
  const std::string id = "kota-" + std::to_string(seed);
  Driver driver(*log, id);
  CommandGenerator generator(seed, 2019, profile);
  // A small K with the crossing rule, so snapshots land at odd versions too.
  Snapshotter snapshotter(*log, SnapshotPolicy{7});
  int accepted = 0;
  for (int i = 0; i < commands; ++i) {
    clock.now_us += 1'000'000;
    if (driver.run(generator.next(driver.state())).empty()) {
      ++accepted;
      generator.accepted(driver.last_command_id());
      ASSERT_TRUE(snapshotter.observe(driver.state()).ok());
    }
  }
  ASSERT_GT(accepted, commands * 3 / 5) << "the generator should mostly produce valid commands";
  const model::Version last = driver.state().version;
  EXPECT_EQ(all_views(*current_state(*log, id)), all_views(driver.state()));
  // The engine's form: snapshot with bookkeeping + tail folded with it = the live state.
  EXPECT_EQ(model::canonical_json(*current_state(*log, id, model::Bookkeeping::include)),
            model::canonical_json(driver.state()));
  std::mt19937_64 random(seed);
  for (int probe = 0; probe < 40; ++probe) {
    const model::Version v = 1 + random() % last;
    auto from_snapshot = state_at(*log, id, v);
    ASSERT_TRUE(from_snapshot.ok()) << from_snapshot.error().message;
    const auto replayed = full_replay(*log, id, v);
    ASSERT_EQ(all_views(*from_snapshot), all_views(replayed)) << "version " << v;
    if (probe % 4 == 0) {
      auto full = state_at(*log, id, v, model::Bookkeeping::include);
      ASSERT_TRUE(full.ok()) << full.error().message;
      ASSERT_EQ(model::canonical_json(*full), model::canonical_json(replayed)) << "version " << v;
    }
  }
}

TEST(TimeTravelProperty, SnapshotPlusTailEqualsFullReplay) {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    check_snapshot_plus_tail(seed, std::nullopt, 250);
  }
}

// Small caps, reached early, so most of the history is the capped generator's edits
// (renames, resolutions, updates of missions and issues, supporting OPDs taken away).
CityProfile tiny_city() {
  CityProfile profile;
  profile.max_opds = 4;
  profile.max_programs = 5;
  profile.max_strategic_issues = 3;
  profile.max_missions = 2;
  profile.max_comments = 6;
  profile.max_supporting_opds = 2;
  return profile;
}

TEST(TimeTravelProperty, SnapshotPlusTailEqualsFullReplayWithACityProfile) {
  for (std::uint64_t seed : {5u, 6u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    check_snapshot_plus_tail(seed, tiny_city(), 600);
  }
}

// The capped generator keeps a masterplan within its profile however long the history,
// and still produces mostly valid commands.
TEST(CommandGeneratorProfile, ALongHistoryStaysWithinTheCaps) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str() + "/log", &clock);
  Driver driver(*log, "kota-caps");
  const CityProfile profile = tiny_city();
  CommandGenerator generator(9, 2019, profile);
  std::map<std::string, int> accepted_types;
  for (int i = 0; i < 3000; ++i) {
    clock.now_us += 1'000'000;
    const json::object command = generator.next(driver.state());
    if (driver.run(command).empty()) {
      ++accepted_types[std::string(command.at("type").as_string())];
      generator.accepted(driver.last_command_id());
    }
    const auto& state = driver.state();
    ASSERT_LE(state.opds.size(), profile.max_opds);
    ASSERT_LE(state.programs.size(), profile.max_programs);
    ASSERT_LE(state.strategic_issues.size(), profile.max_strategic_issues);
    ASSERT_LE(state.missions.size(), profile.max_missions);
    ASSERT_LE(state.comments.size(), profile.max_comments);
    for (const auto& [id, program] : state.programs) {
      ASSERT_LE(program.supporting_opds.size(), profile.max_supporting_opds);
    }
  }
  // Each cap was reached and turned into its edit.
  for (const char* type : {"RenameOpd", "ResolveComment", "UpdateMission",
                           "UpdateStrategicIssue", "RemoveSupportingOpd"}) {
    EXPECT_GT(accepted_types[type], 0) << type;
  }
}

}  // namespace
}  // namespace rembuk::projections
