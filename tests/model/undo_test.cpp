// Undo emits compensating events, under the conflict rule and the national rules.
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace rembuk::model::testing {
namespace {

std::string undo(const std::string& command_id) {
  return R"({"type":"Undo","commandId":")" + command_id + R"("})";
}

TEST(Undo, BudgetLineNewThenChanged) {
  Masterplan m;
  seed(m);
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":100})");
  const std::string first = m.last_command_id();
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":250})");
  const std::string second = m.last_command_id();
  auto events = m.ok(undo(second));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "CommandUndone");
  EXPECT_EQ(events[1].type, "ProgramBudgetSet");
  EXPECT_EQ(events[1].payload.at("amount").as_int64(), 100);
  EXPECT_EQ(events[1].payload.at("previousAmount").as_int64(), 250);
  EXPECT_EQ(m.state().programs.at("p-gov").budget.at({2020, "APBD"}), 100);
  m.rejected(undo(second), "undo.already_undone");
  // The first command's line was changed after it (by the undo): conflict.
  m.rejected(undo(first), "conflict");
}

TEST(Undo, RemovedProgramComesBackWhole) {
  Masterplan m;
  seed(m);
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":100})");
  m.ok(R"({"type":"AddIndicator","programId":"p-gov","indicatorId":"i","name":"Izin","unit":"%","baseline":{"value":10}})");
  m.ok(R"({"type":"SetIndicatorTarget","programId":"p-gov","indicatorId":"i","year":2021,"value":80})");
  m.ok(R"({"type":"AddSupportingOpd","programId":"p-gov","opdId":"bappeda"})");
  const std::string before = json::serialize(to_json(m.state().programs.at("p-gov")));
  m.ok(R"({"type":"RemoveProgram","programId":"p-gov"})");
  EXPECT_EQ(m.state().programs.count("p-gov"), 0u);
  auto events = m.ok(undo(m.last_command_id()));
  EXPECT_EQ(events[1].type, "ProgramRestored");
  ASSERT_EQ(m.state().programs.count("p-gov"), 1u);
  EXPECT_EQ(json::serialize(to_json(m.state().programs.at("p-gov"))), before);
}

TEST(Undo, AddedProgramEditedSinceIsAConflict) {
  Masterplan m;
  seed(m);
  m.ok(R"({"type":"AddProgram","programId":"p2","title":"T","dimension":"society","element":"public_safety","leadOpd":"bappeda","startYear":2020,"endYear":2021})");
  const std::string add = m.last_command_id();
  m.ok(R"({"type":"UpdateProgram","programId":"p2","title":"Command center"})", tim("u-budi"));
  auto r = m.rejected(undo(add), "conflict");
  EXPECT_EQ(r.violations[0].detail.at("changedBy").as_string(), "u-budi");
}

TEST(Undo, CompensationMustKeepTheRules) {
  Masterplan m;
  seed(m);
  m.ok(R"({"type":"SetMasterplanPeriod","startYear":2019,"endYear":2027})");
  m.ok(R"({"type":"SetMasterplanPeriod","startYear":2019,"endYear":2028})");
  const std::string widen = m.last_command_id();
  m.ok(R"({"type":"AddProgram","programId":"p-late","title":"T","dimension":"society","element":"public_safety","leadOpd":"bappeda","startYear":2028,"endYear":2028})");
  m.rejected(undo(widen), "program.years_outside_period");
}

TEST(Undo, SomeCommandsCannotBeUndone) {
  Masterplan m;
  seed(m);
  m.rejected(undo("c1"), "undo.not_undoable");  // CreateMasterplan
  m.ok(R"({"type":"AddComment","commentId":"k","target":"program/p-gov","text":"?"})", reviewer());
  const std::string comment = m.last_command_id();
  // Only the author, the Tim Pelaksana or an admin may undo.
  m.rejected(undo(comment), "auth.forbidden", opd_editor("diskominfo"));
  auto events = m.ok(undo(comment), reviewer());
  EXPECT_EQ(events[1].type, "CommentWithdrawn");
  EXPECT_TRUE(m.state().comments.at("k").withdrawn);
}

TEST(Undo, UndoingARegistrationRetiresTheOpd) {
  Masterplan m;
  seed(m);
  m.ok(R"({"type":"RegisterOpd","opdId":"dlh","name":"Dinas Lingkungan Hidup"})");
  auto events = m.ok(undo(m.last_command_id()));
  EXPECT_EQ(events[1].type, "OpdRetired");
  EXPECT_TRUE(m.state().opds.at("dlh").retired);  // ids are never reused, so it stays listed
}

TEST(Undo, EveryCompensationReversesItsEvent) {
  // For each command: apply it, undo it, and the domain content is as before.
  const char* commands[] = {
      R"({"type":"SetMasterplanIdentity","cityName":"Kota Baru","regionCode":"13.72"})",
      R"({"type":"SetRpjmdReference","rpjmd":{"title":"RPJMD","startYear":2019,"endYear":2024}})",
      R"({"type":"SetVision","text":"Visi"})",
      R"({"type":"AddMission","missionId":"m9","text":"Misi"})",
      R"({"type":"AddStrategicIssue","issueId":"s9","dimension":"economy","text":"Isu"})",
      R"({"type":"AddReadinessEntry","entryId":"r9","axis":"infrastruktur","title":"Fiber optik","quantity":22})",
      R"({"type":"RenameOpd","opdId":"dispar","name":"Disparbud"})",
      R"({"type":"UpdateProgram","programId":"p-gov","title":"Baru","outputs":["a"]})",
      R"({"type":"SetProgramYears","programId":"p-gov","startYear":2020,"endYear":2020})",
      R"({"type":"SetProgramLeadOpd","programId":"p-gov","leadOpd":"bappeda"})",
      R"({"type":"AddSupportingOpd","programId":"p-gov","opdId":"dispar"})",
      R"({"type":"AddIndicator","programId":"p-gov","indicatorId":"i9","name":"I","unit":"%"})",
      R"({"type":"AddMember","userId":"u-x","name":"X","role":"reviewer"})",
      R"({"type":"AddProgram","programId":"p9","title":"T","dimension":"society","element":"public_safety","leadOpd":"bappeda","startYear":2020,"endYear":2021})",
  };
  for (const char* text : commands) {
    SCOPED_TRACE(text);
    Masterplan m;
    seed(m);
    auto expected = to_json(m.state(), Bookkeeping::omit);
    m.ok(text);
    m.ok(undo(m.last_command_id()));
    auto after = to_json(m.state(), Bookkeeping::omit);
    after.erase("version");
    expected.erase("version");
    EXPECT_EQ(json::serialize(after), json::serialize(expected));
  }
}

}  // namespace
}  // namespace rembuk::model::testing
