// EditText and TextEdited: text operations on narrative fields, moved over the operations
// committed since the author's base version (docs/concurrency.md, "Text operations").
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace rembuk::model::testing {
namespace {

std::string edit(std::string_view field, std::string_view ops) {
  return R"({"type":"EditText","field":")" + std::string(field) + R"(","ops":)" +
         std::string(ops) + "}";
}

class TextEditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed(m);
    m.ok(R"({"type":"SetVision","text":"Padang cerdas"})");
    m.ok(R"({"type":"AddMission","missionId":"m-1","text":"Tata kelola terbuka"})");
    m.ok(R"({"type":"UpdateProgram","programId":"p-gov","description":"Izin daring","outputs":["Aplikasi","Regulasi"]})");
    base = m.state().version;
  }
  Masterplan m;
  Version base = 0;
  Actor ani = tim("u-ani");
  Actor budi = tim("u-budi");
};

TEST_F(TextEditTest, AnOperationOnTheCurrentTextAppliesAndIsRecordedAsCommitted) {
  auto events = m.ok(edit("masterplan/vision", R"([7,"kota ",{"d":6}])"), ani, base);
  EXPECT_EQ(m.state().vision, "Padang kota ");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "TextEdited");
  EXPECT_EQ(json::serialize(events[0].payload),
            R"({"field":"masterplan/vision","ops":[7,"kota ",{"d":6}],"deleted":["cerdas"],"author":"u-ani"})");
}

TEST_F(TextEditTest, ConcurrentInsertsBothLandInLogOrder) {
  m.ok(edit("masterplan/vision", R"([6," Kota"])"), ani, base);
  m.ok(edit("masterplan/vision", R"(["Visi: "])"), budi, base);
  // The same place: Ani's insert was committed first, so it comes first.
  m.ok(edit("masterplan/vision", R"([6," Tercinta"])"), budi, base);
  EXPECT_EQ(m.state().vision, "Visi: Padang Kota Tercinta cerdas");
}

TEST_F(TextEditTest, ADeleteOfDeletedTextDeletesOnceAndAnInsertInsideItLandsAtThePoint) {
  m.ok(edit("masterplan/vision", R"([6,{"d":7}])"), ani, base);   // "Padang"
  auto events = m.ok(edit("masterplan/vision", R"([7,{"d":6}])"), budi, base);
  EXPECT_EQ(json::serialize(events[0].payload.at("ops")), "[]");
  m.ok(edit("masterplan/vision", R"([10,"!"])"), budi, base);  // inside "cerdas"
  EXPECT_EQ(m.state().vision, "Padang!");
}

TEST_F(TextEditTest, CodePointsNeverSplitACharacter) {
  m.ok(R"({"type":"SetVision","text":"Kota 😀 cerdas"})");
  m.ok(edit("masterplan/vision", R"([5,{"d":1},"🏙"])"));
  EXPECT_EQ(m.state().vision, "Kota 🏙 cerdas");
}

TEST_F(TextEditTest, EveryNarrativeFieldTakesTextOperations) {
  m.ok(R"({"type":"AddStrategicIssue","issueId":"i-1","dimension":"governance","text":"Data tersebar"})");
  m.ok(R"({"type":"AddReadinessEntry","entryId":"r-1","axis":"struktur","title":"SDM TI","description":"121 staf"})");
  m.ok(edit("mission/m-1/text", R"([19," dan akuntabel"])"));
  m.ok(edit("strategicIssue/i-1/text", R"([4," masih"])"));
  m.ok(edit("readiness/r-1/description", R"([3," orang"])"));
  m.ok(edit("program/p-gov/description", R"(["Layanan "])"));
  m.ok(edit("program/p-gov/outputs/1", R"([8," daerah"])"));
  EXPECT_EQ(m.state().missions[0].text, "Tata kelola terbuka dan akuntabel");
  EXPECT_EQ(m.state().strategic_issues.at("i-1").text, "Data masih tersebar");
  EXPECT_EQ(m.state().readiness.at("r-1").description, "121 orang staf");
  EXPECT_EQ(m.state().programs.at("p-gov").description, "Layanan Izin daring");
  EXPECT_EQ(m.state().programs.at("p-gov").outputs[1], "Regulasi daerah");
}

TEST_F(TextEditTest, UnknownFieldsAndMissingEntitiesAreRefused) {
  m.rejected(edit("program/p-gov/title", R"(["x"])"), "text.unknown_field");
  m.rejected(edit("masterplan/status", R"(["x"])"), "text.unknown_field");
  m.rejected(edit("mission/m-9/text", R"(["x"])"), "text.field_not_found");
  m.rejected(edit("program/p-gov/outputs/7", R"(["x"])"), "text.field_not_found");
  m.rejected(edit("program/p-gov/outputs/01", R"(["x"])"), "text.unknown_field");
}

TEST_F(TextEditTest, MalformedOperationsAreRefusedWithAReasonAndChangeNothing) {
  const std::string before = m.state().vision;
  m.rejected(edit("masterplan/vision", R"([0])"), "schema");
  m.rejected(edit("masterplan/vision", R"([{"d":1,"x":2}])"), "schema");
  m.rejected(edit("masterplan/vision", R"([99,"x"])"), "text.op_too_long");
  auto r = m.rejected(edit("masterplan/vision", R"([99,"x"])"), "text.op_too_long");
  EXPECT_NE(r.message.find("melampaui"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("reaches past"), std::string::npos) << r.message;
  EXPECT_EQ(m.state().vision, before);
}

TEST_F(TextEditTest, AWholeValueSetAfterUnseenTextOperationsIsStillAConflict) {
  m.ok(edit("masterplan/vision", R"([6," Kota"])"), ani, base);
  auto r = m.rejected(R"({"type":"SetVision","text":"Versi Budi"})", "conflict", budi, base);
  EXPECT_EQ(r.violations[0].detail.at("changedBy").as_string(), "u-ani");
}

TEST_F(TextEditTest, ATextOperationAfterAnUnseenWholeValueSetIsAConflict) {
  m.ok(R"({"type":"SetVision","text":"Visi baru"})", ani, base);
  auto r = m.rejected(edit("masterplan/vision", R"([6,"!"])"), "conflict", budi, base);
  EXPECT_EQ(r.violations[0].detail.at("field").as_string(), "masterplan/vision");
  // Text operations on an item are refused after the whole list was set.
  m.ok(R"({"type":"UpdateProgram","programId":"p-gov","outputs":["Satu"]})", ani, base);
  m.rejected(edit("program/p-gov/outputs/0", R"(["x"])"), "conflict", budi, base);
  // Based on the version that holds the set, it goes through.
  m.ok(edit("masterplan/vision", R"([9,"!"])"), budi, m.state().version);
}

TEST_F(TextEditTest, TextOperationsOnSiblingItemsOfAListDoNotConflict) {
  m.ok(edit("program/p-gov/outputs/0", R"(["Satu "])"), ani, base);
  m.ok(edit("program/p-gov/outputs/1", R"(["Dua "])"), budi, base);
  EXPECT_EQ(m.state().programs.at("p-gov").outputs[0], "Satu Aplikasi");
  EXPECT_EQ(m.state().programs.at("p-gov").outputs[1], "Dua Regulasi");
}

TEST_F(TextEditTest, ARemovedEntityIsAConflict) {
  m.ok(R"({"type":"RemoveMission","missionId":"m-1"})", ani, base);
  // The mission no longer exists: not found comes first, as for UpdateMission.
  m.rejected(edit("mission/m-1/text", R"(["x"])"), "text.field_not_found", budi, base);
}

TEST_F(TextEditTest, TheBaseVersionMayComeInTheCommand) {
  m.ok(edit("masterplan/vision", R"([6," Kota"])"), ani, base);
  m.ok(R"({"type":"EditText","field":"masterplan/vision","ops":[6," Raya"],"baseVersion":)" +
       std::to_string(base) + "}", budi);
  EXPECT_EQ(m.state().vision, "Padang Kota Raya cerdas");
  m.rejected(R"({"type":"EditText","field":"masterplan/vision","ops":["x"],"baseVersion":999})",
             "command.base_version_ahead", budi);
  m.rejected(R"({"type":"EditText","field":"masterplan/vision","ops":["x"],"baseVersion":1})",
             "text.base_version_mismatch", budi, 2);
}

TEST_F(TextEditTest, AuthorizationFollowsTheWholeValueSetter) {
  m.rejected(edit("masterplan/vision", R"(["x"])"), "auth.forbidden", opd_editor("diskominfo"));
  m.rejected(edit("masterplan/vision", R"(["x"])"), "auth.forbidden", viewer());
  // The OPD that leads the program edits its description, another OPD does not.
  m.ok(edit("program/p-gov/description", R"(["x"])"), opd_editor("diskominfo"));
  m.rejected(edit("program/p-gov/description", R"(["x"])"), "auth.forbidden",
             opd_editor("dispar"));
}

TEST_F(TextEditTest, AfterASnapshotLoadTheOlderChangesComeFromTheLog) {
  m.ok(edit("masterplan/vision", R"([6," Kota"])"), ani, base);
  m.reload_from_snapshot();
  EXPECT_TRUE(m.state().text_histories.empty());
  m.ok(edit("masterplan/vision", R"([6," Raya"])"), budi, base);
  EXPECT_EQ(m.state().vision, "Padang Kota Raya cerdas");
  // A whole-value set seen only in the log is a conflict too.
  const Version before_set = m.state().version;
  m.ok(R"({"type":"SetVision","text":"Baru"})", ani);
  m.reload_from_snapshot();
  m.rejected(edit("masterplan/vision", R"(["x"])"), "conflict", budi, before_set);
}

TEST_F(TextEditTest, TheHistoryIsBoundedAndOlderBasesReadTheLog) {
  for (std::size_t i = 0; i < kTextHistoryLength + 5; ++i) {
    m.ok(edit("masterplan/vision", R"(["a"])"), ani);
  }
  const auto& history = m.state().text_histories.at("masterplan/vision");
  EXPECT_EQ(history.revisions.size(), kTextHistoryLength);
  EXPECT_GT(history.complete_since, base);
  m.ok(edit("masterplan/vision", R"([13,"!"])"), budi, base);
  EXPECT_TRUE(m.state().vision.ends_with("Padang cerdas!")) << m.state().vision;
}

TEST_F(TextEditTest, UndoOfATextEditTakesBackOnlyThatAuthorsCharacters) {
  m.ok(edit("masterplan/vision", R"([6," Kota"])"), ani, base);
  const std::string anis = m.last_command_id();
  m.ok(edit("masterplan/vision", R"(["Visi ",6," Raya"])"), budi, base);
  EXPECT_EQ(m.state().vision, "Visi Padang Kota Raya cerdas");
  auto events = m.ok(R"({"type":"Undo","commandId":")" + anis + R"("})", ani);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "CommandUndone");
  EXPECT_EQ(events[1].type, "TextEdited");
  EXPECT_EQ(m.state().vision, "Visi Padang Raya cerdas");
  // Undo of a delete puts the text back where it was.
  m.ok(edit("masterplan/vision", R"([16,{"d":7}])"), budi);
  const std::string deletion = m.last_command_id();
  m.ok(edit("masterplan/vision", R"(["Ini "])"), ani);
  m.ok(R"({"type":"Undo","commandId":")" + deletion + R"("})", budi);
  EXPECT_EQ(m.state().vision, "Ini Visi Padang Raya cerdas");
}

TEST_F(TextEditTest, UndoOfATextEditAfterAWholeValueSetIsAConflict) {
  m.ok(edit("masterplan/vision", R"([6," Kota"])"), ani);
  const std::string anis = m.last_command_id();
  m.ok(R"({"type":"SetVision","text":"Lain"})", budi);
  m.rejected(R"({"type":"Undo","commandId":")" + anis + R"("})", "conflict", ani);
}

TEST_F(TextEditTest, FoldingTheLogAgainGivesTheSameText) {
  m.ok(edit("masterplan/vision", R"([6," Kota"])"), ani, base);
  m.ok(edit("masterplan/vision", R"(["Visi ",6," Raya"])"), budi, base);
  MasterplanState folded;
  folded.id = m.state().id;
  for (const auto& e : m.log()) apply_in_place(folded, e);
  EXPECT_EQ(canonical_json(folded, Bookkeeping::include),
            canonical_json(m.state(), Bookkeeping::include));
}

}  // namespace
}  // namespace rembuk::model::testing
