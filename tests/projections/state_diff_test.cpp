#include "rembuk/projections/state_diff.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "padang_fixture.hpp"
#include "rembuk/projections/text_render.hpp"
#include "rembuk/projections/time_travel.hpp"

namespace rembuk::projections {
namespace {

using namespace testing;
namespace json = boost::json;

TEST(StateDiff, ListsAddedRemovedAndChangedEntities) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str() + "/log", &clock);
  Driver driver(*log, "padang-2019");
  build_padang(driver, clock);
  ASSERT_EQ(driver.run(R"j({"type":"RemoveProgram","programId":"p-bus"})j"), "");
  const auto last = driver.state().version;
  // From version 32 (p-bus just added, before its budget) to the end: p-bus removed,
  // p-sipadu retitled and budgeted.
  auto diff = diff_states(*state_at(*log, "padang-2019", 31), *state_at(*log, "padang-2019", last));
  const auto& changes = diff.at("changes").as_array();
  ASSERT_EQ(changes.size(), 2u) << json::serialize(diff);
  EXPECT_EQ(changes.at(0).at("entity"), "program/p-bus");
  EXPECT_EQ(changes.at(0).at("change"), "removed");
  EXPECT_EQ(changes.at(1).at("entity"), "program/p-sipadu");
  EXPECT_EQ(changes.at(1).at("change"), "changed");
  EXPECT_EQ(changes.at(1).at("fields"), (json::array{"title", "budget"}));

  auto from_start = diff_states(*state_at(*log, "padang-2019", 1), driver.state());
  std::size_t added = 0;
  for (const auto& c : from_start.at("changes").as_array()) added += c.at("change") == "added";
  // 5 OPDs, 4 readiness entries, 2 issues, 2 missions, 1 member, 4 programs.
  EXPECT_EQ(added, 18u);
  auto text = render_diff_text(diff);
  EXPECT_NE(text.find("- program/p-bus"), std::string::npos) << text;
  EXPECT_NE(text.find("~ program/p-sipadu"), std::string::npos) << text;
  EXPECT_TRUE(diff_states(driver.state(), driver.state()).at("changes").as_array().empty());
}

}  // namespace
}  // namespace rembuk::projections
