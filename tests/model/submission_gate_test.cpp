// Rule 6: submitting lists every missing item at once.
#include <gtest/gtest.h>

#include <set>

#include "fixture.hpp"

namespace rembuk::model::testing {
namespace {

TEST(SubmissionGate, ListsEveryMissingItemAtOnce) {
  Masterplan m;
  seed(m);  // one governance program without indicators, no vision, no quick win
  m.ok(R"({"type":"AddProgram","programId":"p-eco","title":"Pasar daring UMKM","dimension":"economy","element":"people_welfare","leadOpd":"bappeda","startYear":2020,"endYear":2022})");
  auto r = m.rejected(R"({"type":"SubmitMasterplan"})", "submission.incomplete");
  std::multiset<std::string> codes;
  std::set<std::string> dimensions;
  std::set<std::string> programs;
  for (const auto& v : r.violations) {
    codes.insert(v.code);
    if (v.code == "submission.dimension_without_program") {
      dimensions.insert(std::string(v.detail.at("dimension").as_string()));
    }
    if (v.code == "submission.program_without_indicator") {
      programs.insert(std::string(v.detail.at("programId").as_string()));
    }
  }
  EXPECT_EQ(codes.count("submission.vision_missing"), 1u);
  EXPECT_EQ(codes.count("submission.no_quick_win"), 1u);
  EXPECT_EQ(dimensions, (std::set<std::string>{"branding", "living", "society", "environment"}));
  EXPECT_EQ(programs, (std::set<std::string>{"p-eco", "p-gov"}));
  EXPECT_EQ(r.violations.size(), 1u + 1u + 4u + 2u);
  EXPECT_EQ(m.state().status, Status::draft);
}

TEST(SubmissionGate, PassesWhenComplete) {
  Masterplan m;
  seed(m);
  m.ok(R"({"type":"SetVision","text":"Padang kota cerdas"})");
  m.ok(R"({"type":"AddIndicator","programId":"p-gov","indicatorId":"i","name":"Izin daring","unit":"%"})");
  const char* d[][2] = {{"branding", "tourism_branding"}, {"economy", "people_welfare"},
                        {"living", "health"}, {"society", "learning_ecosystem"},
                        {"environment", "waste_management"}};
  for (auto& x : d) {
    m.ok(std::string(R"({"type":"AddProgram","programId":"q-)") + x[0] +
         R"(","title":"Q","dimension":")" + x[0] + R"(","element":")" + x[1] +
         R"(","leadOpd":"bappeda","startYear":2020,"endYear":2020,"quickWin":true})");
    m.ok(std::string(R"({"type":"AddIndicator","programId":"q-)") + x[0] +
         R"(","indicatorId":"i","name":"I","unit":"%"})");
  }
  auto events = m.ok(R"({"type":"SubmitMasterplan"})");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload.at("previousStatus").as_string(), "draft");
  EXPECT_EQ(m.state().status, Status::submitted);
}

}  // namespace
}  // namespace rembuk::model::testing
