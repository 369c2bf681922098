// Each national rule (domain.md, rules 1–8) rejects with its stable code. Table-driven:
// every case runs against the same seeded masterplan (rejections change nothing).
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace rembuk::model::testing {
namespace {

struct RejectCase {
  const char* rule;
  const char* command;
  Actor actor;
  const char* code;
  const char* path;  // of the first violation; "" = not checked
};

std::vector<RejectCase> reject_cases() {
  return {
      // Rule 1: dimension/pillar and element.
      {"1", R"({"type":"AddProgram","programId":"p1","title":"T","dimension":"smart_cooking","element":"x","leadOpd":"bappeda","startYear":2020,"endYear":2021})", tim(), "program.unknown_dimension", "/command/dimension"},
      {"1", R"({"type":"AddProgram","programId":"p1","title":"T","dimension":"economy","element":"health","leadOpd":"bappeda","startYear":2020,"endYear":2021})", tim(), "program.unknown_element", "/command/element"},
      {"1", R"({"type":"UpdateProgram","programId":"p-gov","dimension":"living"})", tim(), "program.unknown_element", "/command/element"},
      // Rule 2: one lead OPD from the list.
      {"2", R"({"type":"AddProgram","programId":"p1","title":"T","dimension":"economy","element":"people_welfare","leadOpd":"dinas-hantu","startYear":2020,"endYear":2021})", tim(), "program.lead_opd_unknown", "/command/leadOpd"},
      {"2", R"({"type":"AddProgram","programId":"p1","title":"T","dimension":"economy","element":"people_welfare","leadOpd":"lama","startYear":2020,"endYear":2021})", tim(), "program.lead_opd_retired", "/command/leadOpd"},
      {"2", R"({"type":"SetProgramLeadOpd","programId":"p-gov","leadOpd":"dinas-hantu"})", tim(), "program.lead_opd_unknown", "/command/leadOpd"},
      {"2", R"({"type":"RetireOpd","opdId":"diskominfo"})", tim(), "opd.in_use", "/command/opdId"},
      // Rule 3: years within the period, start ≤ end.
      {"3", R"({"type":"AddProgram","programId":"p1","title":"T","dimension":"economy","element":"people_welfare","leadOpd":"bappeda","startYear":2027,"endYear":2030})", tim(), "program.years_outside_period", "/command/startYear"},
      {"3", R"({"type":"AddProgram","programId":"p1","title":"T","dimension":"economy","element":"people_welfare","leadOpd":"bappeda","startYear":2022,"endYear":2020})", tim(), "program.years_reversed", "/command/startYear"},
      {"3", R"({"type":"SetProgramYears","programId":"p-gov","startYear":2015,"endYear":2020})", tim(), "program.years_outside_period", "/command/startYear"},
      {"3", R"({"type":"SetMasterplanPeriod","startYear":2020,"endYear":2028})", tim(), "program.years_outside_period", "/command/startYear"},
      {"3", R"({"type":"SetMasterplanPeriod","startYear":2020,"endYear":2040})", tim(), "masterplan.period_length", "/command/startYear"},
      // Rule 4: quick wins last at most a year and start in the first two years.
      {"4", R"({"type":"AddProgram","programId":"p1","title":"T","dimension":"economy","element":"people_welfare","leadOpd":"bappeda","startYear":2019,"endYear":2020,"quickWin":true})", tim(), "program.quick_win_too_long", "/command/quickWin"},
      {"4", R"({"type":"AddProgram","programId":"p1","title":"T","dimension":"economy","element":"people_welfare","leadOpd":"bappeda","startYear":2022,"endYear":2022,"quickWin":true})", tim(), "program.quick_win_too_late", "/command/quickWin"},
      {"4", R"({"type":"SetQuickWin","programId":"p-gov","quickWin":true})", tim(), "program.quick_win_too_long", "/command/quickWin"},
      // Rule 5: budgets.
      {"5", R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":-5})", tim(), "budget.negative", "/command/amount"},
      {"5", R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":1500.5})", tim(), "budget.not_whole_rupiah", "/command/amount"},
      {"5", R"({"type":"SetProgramBudget","programId":"p-gov","year":2025,"source":"APBD","amount":5})", tim(), "budget.year_outside_program", "/command/year"},
      {"5", R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"ARISAN","amount":5})", tim(), "budget.unknown_source", "/command/source"},
      {"5", R"({"type":"RemoveProgramBudget","programId":"p-gov","year":2020,"source":"APBN"})", tim(), "budget.not_found", "/command/year"},
      // Rule 7: status moves.
      {"7", R"({"type":"StartReview"})", reviewer(), "status.invalid_transition", "/command/type"},
      {"7", R"({"type":"ApproveMasterplan"})", dewan(), "status.invalid_transition", "/command/type"},
      {"7", R"({"type":"ReopenMasterplan","reason":"x"})", tim(), "status.invalid_transition", "/command/type"},
      // Rule 8: who may do what.
      {"8", R"({"type":"SetVision","text":"Visi"})", viewer(), "auth.forbidden", "/actor"},
      {"8", R"({"type":"SetVision","text":"Visi"})", reviewer(), "auth.forbidden", "/actor"},
      {"8", R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":5})", opd_editor("dispar"), "auth.forbidden", "/actor"},
      {"8", R"({"type":"AddProgram","programId":"p1","title":"T","dimension":"economy","element":"people_welfare","leadOpd":"bappeda","startYear":2020,"endYear":2021})", opd_editor("dispar"), "auth.forbidden", "/actor"},
      {"8", R"({"type":"SetProgramLeadOpd","programId":"p-gov","leadOpd":"bappeda"})", opd_editor("diskominfo"), "auth.forbidden", "/actor"},
      {"8", R"({"type":"ApproveMasterplan"})", tim(), "auth.forbidden", "/actor"},
      {"8", R"({"type":"ApproveMasterplan"})", admin(), "auth.forbidden", "/actor"},
      {"8", R"({"type":"SubmitMasterplan"})", opd_editor("diskominfo"), "auth.forbidden", "/actor"},
      {"8", R"({"type":"AddComment","commentId":"k","target":"masterplan","text":"x"})", viewer(), "auth.forbidden", "/actor"},
      {"8", R"({"type":"AddMember","userId":"u-x","name":"X","role":"dewan"})", opd_editor("diskominfo"), "auth.forbidden", "/actor"},
      // Entities and ids.
      {"ids", R"({"type":"AddProgram","programId":"p-gov","title":"T","dimension":"economy","element":"people_welfare","leadOpd":"bappeda","startYear":2020,"endYear":2021})", tim(), "program.id_taken", "/command/programId"},
      {"ids", R"({"type":"UpdateProgram","programId":"p-nope","title":"T"})", tim(), "program.not_found", "/command/programId"},
      {"ids", R"({"type":"RegisterOpd","opdId":"bappeda","name":"Bappeda lagi"})", tim(), "opd.id_taken", "/command/opdId"},
      {"ids", R"({"type":"AddSupportingOpd","programId":"p-gov","opdId":"diskominfo"})", tim(), "program.supporting_is_lead", "/command/opdId"},
      {"ids", R"({"type":"SetIndicatorTarget","programId":"p-gov","indicatorId":"i-nope","year":2020,"value":1})", tim(), "indicator.not_found", "/command/indicatorId"},
      {"ids", R"({"type":"AddComment","commentId":"k","target":"program/p-nope","text":"x"})", reviewer(), "comment.target_not_found", "/command/target"},
      {"ids", R"({"type":"AddMember","userId":"u-x","name":"X","role":"raja"})", tim(), "member.unknown_role", "/command/role"},
      {"ids", R"({"type":"AddMember","userId":"u-x","name":"X","role":"opd_editor"})", tim(), "member.opd_required", "/command/opdId"},
      {"ids", R"({"type":"Undo","commandId":"never-seen"})", tim(), "undo.unknown_command", "/command/commandId"},
      {"ids", R"({"type":"CreateMasterplan","cityName":"X","regionCode":"13.71","startYear":2019,"endYear":2028})", tim(), "masterplan.exists", "/masterplan"},
      {"ids", R"({"type":"AddReadinessEntry","entryId":"r9","axis":"spiritual","title":"X"})", tim(), "readiness.unknown_axis", "/command/axis"},
      {"ids", R"({"type":"UpdateProgram","programId":"p-gov"})", tim(), "command.nothing_to_change", "/command"},
      {"schema", R"({"type":"AddProgram","programId":"p 1","title":"T"})", tim(), "schema", ""},
  };
}

class RulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed(m);
    m.ok(R"({"type":"RegisterOpd","opdId":"lama","name":"Dinas Lama"})");
    m.ok(R"({"type":"RetireOpd","opdId":"lama"})");
  }
  Masterplan m;
};

TEST_F(RulesTest, EachRuleRejectsWithItsCode) {
  const Version version = m.state().version;
  for (const auto& c : reject_cases()) {
    SCOPED_TRACE(std::string("rule ") + c.rule + ": " + c.command);
    Rejection rejection = m.rejected(c.command, c.code, c.actor);
    ASSERT_FALSE(rejection.violations.empty());
    if (*c.path != 0) {
      EXPECT_EQ(rejection.violations.front().path, c.path);
    }
    for (const auto& v : rejection.violations) {
      EXPECT_FALSE(v.code.empty());
      EXPECT_FALSE(v.message_id.empty());
      EXPECT_FALSE(v.message_en.empty());
    }
  }
  EXPECT_EQ(m.state().version, version);  // nothing was applied
}

TEST_F(RulesTest, ProgramYearsCannotStrandBudgetOrTargets) {
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2021,"source":"APBN","amount":1000})");
  m.ok(R"({"type":"AddIndicator","programId":"p-gov","indicatorId":"i","name":"Izin daring","unit":"%"})");
  m.ok(R"({"type":"SetIndicatorTarget","programId":"p-gov","indicatorId":"i","year":2020,"value":50})");
  auto r = m.rejected(R"({"type":"SetProgramYears","programId":"p-gov","startYear":2022,"endYear":2024})",
                      "budget.year_outside_program");
  ASSERT_EQ(r.violations.size(), 2u);
  EXPECT_EQ(r.violations[1].code, "indicator.target_year_outside_program");
  m.rejected(R"({"type":"SetIndicatorTarget","programId":"p-gov","indicatorId":"i","year":2026,"value":50})",
             "indicator.target_year_outside_program");
}

TEST_F(RulesTest, ApprovedMasterplanTakesNoEdits) {
  // Rule 7, second half: drive to approved through the status commands' own rules.
  m.ok(R"({"type":"SetVision","text":"Visi"})");
  const char* d[][2] = {{"branding", "tourism_branding"}, {"economy", "people_welfare"},
                        {"living", "health"}, {"society", "learning_ecosystem"},
                        {"environment", "waste_management"}};
  for (auto& x : d) {
    m.ok(std::string(R"({"type":"AddProgram","programId":"q-)") + x[0] +
         R"(","title":"Q","dimension":")" + x[0] + R"(","element":")" + x[1] +
         R"(","leadOpd":"bappeda","startYear":2019,"endYear":2019,"quickWin":true})");
  }
  for (const auto& [id, p] : std::map<std::string, Program>(m.state().programs)) {
    m.ok(R"({"type":"AddIndicator","programId":")" + id + R"(","indicatorId":"i","name":"I","unit":"%"})");
  }
  m.ok(R"({"type":"SubmitMasterplan"})");
  m.ok(R"({"type":"StartReview"})", reviewer());
  m.ok(R"({"type":"ApproveMasterplan"})", dewan());
  m.rejected(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":5})", "status.locked");
  m.rejected(R"({"type":"RegisterOpd","opdId":"baru","name":"Baru"})", "status.locked");
  m.rejected(R"({"type":"SubmitMasterplan"})", "status.invalid_transition");
}

TEST(Rules, CommandsBeforeCreateAreRejected) {
  Masterplan m;
  m.rejected(R"({"type":"SetVision","text":"Visi"})", "masterplan.not_found");
  m.rejected(R"({"type":"CreateMasterplan","cityName":"X","regionCode":"13.71","startYear":2019,"endYear":2021})",
             "masterplan.period_length");
  m.rejected(R"({"type":"CreateMasterplan","cityName":"X","regionCode":"13.71","startYear":2019,"endYear":2028})",
             "auth.forbidden", opd_editor("diskominfo"));
}

TEST(Rules, MembershipGrantsRoles) {
  Masterplan m;
  seed(m);
  Actor rina{"u-rina", {}, ""};
  m.rejected(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":5})",
             "auth.forbidden", rina);
  m.ok(R"({"type":"AddMember","userId":"u-rina","name":"Rina","role":"opd_editor","opdId":"diskominfo"})");
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":5})", rina);
  m.rejected(R"({"type":"SetVision","text":"Visi"})", "auth.forbidden", rina);
}

TEST(Rules, AnOpdEditorMayUndoWhatTheyDidAndNothingElse) {
  // Rule 8: "the original author" is whoever the undone command's events name.
  Masterplan m;
  seed(m);
  const Actor editor = opd_editor("diskominfo");
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":5})", editor);
  const std::string own = m.last_command_id();
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2021,"source":"APBD","amount":7})");
  const std::string tims = m.last_command_id();
  m.rejected(R"({"type":"Undo","commandId":")" + tims + R"("})", "auth.forbidden", editor);
  m.rejected(R"({"type":"Undo","commandId":")" + own + R"("})", "auth.forbidden",
             Actor{"u-someone-else", {"opd_editor"}, "diskominfo"});
  m.ok(R"({"type":"Undo","commandId":")" + own + R"("})", editor);
  m.rejected(R"({"type":"Undo","commandId":")" + own + R"("})", "undo.already_undone", editor);
  EXPECT_EQ(m.state().undone_commands, std::set<std::string>{own});
}

TEST(Rules, TheStateKeepsNothingPerCommand) {
  // A masterplan edited for years must not carry a record of every edit in memory, in each
  // copy and in each snapshot: three hundred more edits of one field leave the state (with its
  // bookkeeping) exactly as large. (Amounts and versions keep their number of digits.)
  Masterplan m;
  seed(m);
  int amount = 1000;
  auto edit = [&] {
    m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2020,"source":"APBD","amount":)" +
         std::to_string(++amount) + "}");
  };
  while (m.state().version < 100) edit();
  const std::size_t before = canonical_json(m.state(), Bookkeeping::include).size();
  for (int i = 0; i < 300; ++i) edit();
  ASSERT_LT(m.state().version, 1000u);
  EXPECT_EQ(canonical_json(m.state(), Bookkeeping::include).size(), before);
}

}  // namespace
}  // namespace rembuk::model::testing
