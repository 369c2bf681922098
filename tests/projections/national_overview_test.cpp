// The national overview: one row per masterplan, kept current by its subscription to a real
// LMDB log (catch-up, then live), with the query's sorts and filters.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "log_driver.hpp"
#include "rembuk/projections/national_overview.hpp"
#include "rembuk/projections/snapshotter.hpp"

namespace rembuk::projections::testing {
namespace {

using namespace std::chrono_literals;

void seed_city(Driver& d, const std::string& city, const std::string& region,
               const std::string& mou_date, int programs) {
  ASSERT_EQ(d.run(json::object{{"type", "CreateMasterplan"},
                               {"cityName", city},
                               {"regionCode", region},
                               {"startYear", 2023},
                               {"endYear", 2032}}),
            "");
  ASSERT_EQ(d.run(json::object{{"type", "RecordMou"}, {"date", mou_date}, {"signedBy", "Wali Kota"}}), "");
  ASSERT_EQ(d.run(R"({"type":"RegisterOpd","opdId":"diskominfo","name":"Diskominfo"})"), "");
  for (int p = 0; p < programs; ++p) {
    const std::string id = "p" + std::to_string(p);
    ASSERT_EQ(d.run(json::object{{"type", "AddProgram"},
                                 {"programId", id},
                                 {"title", "Program " + id},
                                 {"dimension", p % 2 == 0 ? "governance" : "economy"},
                                 {"element", p % 2 == 0 ? "public_service" : "people_welfare"},
                                 {"leadOpd", "diskominfo"},
                                 {"startYear", 2023},
                                 {"endYear", 2023},
                                 {"quickWin", p == 0}}),
              "");
    ASSERT_EQ(d.run(json::object{{"type", "SetProgramBudget"},
                                 {"programId", id},
                                 {"year", 2023},
                                 {"source", "APBD"},
                                 {"amount", 1'000'000'000}}),
              "");
  }
}

class NationalOverviewTest : public ::testing::Test {
 protected:
  void SetUp() override { log_ = open_log(dir_.path(), &clock_); }
  store::Position head() { return log_->head().value().position; }

  TempDir dir_;
  TestClock clock_;
  std::unique_ptr<store::EventLog> log_;
};

TEST_F(NationalOverviewTest, CatchesUpThenFollowsLiveEdits) {
  Driver padang(*log_, "padang-2019");
  seed_city(padang, "Kota Padang", "13.71", "2018-05-08", 3);
  Driver pariaman(*log_, "pariaman-2022");
  seed_city(pariaman, "Kota Pariaman", "13.77", "2022-04-21", 2);

  NationalOverview overview(*log_);
  ASSERT_TRUE(overview.wait_for(head(), 10s));
  auto rows = overview.rows();
  ASSERT_EQ(rows->size(), 2u);
  const OverviewRow& p = *rows->at(0);  // ordered by masterplan id
  EXPECT_EQ(p.masterplan, "padang-2019");
  EXPECT_EQ(p.city, "Kota Padang");
  EXPECT_EQ(p.province, "Sumatera Barat");
  EXPECT_EQ(p.cohort_year, 2018);
  EXPECT_EQ(p.status, "draft");
  EXPECT_EQ(p.current_stage, 1);
  EXPECT_EQ(p.programs, 3);
  EXPECT_EQ(p.quick_wins, 1);
  EXPECT_EQ(p.budget_total, 3'000'000'000);
  EXPECT_EQ(p.programs_per_dimension.at("governance"), 2);
  EXPECT_EQ(p.programs_per_dimension.at("economy"), 1);
  EXPECT_GT(p.checklist_done, 0.0);
  EXPECT_LT(p.checklist_done, 1.0);
  EXPECT_EQ(p.version, padang.state().version);

  // Live: a new edit reaches the row without any scan.
  const double before = p.checklist_done;
  clock_.now_us += 3'600'000'000;
  ASSERT_EQ(pariaman.run(R"({"type":"SetVision","text":"Kota wisata yang religius dan berbudaya"})"), "");
  ASSERT_EQ(padang.run(R"({"type":"SetVision","text":"Padang kota cerdas"})"), "");
  ASSERT_TRUE(overview.wait_for(head(), 10s));
  rows = overview.rows();
  EXPECT_GT(rows->at(0)->checklist_done, before);
  EXPECT_EQ(rows->at(0)->last_activity_us, clock_.now_us.load());
  // A third city appears.
  Driver payakumbuh(*log_, "payakumbuh-2022");
  seed_city(payakumbuh, "Kota Payakumbuh", "13.76", "2022-04-21", 1);
  ASSERT_TRUE(overview.wait_for(head(), 10s));
  EXPECT_EQ(overview.rows()->size(), 3u);
  EXPECT_TRUE(overview.error().empty()) << overview.error();
}

TEST_F(NationalOverviewTest, StartsFromSnapshotsWhileEditsGoOnAndFoldsNoEventTwice) {
  Driver padang(*log_, "padang-2019");
  seed_city(padang, "Kota Padang", "13.71", "2018-05-08", 4);
  Snapshotter snapshotter(*log_, SnapshotPolicy{1});
  ASSERT_TRUE(snapshotter.write(padang.state()).ok());
  ASSERT_EQ(padang.run(R"({"type":"SetVision","text":"Padang kota cerdas"})"), "");

  // Edits keep coming while the overview loads: some land before its head, some after.
  std::thread writer([&] {
    for (int i = 0; i < 40; ++i) {
      ASSERT_EQ(padang.run(json::object{{"type", "SetProgramBudget"},
                                        {"programId", "p1"},
                                        {"year", 2023},
                                        {"source", "APBD"},
                                        {"amount", 2'000'000'000 + i}}),
                "");
    }
  });
  NationalOverview overview(*log_);
  writer.join();
  ASSERT_TRUE(overview.wait_for(head(), 10s));
  auto rows = overview.rows();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0)->version, padang.state().version);
  EXPECT_EQ(rows->at(0)->budget_total, 3'000'000'000 + 2'000'000'039);
  EXPECT_EQ(rows->at(0)->programs, 4);
  // An event folded twice, or one missed, shows as a revision gap.
  EXPECT_TRUE(overview.error().empty()) << overview.error();
}

// The overview holds a masterplan's content only while it changes: none after the load, the
// edited one after an edit, none again once they are let go; the rows stay exact throughout,
// each event folded once onto the content loaded again at the version its row shows.
TEST_F(NationalOverviewTest, HoldsOnlyTheContentsOfMasterplansThatChange) {
  Driver padang(*log_, "padang-2019");
  seed_city(padang, "Kota Padang", "13.71", "2018-05-08", 3);
  Driver pariaman(*log_, "pariaman-2022");
  seed_city(pariaman, "Kota Pariaman", "13.77", "2022-04-21", 2);

  NationalOverview kept(*log_);
  NationalOverview let_go(*log_, OverviewOptions{0ms});
  ASSERT_TRUE(kept.wait_for(head(), 10s));
  ASSERT_TRUE(let_go.wait_for(head(), 10s));
  EXPECT_EQ(kept.contents_held(), 0u);
  EXPECT_EQ(let_go.contents_held(), 0u);

  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(padang.run(json::object{{"type", "SetProgramBudget"},
                                      {"programId", "p1"},
                                      {"year", 2023},
                                      {"source", "APBN"},
                                      {"amount", 500'000'000 + i}}),
              "");
    ASSERT_TRUE(kept.wait_for(head(), 10s));
    ASSERT_TRUE(let_go.wait_for(head(), 10s));
  }
  EXPECT_EQ(kept.contents_held(), 1u);  // padang's, not pariaman's
  EXPECT_EQ(let_go.contents_held(), 0u);

  const auto kept_rows = kept.rows();
  const auto let_go_rows = let_go.rows();
  NationalOverview fresh(*log_);
  ASSERT_TRUE(fresh.wait_for(head(), 10s));
  const auto fresh_rows = fresh.rows();
  ASSERT_EQ(fresh_rows->size(), 2u);
  ASSERT_EQ(kept_rows->size(), 2u);
  ASSERT_EQ(let_go_rows->size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(json::serialize(to_json(*kept_rows->at(i))), json::serialize(to_json(*fresh_rows->at(i))));
    EXPECT_EQ(json::serialize(to_json(*let_go_rows->at(i))), json::serialize(to_json(*fresh_rows->at(i))));
  }
  EXPECT_EQ(let_go_rows->at(0)->budget_total, 3'000'000'000 + 500'000'004);
  EXPECT_EQ(let_go_rows->at(0)->version, padang.state().version);
  EXPECT_TRUE(kept.error().empty()) << kept.error();
  EXPECT_TRUE(let_go.error().empty()) << let_go.error();
}

TEST_F(NationalOverviewTest, SortsAndFilters) {
  Driver a(*log_, "a-kota");
  seed_city(a, "Kota Bukittinggi", "13.75", "2018-05-08", 1);
  Driver b(*log_, "b-kota");
  seed_city(b, "Kota Surabaya", "35.78", "2017-05-20", 4);
  Driver c(*log_, "c-kota");
  seed_city(c, "Kota Pariaman", "13.77", "2022-04-21", 2);
  NationalOverview overview(*log_);
  ASSERT_TRUE(overview.wait_for(head(), 10s));

  auto ids = [&](const std::map<std::string, std::string>& parameters) {
    auto query = parse_overview_query(parameters);
    EXPECT_TRUE(query) << (query ? "" : query.error());
    std::vector<std::string> out;
    if (!query) return out;
    auto result = overview.query(*query);
    for (const auto& row : result.at("masterplans").as_array()) {
      out.emplace_back(row.at("masterplan").as_string());
    }
    EXPECT_EQ(result.at("total").to_number<int>(), 3);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({}), (V{"a-kota", "c-kota", "b-kota"}));  // by city
  EXPECT_EQ(ids({{"sort", "budgetTotal"}, {"order", "desc"}}), (V{"b-kota", "c-kota", "a-kota"}));
  EXPECT_EQ(ids({{"sort", "cohortYear"}}), (V{"b-kota", "a-kota", "c-kota"}));
  EXPECT_EQ(ids({{"province", "Sumatera Barat"}}), (V{"a-kota", "c-kota"}));
  EXPECT_EQ(ids({{"cohortYear", "2022"}}), (V{"c-kota"}));
  EXPECT_EQ(ids({{"q", "SURA"}}), (V{"b-kota"}));
  EXPECT_EQ(ids({{"status", "submitted"}}), V{});
  EXPECT_EQ(ids({{"currentStage", "1"}, {"sort", "programs"}}), (V{"a-kota", "c-kota", "b-kota"}));
  // Only the rows the caller may read, and a total that tells nothing of the others.
  auto limited = overview.query(OverviewQuery{}, [](std::string_view mp) { return mp == "c-kota"; });
  EXPECT_EQ(limited.at("count").to_number<int>(), 1);
  EXPECT_EQ(limited.at("total").to_number<int>(), 1);
  EXPECT_EQ(limited.at("masterplans").as_array().at(0).at("masterplan").as_string(), "c-kota");

  // Bad parameters say what they accept.
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"sort", "population"}, {"order", "up"}, {"cohortYear", "dua ribu"},
           {"status", "done"}, {"currentStage", "9"}}) {
    auto query = parse_overview_query({{key, value}});
    ASSERT_FALSE(query) << key;
    EXPECT_NE(query.error().find(key), std::string::npos) << query.error();
  }
}

TEST(NationalOverviewProvince, FromTheRegionCode) {
  EXPECT_EQ(province_of("13.71"), "Sumatera Barat");
  EXPECT_EQ(province_of("35.78"), "Jawa Timur");
  EXPECT_EQ(province_of("99.01"), "");
  EXPECT_EQ(province_of(""), "");
}

}  // namespace
}  // namespace rembuk::projections::testing
