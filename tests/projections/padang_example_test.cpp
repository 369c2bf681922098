// The views of examples/masterplans/padang-2019.jsonl (a realistic
// Padang draft: 220 commands, version 221, submitted). Every figure below was worked out
// by hand from the file's commands, independently of rembuk's code: sums of the
// SetProgramBudget lines (the last per program/year/source wins; command 0216, a mistaken
// Rp 90 billion APBN line, is undone by 0217), program years and flags from AddProgram.
#include <gtest/gtest.h>

#include <fstream>

#include <boost/json.hpp>

#include "log_driver.hpp"
#include "rembuk/projections/state_diff.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {
namespace {

using namespace testing;
namespace json = boost::json;

constexpr std::int64_t B = 1'000'000'000;  // a billion rupiah (Rp 1 miliar)
constexpr std::int64_t M = 1'000'000;

class PadangExample : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    log_ = open_log(dir_->str() + "/log", &clock_).release();
    Driver driver(*log_, "padang-2019");
    std::ifstream file(REMBUK_PADANG_EXAMPLE);
    ASSERT_TRUE(file) << REMBUK_PADANG_EXAMPLE;
    std::string line;
    clock_.now_us = 1'551'427'200'000'000;  // 2019-03-01T08:00:00Z, one command an hour
    while (std::getline(file, line)) {
      if (line.empty()) continue;
      ASSERT_EQ(driver.run_envelope(json::parse(line).as_object()), "") << line;
      clock_.now_us += 3'600'000'000;
    }
  }
  static void TearDownTestSuite() {
    delete log_;
    delete dir_;
  }

  static json::value view(std::string_view name, ViewRequest request = {}) {
    auto rendered = render_view(*log_, "padang-2019", name, request);
    EXPECT_TRUE(rendered.ok()) << (rendered ? "" : rendered.error().message);
    return rendered ? *rendered : json::value();
  }

  static std::vector<std::int64_t> column(const json::value& rows, std::string_view key) {
    std::vector<std::int64_t> out;
    for (const auto& row : rows.as_array()) out.push_back(row.at(key).to_number<std::int64_t>());
    return out;
  }

  static std::vector<std::string> strings(const json::value& rows, std::string_view key) {
    std::vector<std::string> out;
    for (const auto& row : rows.as_array()) out.emplace_back(row.at(key).as_string());
    return out;
  }

  static inline TempDir* dir_ = nullptr;
  static inline TestClock clock_;
  static inline store::EventLog* log_ = nullptr;
};

TEST_F(PadangExample, BudgetPerYearSourceAndDimension) {
  auto budget = view("budget");
  EXPECT_EQ(budget.at("version"), 221);
  EXPECT_EQ(budget.at("total"), 49'500 * M);
  EXPECT_EQ(column(budget.at("byYear"), "amount"),
            (std::vector<std::int64_t>{8'300 * M, 11'850 * M, 15'850 * M, 11'700 * M, 1'800 * M,
                                       0, 0, 0, 0, 0}));
  EXPECT_EQ(strings(budget.at("bySource"), "source"),
            (std::vector<std::string>{"APBD", "APBD_PROVINSI", "APBN", "KPBU", "CSR", "SWASTA"}));
  EXPECT_EQ(column(budget.at("bySource"), "amount"),
            (std::vector<std::int64_t>{25'900 * M, 0, 10 * B, 11'500 * M, 1'600 * M, 500 * M}));
  EXPECT_EQ(column(budget.at("byDimension"), "amount"),
            (std::vector<std::int64_t>{11'550 * M, 3'350 * M, 4'600 * M, 7'400 * M, 9'400 * M,
                                       13'200 * M}));
  EXPECT_EQ(budget.at("cells").as_array().size(), 36u);
}

TEST_F(PadangExample, RoadmapOverTheTenYears) {
  auto roadmap = view("roadmap");
  EXPECT_EQ(column(roadmap.at("years"), "year"),
            (std::vector<std::int64_t>{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028}));
  EXPECT_EQ(column(roadmap.at("years"), "programs"),
            (std::vector<std::int64_t>{7, 14, 14, 14, 11, 4, 1, 0, 0, 0}));
  // Quick wins: fibre, tourism portal, puskesmas queues in 2019; cashless levies, waste bank 2020.
  EXPECT_EQ(column(roadmap.at("years"), "quickWins"),
            (std::vector<std::int64_t>{3, 2, 0, 0, 0, 0, 0, 0, 0, 0}));
  // 2025: only p-pju-hemat-energi (2021–2025) still runs.
  const auto& y2025 = roadmap.at("years").at(6).at("dimensions");
  ASSERT_EQ(y2025.as_array().size(), 1u);
  EXPECT_EQ(y2025.at(0).at("programs").at(0).at("programId"), "p-pju-hemat-energi");
}

TEST_F(PadangExample, OpdMatrix) {
  auto matrix = view("opds");
  const auto& opds = matrix.at("opds").as_array();
  EXPECT_EQ(opds.size(), 19u);
  auto find = [&](std::string_view id) -> const json::value& {
    for (const auto& opd : opds) {
      if (opd.at("opdId").as_string() == id) return opd;
    }
    static const json::value none;
    ADD_FAILURE() << "no OPD " << id;
    return none;
  };
  const auto& kominfo = find("diskominfo");
  EXPECT_EQ(strings(kominfo.at("leads"), "programId"),
            (std::vector<std::string>{"p-pengaduan", "p-satu-data", "qw-fiber-kelurahan"}));
  EXPECT_EQ(kominfo.at("supports").as_array().size(), 11u);
  EXPECT_EQ(column(kominfo.at("budget"), "amount"),
            (std::vector<std::int64_t>{4'950 * M, 1'750 * M, 1 * B, 1'400 * M, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(kominfo.at("total"), 9'100 * M);
  // DLH: the undone Rp 90 billion line is not there; 2023 has the APBD 300 M that replaced it.
  const auto& dlh = find("dlh");
  EXPECT_EQ(column(dlh.at("budget"), "amount"),
            (std::vector<std::int64_t>{0, 400 * M, 600 * M, 900 * M, 300 * M, 0, 0, 0, 0, 0}));
  EXPECT_EQ(dlh.at("total"), 2'200 * M);
  const auto& humas = find("humas");
  EXPECT_EQ(strings(humas.at("supports"), "programId"),
            (std::vector<std::string>{"p-pengaduan", "qw-portal-wisata"}));
  EXPECT_EQ(humas.at("total"), 1'750 * M);
}

TEST_F(PadangExample, CoverageIsCompleteAsSubmitted) {
  auto coverage = view("coverage");
  EXPECT_EQ(coverage.at("status"), "submitted");
  EXPECT_EQ(coverage.at("submission").at("ready"), true);
  EXPECT_EQ(column(coverage.at("dimensions"), "programs"),
            (std::vector<std::int64_t>{4, 3, 3, 4, 3, 3}));
  EXPECT_EQ(column(coverage.at("dimensions"), "quickWins"),
            (std::vector<std::int64_t>{1, 1, 1, 1, 0, 1}));
  for (const auto& d : coverage.at("dimensions").as_array()) {
    EXPECT_TRUE(d.at("elementsWithoutProgram").as_array().empty()) << d.at("dimension");
  }
}

TEST_F(PadangExample, DocumentHoldsEverything) {
  auto doc = view("document");
  EXPECT_EQ(doc.at("identity").at("period").at("years"), 10);
  EXPECT_EQ(doc.at("missions").as_array().size(), 5u);
  EXPECT_EQ(doc.at("members").as_array().size(), 21u);
  EXPECT_EQ(strings(doc.at("quickWins"), "programId"),
            (std::vector<std::string>{"qw-antrean-puskesmas", "qw-bank-sampah",
                                      "qw-fiber-kelurahan", "qw-portal-wisata",
                                      "qw-retribusi-nontunai"}));
  std::size_t readiness = 0;
  for (const auto& [axis, entries] : doc.at("readiness").as_object()) {
    readiness += entries.as_array().size();
  }
  EXPECT_EQ(readiness, 6u);
  std::size_t programs = 0;
  for (const auto& d : doc.at("dimensions").as_array()) {
    for (const auto& e : d.at("elements").as_array()) programs += e.at("programs").as_array().size();
  }
  EXPECT_EQ(programs, 20u);
}

TEST_F(PadangExample, TheUndoneBudgetLineInHistoryAndTimeTravel) {
  ViewRequest request;
  request.filter.entity = "program/p-pantau-lingkungan";
  auto history = view("history", request);
  const auto& changes = history.at("changes").as_array();
  // Added, 2 budget lines, indicator, 3 targets, the 90 B line, its undo, the APBD line.
  ASSERT_EQ(changes.size(), 10u);
  EXPECT_EQ(changes.at(7).at("type"), "ProgramBudgetSet");
  EXPECT_EQ(changes.at(7).at("actor"), "u-editor-dlh");
  EXPECT_EQ(changes.at(8).at("type"), "ProgramBudgetRemoved");
  EXPECT_EQ(changes.at(8).at("actor"), "u-suardi");
  EXPECT_EQ(changes.at(8).at("before").at("budget").as_array().size(), 3u);
  EXPECT_EQ(changes.at(8).at("after").at("budget").as_array().size(), 2u);

  // Command 0216 is version 216: the 90 B line is in, the APBD 300 M line not yet.
  ViewRequest at;
  at.at = 216;
  EXPECT_EQ(view("budget", at).at("total"), 49'500 * M - 300 * M + 90 * B);
  at.at = 218;  // after CommandUndone and the compensation
  EXPECT_EQ(view("budget", at).at("total"), 49'500 * M - 300 * M);
  auto diff = diff_states(*state_at(*log_, "padang-2019", 215), *state_at(*log_, "padang-2019", 221));
  std::vector<std::string> entities;
  for (const auto& c : diff.at("changes").as_array()) entities.emplace_back(c.at("entity").as_string());
  // After 0215 (k-sinkron resolved, so no comment changes): masterplan submitted,
  // p-pantau-lingkungan's 2023 APBD line, r-fiber-opd's description.
  EXPECT_EQ(entities, (std::vector<std::string>{"masterplan",
                                                "program/p-pantau-lingkungan",
                                                "readiness/r-fiber-opd"}));
}

TEST_F(PadangExample, ActivityOfOneEditor) {
  ViewRequest request;
  request.filter.actor = "u-editor-dlh";
  auto activity = view("activity", request);
  const auto& entries = activity.at("entries").as_array();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.at(0).at("version"), 216);  // the mistaken line, newest first
  for (const auto& e : entries) EXPECT_EQ(e.at("actor"), "u-editor-dlh");
}

}  // namespace
}  // namespace rembuk::projections
