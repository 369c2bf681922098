// Every view against hand-checked expectations on the Padang fixture (padang_fixture.hpp).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "padang_fixture.hpp"
#include "rembuk/projections/text_render.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {
namespace {

using namespace testing;
namespace json = boost::json;

class PadangViews : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = open_log(dir_.str() + "/log", &clock_);
    driver_ = std::make_unique<Driver>(*log_, "padang-2019");
    build_padang(*driver_, clock_);
    ASSERT_EQ(driver_->state().version, padang_steps().size());
  }

  json::value view(std::string_view name, ViewRequest request = {}) {
    auto rendered = render_view(*log_, "padang-2019", name, request);
    EXPECT_TRUE(rendered.ok()) << (rendered ? "" : rendered.error().message);
    return rendered ? *rendered : json::value();
  }

  static std::vector<std::string> keys(const json::value& object) {
    std::vector<std::string> out;
    for (const auto& [key, value] : object.as_object()) out.emplace_back(key);
    return out;
  }

  static std::vector<std::string> ids(const json::array& array, std::string_view key) {
    std::vector<std::string> out;
    for (const auto& item : array) out.emplace_back(item.at(key).as_string());
    return out;
  }

  TempDir dir_;
  TestClock clock_;
  std::unique_ptr<store::EventLog> log_;
  std::unique_ptr<Driver> driver_;
};

constexpr std::int64_t M = 1'000'000;  // a million rupiah

TEST_F(PadangViews, DocumentFollowsTheKominfoOrder) {
  auto doc = view("document");
  EXPECT_EQ(keys(doc), (std::vector<std::string>{"masterplan", "version", "identity", "readiness",
                                                 "strategicIssues", "vision", "missions",
                                                 "dimensions", "quickWins", "roadmap", "budget",
                                                 "opds", "members", "plugins"}));
  EXPECT_EQ(doc.at("identity").at("cityName"), "Kota Padang");
  EXPECT_EQ(doc.at("identity").at("period").at("years"), 5);
  EXPECT_EQ(doc.at("identity").at("rpjmd").at("endYear"), 2024);
  // Readiness grouped by the three axes, in the order struktur, infrastruktur, suprastruktur.
  EXPECT_EQ(keys(doc.at("readiness")),
            (std::vector<std::string>{"struktur", "infrastruktur", "suprastruktur"}));
  EXPECT_EQ(ids(doc.at("readiness").at("infrastruktur").as_array(), "entryId"),
            (std::vector<std::string>{"r-apps", "r-fiber"}));
  EXPECT_EQ(doc.at("readiness").at("struktur").at(0).at("quantity").to_number<double>(), 121);
  EXPECT_EQ(ids(doc.at("strategicIssues").as_array(), "dimension"),
            (std::vector<std::string>{"governance", "branding"}));
  EXPECT_EQ(ids(doc.at("missions").as_array(), "missionId"),
            (std::vector<std::string>{"m-layanan", "m-ekonomi"}));
  // All six dimensions, in the national order, each with its three elements.
  const auto& dimensions = doc.at("dimensions").as_array();
  EXPECT_EQ(ids(dimensions, "dimension"),
            (std::vector<std::string>{"governance", "branding", "economy", "living", "society",
                                      "environment"}));
  const auto& governance = dimensions.at(0).at("elements").as_array();
  EXPECT_EQ(governance.size(), 3u);
  EXPECT_EQ(governance.at(0).at("element"), "public_service");
  EXPECT_EQ(governance.at(0).at("programs").at(0).at("title"),
            "Sistem Pelayanan Publik Terpadu (SIPADU)");
  EXPECT_EQ(ids(doc.at("quickWins").as_array(), "programId"),
            (std::vector<std::string>{"p-qw-wifi"}));
  EXPECT_EQ(doc.at("budget").at("total"), 3500 * M);
  EXPECT_EQ(ids(doc.at("opds").as_array(), "opdId"),
            (std::vector<std::string>{"bappeda", "dishub", "diskominfo", "diskop", "dispar"}));
  // The document embeds exactly the roadmap and budget views.
  EXPECT_EQ(doc.at("roadmap"), view("roadmap"));
  EXPECT_EQ(doc.at("budget"), view("budget"));
}

TEST_F(PadangViews, RoadmapListsTheProgramsRunningEachYear) {
  auto roadmap = view("roadmap");
  const auto& years = roadmap.at("years").as_array();
  ASSERT_EQ(years.size(), 5u);
  // 2019: p-sipadu and the quick win p-qw-wifi; 2020: + p-wisata, p-bus, - p-qw-wifi;
  // 2021 and 2022: + p-umkm; 2023: p-wisata has ended.
  std::vector<std::int64_t> running, quick_wins;
  for (const auto& year : years) {
    running.push_back(year.at("programs").to_number<std::int64_t>());
    quick_wins.push_back(year.at("quickWins").to_number<std::int64_t>());
  }
  EXPECT_EQ(running, (std::vector<std::int64_t>{2, 3, 4, 4, 3}));
  EXPECT_EQ(quick_wins, (std::vector<std::int64_t>{1, 0, 0, 0, 0}));
  const auto& y2019 = years.at(0).at("dimensions").as_array();
  EXPECT_EQ(ids(y2019, "dimension"), (std::vector<std::string>{"governance", "society"}));
  EXPECT_EQ(y2019.at(1).at("programs").at(0).at("quickWin"), true);
  const auto& y2023 = years.at(4).at("dimensions").as_array();
  EXPECT_EQ(ids(y2023, "dimension"), (std::vector<std::string>{"governance", "economy", "living"}));
  EXPECT_EQ(y2023.at(0).at("programs").at(0).at("endsThisYear"), true);
}

TEST_F(PadangViews, OpdMatrixHasLeadsSupportsAndLeadBudgetPerYear) {
  auto matrix = view("opds");
  const auto& opds = matrix.at("opds").as_array();
  ASSERT_EQ(ids(opds, "opdId"),
            (std::vector<std::string>{"bappeda", "dishub", "diskominfo", "diskop", "dispar"}));
  const auto& kominfo = opds.at(2);
  EXPECT_EQ(ids(kominfo.at("leads").as_array(), "programId"),
            (std::vector<std::string>{"p-qw-wifi", "p-sipadu"}));
  EXPECT_EQ(ids(kominfo.at("supports").as_array(), "programId"),
            (std::vector<std::string>{"p-wisata"}));
  // p-sipadu 2019 500 M + p-qw-wifi 2019 200 M = 700 M; 2020: 750 M APBD + 250 M APBN.
  std::vector<std::int64_t> per_year;
  for (const auto& b : kominfo.at("budget").as_array()) per_year.push_back(b.at("amount").as_int64());
  EXPECT_EQ(per_year, (std::vector<std::int64_t>{700 * M, 1000 * M, 0, 0, 0}));
  EXPECT_EQ(kominfo.at("total"), 1700 * M);
  const auto& bappeda = opds.at(0);
  EXPECT_TRUE(bappeda.at("leads").as_array().empty());
  EXPECT_EQ(ids(bappeda.at("supports").as_array(), "programId"),
            (std::vector<std::string>{"p-sipadu"}));
  EXPECT_EQ(bappeda.at("total"), 0);
  EXPECT_TRUE(opds.at(3).at("shortName").is_null());  // diskop was registered without one
  EXPECT_EQ(opds.at(4).at("total"), 400 * M);          // dispar: p-wisata 300 M + 100 M CSR
}

TEST_F(PadangViews, BudgetTotalsPerYearSourceAndDimension) {
  auto budget = view("budget");
  auto amounts = [&](std::string_view key, std::string_view by) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& row : budget.at(key).as_array()) {
      const auto& label = row.at(by);
      out.emplace_back(label.is_string() ? std::string(label.as_string())
                                         : std::to_string(label.as_int64()),
                       row.at("amount").as_int64());
    }
    return out;
  };
  using Rows = std::vector<std::pair<std::string, std::int64_t>>;
  // 2019: 500 + 200; 2020: 750 + 250 + 300; 2021: 100 + 400; 2022: 1000; 2023: none.
  EXPECT_EQ(amounts("byYear", "year"), (Rows{{"2019", 700 * M}, {"2020", 1300 * M},
                                             {"2021", 500 * M}, {"2022", 1000 * M},
                                             {"2023", 0}}));
  // APBD: 500 + 750 + 300 + 200.
  EXPECT_EQ(amounts("bySource", "source"),
            (Rows{{"APBD", 1750 * M}, {"APBD_PROVINSI", 400 * M}, {"APBN", 250 * M},
                  {"KPBU", 1000 * M}, {"CSR", 100 * M}, {"SWASTA", 0}}));
  EXPECT_EQ(amounts("byDimension", "dimension"),
            (Rows{{"governance", 1500 * M}, {"branding", 400 * M}, {"economy", 1000 * M},
                  {"living", 400 * M}, {"society", 200 * M}, {"environment", 0}}));
  EXPECT_EQ(budget.at("total"), 3500 * M);
  const auto& cells = budget.at("cells").as_array();
  // 2019 APBD governance + society; 2020 APBD governance + branding, APBN governance;
  // 2021 CSR branding, APBD_PROVINSI living; 2022 KPBU economy.
  ASSERT_EQ(cells.size(), 8u);
  EXPECT_EQ(cells.at(0), (json::object{{"year", 2019}, {"source", "APBD"}, {"dimension", "governance"}, {"amount", 500 * M}}));
}

TEST_F(PadangViews, CoverageSaysWhatTheSubmissionGateMisses) {
  auto coverage = view("coverage");
  const auto& dimensions = coverage.at("dimensions").as_array();
  std::vector<std::int64_t> programs;
  for (const auto& d : dimensions) programs.push_back(d.at("programs").to_number<std::int64_t>());
  EXPECT_EQ(programs, (std::vector<std::int64_t>{1, 1, 1, 1, 1, 0}));
  EXPECT_EQ(dimensions.at(0).at("elementsWithoutProgram"),
            (json::array{"bureaucracy_management", "public_policy"}));
  EXPECT_EQ(dimensions.at(5).at("elementsWithoutProgram").as_array().size(), 3u);
  const auto& missing = coverage.at("submission").at("missing").as_array();
  std::vector<std::string> items;
  for (const auto& m : missing) {
    std::string item(m.at("code").as_string());
    for (const auto& [k, v] : m.at("detail").as_object()) item += " " + std::string(v.as_string());
    items.push_back(item);
  }
  EXPECT_EQ(items, (std::vector<std::string>{
                       "submission.dimension_without_program environment",
                       "submission.program_without_indicator p-bus",
                       "submission.program_without_indicator p-umkm",
                       "submission.program_without_indicator p-wisata"}));
  EXPECT_EQ(coverage.at("submission").at("ready"), false);
  // The model's own gate agrees: submitting is rejected with exactly these items.
  std::string code = driver_->run(R"j({"type":"SubmitMasterplan"})j");
  EXPECT_EQ(code, "submission.incomplete");
}

TEST_F(PadangViews, CoverageIsReadyWhenTheGateIsSatisfied) {
  for (const char* command : {
           R"j({"type":"AddProgram","programId":"p-sampah","title":"Bank Sampah Digital","dimension":"environment","element":"waste_management","leadOpd":"dishub","startYear":2021,"endYear":2023})j",
           R"j({"type":"AddIndicator","programId":"p-sampah","indicatorId":"i1","name":"Bank sampah","unit":"unit"})j",
           R"j({"type":"AddIndicator","programId":"p-bus","indicatorId":"i1","name":"Halte","unit":"unit"})j",
           R"j({"type":"AddIndicator","programId":"p-umkm","indicatorId":"i1","name":"UMKM daring","unit":"UMKM"})j",
           R"j({"type":"AddIndicator","programId":"p-wisata","indicatorId":"i1","name":"Kunjungan","unit":"orang"})j"}) {
    ASSERT_EQ(driver_->run(command), "") << command;
  }
  auto coverage = view("coverage");
  EXPECT_EQ(coverage.at("submission").at("ready"), true);
  EXPECT_TRUE(coverage.at("submission").at("missing").as_array().empty());
  EXPECT_EQ(driver_->run(R"j({"type":"SubmitMasterplan"})j"), "");
  EXPECT_EQ(view("coverage").at("status"), "submitted");
}

TEST_F(PadangViews, ActivityIsNewestFirstAndFilters) {
  auto all = view("activity");
  const auto& entries = all.at("entries").as_array();
  ASSERT_EQ(entries.size(), padang_steps().size());
  EXPECT_EQ(entries.at(0).at("version"), padang_steps().size());
  EXPECT_EQ(entries.at(0).at("type"), "ProgramBudgetSet");
  EXPECT_EQ(entries.back().at("type"), "MasterplanCreated");
  EXPECT_EQ(entries.back().at("time"), "2019-03-01T08:00:00Z");
  EXPECT_EQ(entries.back().at("entity"), "masterplan");

  ViewRequest by_rina;
  by_rina.filter.actor = "u-rina";
  auto rina = view("activity", by_rina);
  EXPECT_EQ(ids(rina.at("entries").as_array(), "type"),
            (std::vector<std::string>{"ProgramBudgetSet", "ProgramUpdated"}));

  ViewRequest by_entity;
  by_entity.filter.entity = "program/p-sipadu";
  auto sipadu = view("activity", by_entity);
  // Added, 3 budget lines, indicator, target, title, budget change.
  EXPECT_EQ(sipadu.at("entries").as_array().size(), 8u);
  EXPECT_EQ(sipadu.at("entries").at(2).at("entity"), "program/p-sipadu/indicator/i-layanan");

  by_entity.filter.limit = 2;
  EXPECT_EQ(view("activity", by_entity).at("entries").as_array().size(), 2u);
}

TEST_F(PadangViews, EntityHistoryShowsBeforeAndAfter) {
  ViewRequest request;
  request.filter.entity = "program/p-sipadu";
  auto history = view("history", request);
  const auto& changes = history.at("changes").as_array();
  ASSERT_EQ(changes.size(), 8u);
  EXPECT_EQ(changes.at(0).at("type"), "ProgramAdded");
  EXPECT_TRUE(changes.at(0).at("before").is_null());
  EXPECT_EQ(changes.at(0).at("after").at("supportingOpds"), (json::array{"bappeda"}));
  const auto& retitle = changes.at(6);
  EXPECT_EQ(retitle.at("actor"), "u-rina");
  EXPECT_EQ(retitle.at("before").at("title"), "Sistem Pelayanan Terpadu");
  EXPECT_EQ(retitle.at("after").at("title"), "Sistem Pelayanan Publik Terpadu (SIPADU)");
  // The budget change: 2020 APBD from 600 M to 750 M.
  const auto& money = changes.at(7);
  auto apbd_2020 = [](const json::value& program) {
    for (const auto& line : program.at("budget").as_array()) {
      if (line.at("year") == 2020 && line.at("source") == "APBD") return line.at("amount").as_int64();
    }
    return std::int64_t{-1};
  };
  EXPECT_EQ(apbd_2020(money.at("before")), 600 * M);
  EXPECT_EQ(apbd_2020(money.at("after")), 750 * M);

  request.filter.entity = "opd/diskop";
  auto diskop = view("history", request);
  ASSERT_EQ(diskop.at("changes").as_array().size(), 1u);
  EXPECT_EQ(diskop.at("changes").at(0).at("after").at("name"), "Dinas Koperasi dan UMKM");

  request.filter.entity = "program/p-sipadu/indicator/i-layanan";
  auto indicator = view("history", request);
  ASSERT_EQ(indicator.at("changes").as_array().size(), 2u);
  EXPECT_EQ(indicator.at("changes").at(1).at("after").at("targets"),
            (json::array{json::object{{"year", 2023}, {"value", 80.0}}}));
}

TEST_F(PadangViews, ViewsAtAPastVersionAndTime) {
  // Version 17 is the step that added p-sipadu (before any budget).
  ViewRequest at;
  at.at = 17;
  auto budget = view("budget", at);
  EXPECT_EQ(budget.at("version"), 17);
  EXPECT_EQ(budget.at("total"), 0);
  at.at = 18;
  EXPECT_EQ(view("budget", at).at("total"), 500 * M);
  // One hour per step from 08:00: step 18 was at 2019-03-01T08:00 + 17 h = 2019-03-02T01:00.
  ViewRequest when;
  when.at_time_us = padang_start_us + 17 * hour_us + 59 * 60 * 1'000'000LL;
  EXPECT_EQ(view("budget", when).at("version"), 18);
  when.at_time_us = padang_start_us - 1;
  EXPECT_FALSE(render_view(*log_, "padang-2019", "budget", when).ok());
}

TEST_F(PadangViews, UnknownViewsAndMasterplansAreErrors) {
  auto bad = render_view(*log_, "padang-2019", "nonsense", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  auto none = render_view(*log_, "bukittinggi", "document", {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::not_found);
  ViewRequest too_far;
  too_far.at = 1000;
  EXPECT_EQ(render_view(*log_, "padang-2019", "document", too_far).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(render_view(*log_, "padang-2019", "history", {}).error().code,
            ErrorCode::invalid_argument);
}

TEST_F(PadangViews, TextTablesCarryTheFigures) {
  auto budget_text = render_text(View::budget, view("budget"));
  EXPECT_NE(budget_text.find("3.500.000.000"), std::string::npos) << budget_text;
  EXPECT_NE(budget_text.find("APBD_PROVINSI"), std::string::npos);
  auto roadmap_text = render_text(View::roadmap, view("roadmap"));
  EXPECT_NE(roadmap_text.find("p-qw-wifi"), std::string::npos) << roadmap_text;
  EXPECT_NE(roadmap_text.find("QW"), std::string::npos);
  auto coverage_text = render_text(View::coverage, view("coverage"));
  EXPECT_NE(coverage_text.find("submission.program_without_indicator programId=p-bus"),
            std::string::npos)
      << coverage_text;
  auto document_text = render_text(View::document, view("document"));
  EXPECT_NE(document_text.find("Kota Padang"), std::string::npos);
  EXPECT_NE(document_text.find("Tenaga TI"), std::string::npos);
  ViewRequest request;
  request.filter.entity = "program/p-sipadu";
  auto history_text = render_text(View::history, view("history", request));
  EXPECT_NE(history_text.find("u-rina"), std::string::npos) << history_text;
  EXPECT_FALSE(render_text(View::opds, view("opds")).empty());
  EXPECT_FALSE(render_text(View::activity, view("activity")).empty());
}

}  // namespace
}  // namespace rembuk::projections
