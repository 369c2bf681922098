// Field-level rebase (docs/concurrency.md): a command based on an older version is
// accepted when none of the fields it touches changed since; otherwise "conflict".
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace rembuk::model::testing {
namespace {

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed(m);
    base = m.state().version;
  }
  Masterplan m;
  Version base = 0;
  Actor ani = tim("u-ani");
  Actor budi = tim("u-budi");
};

TEST_F(ConcurrencyTest, DifferentFieldsOnTheSameBaseBothSucceed) {
  m.ok(R"({"type":"UpdateProgram","programId":"p-gov","title":"Perizinan daring terpadu"})", ani, base);
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":500000000})", budi, base);
  m.ok(R"({"type":"UpdateProgram","programId":"p-gov","description":"Satu pintu"})", budi, base);
  m.ok(R"({"type":"SetVision","text":"Visi"})", budi, base);
  EXPECT_EQ(m.state().programs.at("p-gov").title, "Perizinan daring terpadu");
  EXPECT_EQ(m.state().programs.at("p-gov").description, "Satu pintu");
  EXPECT_EQ(m.state().programs.at("p-gov").budget.at({2020, "APBD"}), 500000000);
}

TEST_F(ConcurrencyTest, SameFieldGivesTheSecondAuthorAConflict) {
  m.ok(R"({"type":"UpdateProgram","programId":"p-gov","title":"Versi Ani"})", ani, base);
  const Version ani_version = m.state().version;
  auto r = m.rejected(R"({"type":"UpdateProgram","programId":"p-gov","title":"Versi Budi"})",
                      "conflict", budi, base);
  ASSERT_EQ(r.violations.size(), 1u);
  const auto& v = r.violations[0];
  EXPECT_EQ(v.code, "conflict");
  EXPECT_EQ(v.detail.at("field").as_string(), "program/p-gov/title");
  EXPECT_EQ(v.detail.at("currentValue").as_string(), "Versi Ani");
  EXPECT_EQ(v.detail.at("changedBy").as_string(), "u-ani");
  EXPECT_EQ(v.detail.at("changedAtVersion").as_uint64(), ani_version);
  EXPECT_EQ(m.state().programs.at("p-gov").title, "Versi Ani");
  // Rebased on the version that holds Ani's change, Budi's edit goes through.
  m.ok(R"({"type":"UpdateProgram","programId":"p-gov","title":"Versi Budi"})", budi, ani_version);
}

TEST_F(ConcurrencyTest, SameBudgetLineConflictsOtherLinesDoNot) {
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":1})", ani, base);
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBN","amount":2})", budi, base);
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2021,"source":"APBD","amount":3})", budi, base);
  auto r = m.rejected(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":9})",
                      "conflict", budi, base);
  EXPECT_EQ(r.violations[0].detail.at("field").as_string(), "program/p-gov/budget/2020/APBD");
  EXPECT_EQ(r.violations[0].detail.at("currentValue").as_int64(), 1);
}

TEST_F(ConcurrencyTest, RemovedProgramConflictsWithEditsOfItsFields) {
  m.ok(R"({"type":"RemoveProgram","programId":"p-gov"})", ani, base);
  auto r = m.rejected(R"({"type":"UpdateProgram","programId":"p-gov","title":"x"})", "conflict",
                      budi, base);
  EXPECT_EQ(r.violations[0].detail.at("field").as_string(), "program/p-gov");
  EXPECT_EQ(r.violations[0].detail.at("changedBy").as_string(), "u-ani");
}

TEST_F(ConcurrencyTest, StructuralCommandsTouchTheWholeEntity) {
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":1})", ani, base);
  // Budi removes the program without having seen Ani's budget: conflict.
  m.rejected(R"({"type":"RemoveProgram","programId":"p-gov"})", "conflict", budi, base);
  // A status change touches the whole masterplan.
  m.rejected(R"({"type":"SubmitMasterplan"})", "conflict", budi, base);
  // Edits elsewhere are not affected by the budget change.
  m.ok(R"({"type":"RenameOpd","opdId":"dispar","name":"Dinas Pariwisata dan Kebudayaan"})", budi, base);
}

TEST_F(ConcurrencyTest, NoBaseVersionMeansCurrentAndAFutureBaseIsRefused) {
  m.ok(R"({"type":"UpdateProgram","programId":"p-gov","title":"A"})", ani, base);
  m.ok(R"({"type":"UpdateProgram","programId":"p-gov","title":"B"})", budi);
  m.rejected(R"({"type":"SetVision","text":"x"})", "command.base_version_ahead", budi,
             m.state().version + 5);
}

}  // namespace
}  // namespace rembuk::model::testing
