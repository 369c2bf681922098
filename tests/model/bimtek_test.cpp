// The Bimtek track: stages, the content they add, their computed outputs, closing a stage,
// the submission rules once a track started, undo, upcasting and canonical JSON.
#include <gtest/gtest.h>

#include <set>

#include "fixture.hpp"
#include "rembuk/model/bimtek.hpp"

namespace rembuk::model::testing {
namespace {

inline Actor kementerian() { return Actor{"u-kemkominfo", {"kementerian"}, ""}; }

// seed() plus members, missions-free content: a complete-enough masterplan for rule 6
// with three quick wins.
void seed_bimtek(Masterplan& m) {
  seed(m);
  m.ok(R"({"type":"AddMember","userId":"u-rina","name":"Rina","role":"tim_pelaksana"})");
  m.ok(R"({"type":"AddMember","userId":"u-ani","name":"Ani","role":"opd_editor","opdId":"bappeda"})");
  m.ok(R"({"type":"AddIndicator","programId":"p-gov","indicatorId":"i","name":"Izin daring","unit":"%"})");
  m.ok(R"({"type":"SetProgramBudget","programId":"p-gov","year":2019,"source":"APBD","amount":100000000})");
  const char* d[][2] = {{"branding", "tourism_branding"}, {"economy", "people_welfare"},
                        {"living", "health"}, {"society", "learning_ecosystem"},
                        {"environment", "waste_management"}};
  int n = 0;
  for (auto& x : d) {
    const bool quick = n++ < 3;
    m.ok(std::string(R"({"type":"AddProgram","programId":"q-)") + x[0] +
         R"(","title":"Program )" + x[0] + R"(","dimension":")" + x[0] + R"(","element":")" +
         x[1] + R"(","leadOpd":"bappeda","startYear":2020,"endYear":2020,"quickWin":)" +
         (quick ? "true" : "false") + "}");
    m.ok(std::string(R"({"type":"AddIndicator","programId":"q-)") + x[0] +
         R"(","indicatorId":"i","name":"I","unit":"%"})");
  }
}

void schedule_and_hold(Masterplan& m, int stage) {
  const std::string s = std::to_string(stage);
  m.ok(R"({"type":"ScheduleBimtekStage","stage":)" + s +
       R"(,"scheduledDate":"2018-07-1)" + s + R"(","place":"Aula Bappeda"})");
  m.ok(R"({"type":"RecordBimtekStageHeld","stage":)" + s + R"(,"heldDate":"2018-07-1)" + s + R"("})");
  m.ok(R"({"type":"RecordBimtekAttendance","stage":)" + s +
       R"(,"members":["u-rina","u-ani"],"opds":["diskominfo","bappeda"]})");
}

void complete_stage_one(Masterplan& m) {
  schedule_and_hold(m, 1);
  int n = 0;
  for (const char* axis : {"struktur", "infrastruktur", "suprastruktur"}) {
    for (const char* q : {"strength", "weakness", "opportunity", "threat"}) {
      m.ok(std::string(R"({"type":"AddReadinessEntry","entryId":"r)") + std::to_string(n++) +
           R"(","axis":")" + axis + R"(","title":"Butir","swot":")" + q + R"("})");
    }
    m.ok(std::string(R"({"type":"AddGap","gapId":"g-)") + axis + R"(","axis":")" + axis +
         R"(","current":"Sekarang","expected":"Harapan"})");
  }
  for (const char* dim : {"governance", "branding", "economy", "living", "society", "environment"}) {
    m.ok(std::string(R"({"type":"AddStrategicIssue","issueId":"si-)") + dim +
         R"(","dimension":")" + dim + R"(","text":"Isu"})");
  }
  m.ok(R"({"type":"SetVision","text":"Kota cerdas berbudaya"})");
}

void complete_stage_two(Masterplan& m) {
  schedule_and_hold(m, 2);
  m.ok(R"({"type":"AddMission","missionId":"m1","text":"Layanan publik yang mudah"})");
  for (const auto& [id, program] : std::map<std::string, Program>(m.state().programs)) {
    m.ok(R"({"type":"SetProgramMissions","programId":")" + id + R"(","missionIds":["m1"]})");
  }
}

void complete_stage_three(Masterplan& m) {
  schedule_and_hold(m, 3);
  for (const char* dim : {"governance", "branding", "economy", "living", "society", "environment"}) {
    m.ok(std::string(R"({"type":"AddStrategy","strategyId":"st-)") + dim +
         R"(","dimension":")" + dim + R"(","text":"Strategi"})");
  }
  for (const auto& [id, program] : std::map<std::string, Program>(m.state().programs)) {
    if (program.budget.empty()) {
      m.ok(R"({"type":"SetProgramBudget","programId":")" + id +
           R"(","year":2020,"source":"APBD","amount":50000000})");
    }
  }
}

void complete_stage_four(Masterplan& m) {
  schedule_and_hold(m, 4);
  for (const char* id : {"q-branding", "q-economy", "q-living"}) {
    m.ok(std::string(R"({"type":"SetQuickWinProfile","programId":")") + id +
         R"(","objective":"Tujuan","location":"Kota","beneficiaries":"Warga","timeline":"2020"})");
  }
  m.ok(R"({"type":"RecordCommitmentLetter","letterId":"sk-wako","signatory":"head_of_region","signatoryName":"Wali Kota","date":"2018-10-01","letterNumber":"800/1/2018"})");
  m.ok(R"({"type":"RecordCommitmentLetter","letterId":"sk-kominfo","signatory":"opd_head","opdId":"diskominfo","signatoryName":"Kadis Kominfo","date":"2018-10-01","letterNumber":"800/2/2018"})");
  m.ok(R"({"type":"RecordCommitmentLetter","letterId":"sk-bappeda","signatory":"opd_head","opdId":"bappeda","signatoryName":"Kepala Bappeda","date":"2018-10-01","letterNumber":"800/3/2018"})");
  m.ok(R"({"type":"RecordPresentation","date":"2018-11-20","evaluators":["Tenaga Ahli A"],"notes":"Baik","outcome":"accepted"})",
       kementerian());
}

std::set<std::string> missing(const Rejection& r) {
  std::set<std::string> items;
  for (const auto& v : r.violations) {
    if (v.code == "bimtek.output_missing") items.insert(std::string(v.detail.at("output").as_string()));
  }
  return items;
}

TEST(Bimtek, OutputsAreComputedAndOwedByTheLeadOpd) {
  Masterplan m;
  seed_bimtek(m);
  auto two = stage_outputs(m.state(), 2);
  const StageOutput* gov = nullptr;
  for (const auto& item : two.items) {
    if (item.id == "programMission/p-gov") gov = &item;
  }
  ASSERT_NE(gov, nullptr);
  EXPECT_FALSE(gov->done);
  EXPECT_EQ(gov->owed_by, "diskominfo");
  EXPECT_EQ(gov->target, "program/p-gov");
  EXPECT_EQ(current_stage(m.state()), 1);
  std::size_t done = 0;
  std::size_t total = 0;
  for (const auto& s : bimtek_outputs(m.state())) {
    done += s.done_count();
    total += s.items.size();
  }
  EXPECT_DOUBLE_EQ(checklist_share(m.state()), static_cast<double>(done) / static_cast<double>(total));
  EXPECT_LT(checklist_share(m.state()), 0.5);
  EXPECT_TRUE(stage_outputs(m.state(), 5).items.empty());
}

TEST(Bimtek, CloseStageListsWhatIsMissingAndWhoOwesIt) {
  Masterplan m;
  seed_bimtek(m);
  auto r = m.rejected(R"({"type":"CloseBimtekStage","stage":1})", "bimtek.stage_incomplete");
  auto items = missing(r);
  EXPECT_TRUE(items.count("held"));
  EXPECT_TRUE(items.count("swot/struktur/threat"));
  EXPECT_TRUE(items.count("gap/suprastruktur"));
  EXPECT_TRUE(items.count("strategicIssue/governance"));
  EXPECT_TRUE(items.count("vision"));
  for (const auto& v : r.violations) {
    EXPECT_FALSE(v.message_id.empty());
    EXPECT_FALSE(v.message_en.empty());
    EXPECT_TRUE(v.detail.as_object().contains("owedBy"));
  }
  complete_stage_one(m);
  EXPECT_TRUE(stage_outputs(m.state(), 1).complete());
  m.ok(R"({"type":"CloseBimtekStage","stage":1})");
  EXPECT_TRUE(m.state().bimtek[0].closed);
  EXPECT_EQ(current_stage(m.state()), 2);
  m.rejected(R"({"type":"CloseBimtekStage","stage":1})", "bimtek.stage_closed");

  // Stage II: the program without a mission is owed by its lead OPD.
  schedule_and_hold(m, 2);
  m.ok(R"({"type":"AddMission","missionId":"m1","text":"Misi"})");
  auto r2 = m.rejected(R"({"type":"CloseBimtekStage","stage":2})", "bimtek.stage_incomplete");
  bool owed = false;
  for (const auto& v : r2.violations) {
    if (v.detail.at("output").as_string() == "programMission/p-gov") {
      owed = v.detail.at("owedBy").as_string() == "diskominfo";
    }
  }
  EXPECT_TRUE(owed);
}

TEST(Bimtek, StagesCloseInOrderAndReopenFromTheLast) {
  Masterplan m;
  seed_bimtek(m);
  m.rejected(R"({"type":"CloseBimtekStage","stage":2})", "bimtek.previous_stage_open");
  complete_stage_one(m);
  m.ok(R"({"type":"CloseBimtekStage","stage":1})");
  complete_stage_two(m);
  m.ok(R"({"type":"CloseBimtekStage","stage":2})");
  m.rejected(R"({"type":"ReopenBimtekStage","stage":1,"reason":"x"})", "bimtek.later_stage_closed");
  m.rejected(R"({"type":"ReopenBimtekStage","stage":3,"reason":"x"})", "bimtek.stage_not_closed");
  m.ok(R"({"type":"ReopenBimtekStage","stage":2,"reason":"Pemetaan misi ditinjau ulang"})");
  EXPECT_FALSE(m.state().bimtek[1].closed);
  EXPECT_EQ(current_stage(m.state()), 2);
}

TEST(Bimtek, AllFourStagesCloseAndSubmissionPasses) {
  Masterplan m;
  seed_bimtek(m);
  complete_stage_one(m);
  m.ok(R"({"type":"CloseBimtekStage","stage":1})");
  complete_stage_two(m);
  m.ok(R"({"type":"CloseBimtekStage","stage":2})");
  complete_stage_three(m);
  m.ok(R"({"type":"CloseBimtekStage","stage":3})");
  complete_stage_four(m);
  m.ok(R"({"type":"CloseBimtekStage","stage":4})");
  EXPECT_EQ(current_stage(m.state()), 5);
  EXPECT_DOUBLE_EQ(checklist_share(m.state()), 1.0);
  m.ok(R"({"type":"SubmitMasterplan"})");
  EXPECT_EQ(m.state().status, Status::submitted);
}

TEST(Bimtek, SubmissionAfterTheTrackStartedNeedsMissionsStageFourAndLetters) {
  Masterplan m;
  seed_bimtek(m);
  m.ok(R"({"type":"SetVision","text":"Visi"})");
  // Before the track starts, rule 6 alone applies (masterplans drafted before rembuk).
  {
    Masterplan copy = m;
    copy.ok(R"({"type":"SubmitMasterplan"})");
  }
  m.ok(R"({"type":"ScheduleBimtekStage","stage":1,"scheduledDate":"2018-07-11","onlineLink":"https://zoom.example/j/1"})");
  auto r = m.rejected(R"({"type":"SubmitMasterplan"})", "submission.incomplete");
  std::multiset<std::string> codes;
  std::set<std::string> owed;
  for (const auto& v : r.violations) {
    codes.insert(v.code);
    if (v.code == "submission.commitment_letter_missing") owed.insert(std::string(v.detail.at("owedBy").as_string()));
  }
  EXPECT_EQ(codes.count("submission.program_without_mission"), 6u);
  EXPECT_EQ(codes.count("submission.bimtek_stage_open"), 1u);
  EXPECT_EQ(codes.count("submission.commitment_letter_missing"), 3u);  // head + 2 lead OPDs
  EXPECT_EQ(owed, (std::set<std::string>{"tim_pelaksana", "diskominfo", "bappeda"}));
  EXPECT_EQ(m.state().status, Status::draft);
}

TEST(Bimtek, EachContentRuleAcceptsAndRefuses) {
  Masterplan m;
  seed_bimtek(m);
  // Stage session.
  m.rejected(R"({"type":"ScheduleBimtekStage","stage":1,"scheduledDate":"2018-07-11"})", "bimtek.venue_missing");
  m.rejected(R"({"type":"ScheduleBimtekStage","stage":5,"scheduledDate":"2018-07-11","place":"x"})", "schema");
  m.rejected(R"({"type":"ScheduleBimtekStage","stage":1,"scheduledDate":"11-07-2018","place":"x"})", "schema");
  m.rejected(R"({"type":"RecordBimtekStageHeld","stage":1,"heldDate":"2018-07-11"})", "bimtek.stage_not_scheduled");
  m.ok(R"({"type":"ScheduleBimtekStage","stage":1,"scheduledDate":"2018-07-11","place":"Aula"})");
  m.ok(R"({"type":"RecordBimtekStageHeld","stage":1,"heldDate":"2018-07-12"})");
  m.rejected(R"({"type":"RecordBimtekAttendance","stage":1,"members":["u-nobody"],"opds":[]})", "member.not_found");
  m.rejected(R"({"type":"RecordBimtekAttendance","stage":1,"members":[],"opds":["dinas-x"]})", "opd.unknown");
  m.ok(R"({"type":"RecordBimtekAttendance","stage":1,"members":["u-rina","u-rina"],"opds":["bappeda"]})");
  EXPECT_EQ(m.state().bimtek[0].members_present, (std::set<std::string>{"u-rina"}));
  m.ok(R"({"type":"SetBimtekExperts","stage":1,"experts":["Tenaga Ahli A","Tenaga Ahli B"]})");
  m.ok(R"({"type":"SetBimtekStageNotes","stage":1,"notes":"SWOT dikerjakan per OPD"})");
  EXPECT_EQ(m.state().bimtek[0].experts.size(), 2u);
  EXPECT_EQ(m.state().bimtek[0].notes, "SWOT dikerjakan per OPD");
  // Readiness SWOT.
  m.rejected(R"({"type":"AddReadinessEntry","entryId":"r","axis":"struktur","title":"t","swot":"kekuatan"})", "readiness.unknown_swot");
  m.ok(R"({"type":"AddReadinessEntry","entryId":"r","axis":"struktur","title":"121 SDM TI","swot":"strength"})");
  m.ok(R"({"type":"UpdateReadinessEntry","entryId":"r","swot":"weakness"})");
  EXPECT_EQ(m.state().readiness.at("r").swot, "weakness");
  m.rejected(R"({"type":"UpdateReadinessEntry","entryId":"r","swot":"x"})", "readiness.unknown_swot");
  // Gaps and strategies.
  m.rejected(R"({"type":"AddGap","gapId":"g","axis":"budaya","current":"a","expected":"b"})", "readiness.unknown_axis");
  m.ok(R"({"type":"AddGap","gapId":"g","axis":"struktur","current":"a","expected":"b"})");
  m.rejected(R"({"type":"AddGap","gapId":"g","axis":"struktur","current":"a","expected":"b"})", "gap.id_taken");
  m.ok(R"({"type":"RemoveGap","gapId":"g"})");
  m.rejected(R"({"type":"RemoveGap","gapId":"g"})", "gap.not_found");
  m.rejected(R"({"type":"AddStrategy","strategyId":"s","dimension":"adat","text":"x"})", "strategy.unknown_dimension");
  m.ok(R"({"type":"AddStrategy","strategyId":"s","dimension":"economy","text":"x"})");
  m.ok(R"({"type":"UpdateStrategy","strategyId":"s","text":"y"})");
  EXPECT_EQ(m.state().strategies.at("s").text, "y");
  m.rejected(R"({"type":"UpdateStrategy","strategyId":"nope","text":"y"})", "strategy.not_found");
  m.ok(R"({"type":"RemoveStrategy","strategyId":"s"})");
  // Missions and plan references.
  m.ok(R"({"type":"AddMission","missionId":"m1","text":"Misi"})");
  m.rejected(R"({"type":"SetProgramMissions","programId":"p-gov","missionIds":["m9"]})", "mission.not_found");
  m.rejected(R"({"type":"SetProgramMissions","programId":"p-x","missionIds":["m1"]})", "program.not_found");
  // An OPD editor maps the programs its OPD leads, not others.
  m.rejected(R"({"type":"SetProgramMissions","programId":"p-gov","missionIds":["m1"]})", "auth.forbidden",
             opd_editor("bappeda"));
  m.ok(R"({"type":"SetProgramMissions","programId":"q-economy","missionIds":["m1"]})", opd_editor("bappeda"));
  m.ok(R"({"type":"SetProgramPlanReference","programId":"q-economy","rpjmdProgram":"Program Pengembangan UMKM","renstra":"Renstra Bappeda 2019-2024"})");
  EXPECT_EQ(m.state().programs.at("q-economy").rpjmd_program, "Program Pengembangan UMKM");
  // Quick-win profiles.
  m.rejected(R"({"type":"SetQuickWinProfile","programId":"p-gov","objective":"a","location":"b","beneficiaries":"c","timeline":"d"})",
             "program.not_quick_win");
  m.rejected(R"({"type":"SetQuickWinProfile","programId":"q-branding","objective":"a"})", "schema");
  m.ok(R"({"type":"SetQuickWinProfile","programId":"q-branding","objective":"a","location":"b","beneficiaries":"c","timeline":"d"})");
  ASSERT_TRUE(m.state().programs.at("q-branding").quick_win_profile.has_value());
  // Commitment letters.
  m.rejected(R"({"type":"RecordCommitmentLetter","letterId":"l","signatory":"sekda","signatoryName":"a","date":"2018-10-01","letterNumber":"1"})",
             "commitment.unknown_signatory");
  m.rejected(R"({"type":"RecordCommitmentLetter","letterId":"l","signatory":"opd_head","signatoryName":"a","date":"2018-10-01","letterNumber":"1"})",
             "commitment.opd_required");
  m.rejected(R"({"type":"RecordCommitmentLetter","letterId":"l","signatory":"opd_head","opdId":"dinas-x","signatoryName":"a","date":"2018-10-01","letterNumber":"1"})",
             "opd.unknown");
  m.rejected(R"({"type":"RecordCommitmentLetter","letterId":"l","signatory":"head_of_region","opdId":"bappeda","signatoryName":"a","date":"2018-10-01","letterNumber":"1"})",
             "commitment.opd_not_expected");
  m.ok(R"({"type":"RecordCommitmentLetter","letterId":"l","signatory":"opd_head","opdId":"bappeda","signatoryName":"a","date":"2018-10-01","letterNumber":"1"})");
  m.ok(R"({"type":"WithdrawCommitmentLetter","letterId":"l"})");
  m.rejected(R"({"type":"WithdrawCommitmentLetter","letterId":"l"})", "commitmentLetter.not_found");
  // The presentation.
  m.rejected(R"({"type":"RecordPresentation","date":"2018-11-20","evaluators":[],"outcome":"lulus"})", "presentation.unknown_outcome");
  m.rejected(R"({"type":"RecordPresentation","date":"2018-11-20","evaluators":[],"outcome":"accepted"})", "auth.forbidden",
             opd_editor("bappeda"));
  m.ok(R"({"type":"RecordPresentation","date":"2018-11-20","evaluators":["A"],"notes":"Perbaiki peta jalan","outcome":"accepted_with_revisions"})",
       reviewer());
  EXPECT_EQ(m.state().presentation->outcome, "accepted_with_revisions");
  // The MoU gives the cohort.
  m.rejected(R"({"type":"RecordMou","date":"8 Mei 2018","signedBy":"Pjs Wali Kota"})", "schema");
  m.ok(R"({"type":"RecordMou","date":"2018-05-08","signedBy":"Pjs Wali Kota Alwis","notes":"Bimtek, FOSS"})");
  EXPECT_EQ(m.state().mou->cohort_year(), 2018);
  m.ok(R"({"type":"Undo","commandId":")" + m.last_command_id() + R"("})");
  EXPECT_FALSE(m.state().mou.has_value());
  // Stage commands are the Tim Pelaksana's.
  m.rejected(R"({"type":"SetBimtekStageNotes","stage":1,"notes":"x"})", "auth.forbidden", opd_editor("bappeda"));
}

TEST(Bimtek, TheMinistryReadsCommentsAndReviewsButDoesNotEdit) {
  Masterplan m;
  seed_bimtek(m);
  m.ok(R"({"type":"AddComment","commentId":"k1","target":"bimtek/1","text":"Lengkapi SWOT"})", kementerian());
  m.ok(R"({"type":"ResolveComment","commentId":"k1"})", kementerian());
  m.rejected(R"({"type":"SetVision","text":"x"})", "auth.forbidden", kementerian());
  m.rejected(R"({"type":"CloseBimtekStage","stage":1})", "auth.forbidden", kementerian());
  m.ok(R"({"type":"SetVision","text":"Visi"})");
  m.ok(R"({"type":"SubmitMasterplan"})");
  m.ok(R"({"type":"StartReview"})", kementerian());
  EXPECT_EQ(m.state().status, Status::under_review);
  // A member may hold the role too.
  m.ok(R"({"type":"AddMember","userId":"u-evaluator","name":"Evaluator","role":"kementerian"})");
  m.rejected(R"({"type":"AddMember","userId":"u-x","name":"X","role":"menteri"})", "member.unknown_role");
}

TEST(Bimtek, EveryBimtekCommandUndoes) {
  Masterplan m;
  seed_bimtek(m);
  const std::string before = canonical_json(m.state(), Bookkeeping::omit);
  complete_stage_one(m);
  m.ok(R"({"type":"CloseBimtekStage","stage":1})");
  const std::string closed = canonical_json(m.state(), Bookkeeping::omit);
  m.ok(R"({"type":"Undo","commandId":")" + m.last_command_id() + R"("})");
  EXPECT_FALSE(m.state().bimtek[0].closed);
  m.ok(R"({"type":"SetBimtekExperts","stage":1,"experts":["A"]})");
  m.ok(R"({"type":"Undo","commandId":")" + m.last_command_id() + R"("})");
  EXPECT_TRUE(m.state().bimtek[0].experts.empty());
  m.ok(R"({"type":"AddMission","missionId":"m1","text":"Misi"})");
  m.ok(R"({"type":"SetProgramMissions","programId":"p-gov","missionIds":["m1"]})");
  m.ok(R"({"type":"Undo","commandId":")" + m.last_command_id() + R"("})");
  EXPECT_TRUE(m.state().programs.at("p-gov").missions.empty());
  m.ok(R"({"type":"SetQuickWinProfile","programId":"q-branding","objective":"a","location":"b","beneficiaries":"c","timeline":"d"})");
  m.ok(R"({"type":"Undo","commandId":")" + m.last_command_id() + R"("})");
  EXPECT_FALSE(m.state().programs.at("q-branding").quick_win_profile.has_value());
  m.ok(R"({"type":"RecordCommitmentLetter","letterId":"l","signatory":"head_of_region","signatoryName":"a","date":"2018-10-01","letterNumber":"1"})");
  m.ok(R"({"type":"Undo","commandId":")" + m.last_command_id() + R"("})");
  EXPECT_TRUE(m.state().commitment_letters.empty());
  m.ok(R"({"type":"RecordPresentation","date":"2018-11-20","evaluators":["A"],"outcome":"accepted"})");
  m.ok(R"({"type":"Undo","commandId":")" + m.last_command_id() + R"("})");
  EXPECT_FALSE(m.state().presentation.has_value());
  m.ok(R"({"type":"AddStrategy","strategyId":"s","dimension":"economy","text":"x"})");
  m.ok(R"({"type":"Undo","commandId":")" + m.last_command_id() + R"("})");
  EXPECT_TRUE(m.state().strategies.empty());
  m.ok(R"({"type":"ScheduleBimtekStage","stage":2,"scheduledDate":"2018-08-01","place":"Aula"})");
  m.ok(R"({"type":"Undo","commandId":")" + m.last_command_id() + R"("})");
  EXPECT_TRUE(m.state().bimtek[1].scheduled_date.empty());
  EXPECT_NE(before, closed);
}

TEST(Bimtek, CanonicalJsonRoundTripsAndIsUnchangedWithoutATrack) {
  Masterplan plain;
  seed_bimtek(plain);
  EXPECT_EQ(canonical_json(plain.state()).find("\"bimtek\""), std::string::npos);
  EXPECT_EQ(canonical_json(plain.state()).find("\"swot\""), std::string::npos);
  Masterplan m;
  seed_bimtek(m);
  complete_stage_one(m);
  complete_stage_two(m);
  complete_stage_four(m);
  const std::string text = canonical_json(m.state());
  auto loaded = state_from_json(text);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(canonical_json(*loaded), text);
  EXPECT_EQ(loaded->bimtek[3].members_present.size(), 2u);
  EXPECT_EQ(loaded->programs.at("p-gov").missions, (std::set<std::string>{"m1"}));
}

TEST(Bimtek, ReadinessEntryV1IsUpcastWithoutASwot) {
  EXPECT_EQ(current_schema_version("ReadinessEntryAdded"), 2u);
  EXPECT_EQ(current_schema_version("ReadinessEntryRemoved"), 2u);
  for (const char* type : {"ReadinessEntryAdded", "ReadinessEntryRemoved"}) {
    EventRecord event;
    event.type = type;
    event.schema_version = 1;
    event.payload = json::parse(
        R"({"entryId":"r-sdm","axis":"struktur","title":"SDM TI","description":null,"quantity":121,"unit":"orang"})")
                        .as_object();
    EXPECT_TRUE(SchemaRegistry::builtin().check_event(type, 1, json::value(event.payload)).empty());
    EXPECT_FALSE(SchemaRegistry::builtin().check_event(type, 2, json::value(event.payload)).empty());
    ASSERT_TRUE(upcast(event));
    EXPECT_EQ(event.schema_version, 2u);
    EXPECT_TRUE(event.payload.at("swot").is_null());
    EXPECT_TRUE(SchemaRegistry::builtin().check_event(type, 2, json::value(event.payload)).empty());
  }
  // Folded: the entry exists, unclassified.
  Masterplan m;
  seed(m);
  MasterplanState state = m.state();
  EventRecord added;
  added.type = "ReadinessEntryAdded";
  added.schema_version = 1;
  added.payload = json::parse(R"({"entryId":"r","axis":"struktur","title":"t","description":null,"quantity":null,"unit":null})").as_object();
  added.revision = state.version + 1;
  ASSERT_TRUE(upcast(added));
  apply_in_place(state, added);
  EXPECT_EQ(state.readiness.at("r").swot, "");
  // A v1 payload that already carries a swot is refused, not silently rewritten.
  EventRecord odd = added;
  odd.schema_version = 1;
  odd.payload["swot"] = "strength";
  EXPECT_FALSE(upcast(odd));
}

}  // namespace
}  // namespace rembuk::model::testing
