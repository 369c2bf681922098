// Every command of docs/commands.md is accepted in a valid situation and emits the events
// the catalogue names. The cases run in order on one masterplan (later ones rely on
// earlier ones), each with the role that may issue it.
#include <gtest/gtest.h>

#include "fixture.hpp"
#include "rembuk/model/dimensions.hpp"

namespace rembuk::model::testing {
namespace {

struct AcceptCase {
  const char* command;
  Actor actor;
  std::vector<std::string> events;  // expected event types, in order
};

std::vector<AcceptCase> accept_cases() {
  return {
      {R"({"type":"SetMasterplanIdentity","cityName":"Kota Contoh Baru","regionCode":"13.72"})", tim(), {"MasterplanIdentitySet"}},
      {R"({"type":"SetMasterplanPeriod","startYear":2019,"endYear":2027})", tim(), {"MasterplanPeriodSet"}},
      {R"({"type":"SetRpjmdReference","rpjmd":{"title":"RPJMD Kota Contoh 2019-2024","startYear":2019,"endYear":2024,"regulation":"Perda 5/2019"}})", tim(), {"RpjmdReferenceSet"}},
      {R"({"type":"SetVision","text":"Kota cerdas berbasis kearifan lokal"})", tim(), {"VisionSet"}},
      {R"({"type":"AddMission","missionId":"m1","text":"Pelayanan publik yang cepat"})", tim(), {"MissionAdded"}},
      {R"({"type":"AddMission","missionId":"m2","text":"Ekonomi kreatif","position":0})", tim(), {"MissionAdded"}},
      {R"({"type":"UpdateMission","missionId":"m1","text":"Pelayanan publik yang cepat dan terpadu"})", tim(), {"MissionUpdated"}},
      {R"({"type":"RemoveMission","missionId":"m2"})", tim(), {"MissionRemoved"}},
      {R"({"type":"AddStrategicIssue","issueId":"si1","dimension":"governance","text":"Data antar OPD belum terintegrasi"})", tim(), {"StrategicIssueAdded"}},
      {R"({"type":"UpdateStrategicIssue","issueId":"si1","text":"Data antar OPD belum terpadu"})", tim(), {"StrategicIssueUpdated"}},
      {R"({"type":"AddStrategicIssue","issueId":"si2","dimension":"living","text":"Kemacetan"})", tim(), {"StrategicIssueAdded"}},
      {R"({"type":"RemoveStrategicIssue","issueId":"si2"})", tim(), {"StrategicIssueRemoved"}},
      {R"({"type":"AddReadinessEntry","entryId":"r1","axis":"struktur","title":"SDM TI","quantity":121,"unit":"orang"})", tim(), {"ReadinessEntryAdded"}},
      {R"({"type":"UpdateReadinessEntry","entryId":"r1","description":"Pegawai bidang TI di seluruh OPD"})", tim(), {"ReadinessEntryUpdated"}},
      {R"({"type":"AddReadinessEntry","entryId":"r2","axis":"suprastruktur","title":"Perwako SPBE"})", tim(), {"ReadinessEntryAdded"}},
      {R"({"type":"RemoveReadinessEntry","entryId":"r2"})", tim(), {"ReadinessEntryRemoved"}},
      {R"({"type":"RegisterOpd","opdId":"dishub","name":"Dinas Perhubungan"})", admin(), {"OpdRegistered"}},
      {R"({"type":"RenameOpd","opdId":"dishub","name":"Dinas Perhubungan Kota","shortName":"Dishub"})", tim(), {"OpdRenamed"}},
      {R"({"type":"RetireOpd","opdId":"dishub"})", tim(), {"OpdRetired"}},
      {R"({"type":"ReinstateOpd","opdId":"dishub"})", tim(), {"OpdReinstated"}},
      {R"({"type":"AddProgram","programId":"p-wisata","title":"Portal wisata","dimension":"branding","element":"tourism_branding","leadOpd":"dispar","startYear":2019,"endYear":2019,"quickWin":true,"supportingOpds":["diskominfo"],"outputs":["Portal"],"outcomes":["Kunjungan naik"]})", opd_editor("dispar"), {"ProgramAdded"}},
      {R"({"type":"UpdateProgram","programId":"p-wisata","title":"Portal wisata terpadu","outcomes":["Kunjungan wisatawan naik 10%"]})", opd_editor("dispar"), {"ProgramUpdated"}},
      {R"({"type":"SetProgramYears","programId":"p-gov","startYear":2019,"endYear":2022})", tim(), {"ProgramYearsSet"}},
      {R"({"type":"SetProgramLeadOpd","programId":"p-gov","leadOpd":"bappeda"})", tim(), {"ProgramLeadOpdSet"}},
      {R"({"type":"AddSupportingOpd","programId":"p-gov","opdId":"diskominfo"})", tim(), {"SupportingOpdAdded"}},
      {R"({"type":"RemoveSupportingOpd","programId":"p-gov","opdId":"diskominfo"})", tim(), {"SupportingOpdRemoved"}},
      {R"({"type":"SetQuickWin","programId":"p-wisata","quickWin":false})", opd_editor("dispar"), {"ProgramQuickWinSet"}},
      {R"({"type":"SetProgramBudget","programId":"p-wisata","year":2019,"source":"APBD","amount":750000000})", opd_editor("dispar"), {"ProgramBudgetSet"}},
      {R"({"type":"SetProgramBudget","programId":"p-wisata","year":2019,"source":"CSR","amount":100000000})", tim(), {"ProgramBudgetSet"}},
      {R"({"type":"RemoveProgramBudget","programId":"p-wisata","year":2019,"source":"CSR"})", tim(), {"ProgramBudgetRemoved"}},
      {R"({"type":"AddIndicator","programId":"p-wisata","indicatorId":"i1","name":"Kunjungan portal","unit":"kunjungan/tahun","baseline":{"value":0,"year":2018}})", opd_editor("dispar"), {"IndicatorAdded"}},
      {R"({"type":"UpdateIndicator","programId":"p-wisata","indicatorId":"i1","unit":"kunjungan"})", tim(), {"IndicatorUpdated"}},
      {R"({"type":"SetIndicatorTarget","programId":"p-wisata","indicatorId":"i1","year":2019,"value":50000})", tim(), {"IndicatorTargetSet"}},
      {R"({"type":"RemoveIndicatorTarget","programId":"p-wisata","indicatorId":"i1","year":2019})", tim(), {"IndicatorTargetRemoved"}},
      {R"({"type":"AddIndicator","programId":"p-wisata","indicatorId":"i2","name":"Tiket daring","unit":"%"})", tim(), {"IndicatorAdded"}},
      {R"({"type":"RemoveIndicator","programId":"p-wisata","indicatorId":"i2"})", tim(), {"IndicatorRemoved"}},
      {R"({"type":"AddMember","userId":"u-walikota","name":"Wali Kota","role":"dewan","title":"Ketua Dewan Smart City"})", tim(), {"MemberAdded"}},
      {R"({"type":"AddMember","userId":"u-rina","name":"Rina","role":"opd_editor","opdId":"dispar"})", admin(), {"MemberAdded"}},
      {R"({"type":"ChangeMemberRole","userId":"u-rina","role":"tim_pelaksana"})", tim(), {"MemberRoleChanged"}},
      {R"({"type":"RemoveMember","userId":"u-rina"})", tim(), {"MemberRemoved"}},
      {R"({"type":"AddComment","commentId":"k1","target":"program/p-wisata","text":"Tambahkan target tahun kedua"})", reviewer(), {"CommentAdded"}},
      {R"({"type":"AddComment","commentId":"k2","target":"masterplan/vision","text":"Setuju","replyTo":"k1"})", opd_editor("dispar"), {"CommentAdded"}},
      {R"({"type":"ResolveComment","commentId":"k1"})", reviewer(), {"CommentResolved"}},
      {R"({"type":"Undo","commandId":"LAST"})", tim(), {"CommandUndone", "CommentReopened"}},
      {R"({"type":"RemoveProgram","programId":"p-wisata"})", opd_editor("dispar"), {"ProgramRemoved"}},
  };
}

TEST(Decide, EveryCommandIsAcceptedWithItsEvents) {
  Masterplan m;
  seed(m);
  for (const auto& c : accept_cases()) {
    std::string text = c.command;
    if (text.find("\"LAST\"") != std::string::npos) {
      text.replace(text.find("LAST"), 4, m.last_command_id());
    }
    SCOPED_TRACE(text);
    auto events = m.ok(text, c.actor);
    std::vector<std::string> types;
    for (const auto& e : events) types.push_back(e.type);
    EXPECT_EQ(types, c.events);
  }
  // The status walk and plugins are covered in their own tests; the catalogue's command
  // list has no command without a case here or there.
}

TEST(Decide, StatusWalkDraftToApprovedAndReopen) {
  Masterplan m;
  seed(m);
  m.ok(R"({"type":"SetVision","text":"Visi"})");
  const char* dims[][2] = {{"branding", "tourism_branding"}, {"economy", "people_welfare"},
                           {"living", "health"},             {"society", "learning_ecosystem"},
                           {"environment", "waste_management"}};
  int n = 0;
  for (auto& d : dims) {
    m.ok(std::string(R"({"type":"AddProgram","programId":"p)") + std::to_string(n++) +
         R"(","title":"P","dimension":")" + d[0] + R"(","element":")" + d[1] +
         R"(","leadOpd":"bappeda","startYear":2020,"endYear":2020,"quickWin":true})");
  }
  for (const auto& [id, program] : std::map<std::string, Program>(m.state().programs)) {
    m.ok(R"({"type":"AddIndicator","programId":")" + id +
         R"(","indicatorId":"i","name":"Indikator","unit":"%"})");
  }
  EXPECT_EQ(m.ok(R"({"type":"SubmitMasterplan"})")[0].type, "MasterplanSubmitted");
  EXPECT_EQ(m.ok(R"({"type":"StartReview"})", reviewer())[0].type, "ReviewStarted");
  EXPECT_EQ(m.ok(R"({"type":"ApproveMasterplan"})", dewan())[0].type, "MasterplanApproved");
  EXPECT_EQ(m.state().status, Status::approved);
  m.rejected(R"({"type":"SetVision","text":"Visi baru"})", "status.locked");
  m.ok(R"({"type":"AddComment","commentId":"k","target":"masterplan","text":"Selamat"})", reviewer());
  EXPECT_EQ(m.ok(R"({"type":"ReopenMasterplan","reason":"Revisi RPJMD"})", dewan())[0].type,
            "MasterplanReopened");
  EXPECT_EQ(m.state().status, Status::draft);
  m.ok(R"({"type":"SetVision","text":"Visi baru"})");
}

class FakeExtensions : public Extensions {
 public:
  std::optional<PluginIdentity> find_plugin(std::string_view name) const override {
    if (name != "padang") return std::nullopt;
    return PluginIdentity{"padang", "1.2.0", std::string(64, 'a')};
  }
  std::vector<Pillar> pillars_of(std::string_view plugin) const override {
    if (plugin != "padang") return {};
    return {Pillar{"adat_nagari", "Adat Nagari", "Nagari customs", "", {{"surau", "Surau", "Surau"}}, "padang"}};
  }
  ValidationOutcome validate(std::string_view, std::string_view type, const json::object& command,
                             const MasterplanState& state) const override {
    ++calls;
    last_state_programs = state.programs.size();
    ValidationOutcome outcome;
    if (type == "AddProgram" && command.at("title").as_string() == "crash") {
      outcome.failure = ValidatorFailure::error;
      outcome.failure_message = "plugin padang threw std::bad_alloc";
    } else if (type == "AddProgram" && command.at("title").as_string() == "slow") {
      outcome.failure = ValidatorFailure::timeout;
      outcome.failure_message = "plugin padang took longer than 50 ms";
    } else if (type == "AddProgram" && command.at("title").as_string() == "no") {
      outcome.violations.push_back(Violation{"padang.title", "/command/title", "Tidak", "No", nullptr});
    }
    return outcome;
  }
  mutable int calls = 0;
  mutable std::size_t last_state_programs = 0;
};

TEST(Decide, PluginPillarsAndValidators) {
  Masterplan m;
  seed(m);
  FakeExtensions ext;
  auto run = [&](std::string_view text) { return m.run(cmd(text), tim(), std::nullopt, &ext); };
  const char* nagari = R"({"type":"AddProgram","programId":"p-n","title":"Surau digital","dimension":"adat_nagari","element":"surau","leadOpd":"bappeda","startYear":2020,"endYear":2021})";
  auto before = run(nagari);
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, "program.unknown_dimension");

  auto missing = run(R"({"type":"EnablePlugin","plugin":"payakumbuh"})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "plugin.not_loaded");

  auto enabled = run(R"({"type":"EnablePlugin","plugin":"padang"})");
  ASSERT_TRUE(enabled) << Masterplan::describe(enabled);
  EXPECT_EQ(enabled.value()[0].type, "PluginEnabled");
  EXPECT_EQ(enabled.value()[0].payload.at("version").as_string(), "1.2.0");
  EXPECT_EQ(m.state().plugins.count("padang"), 1u);

  auto added = run(nagari);
  ASSERT_TRUE(added) << Masterplan::describe(added);
  EXPECT_GT(ext.calls, 0);
  EXPECT_EQ(ext.last_state_programs, 1u);  // the state view before this program

  auto no = run(R"({"type":"AddProgram","programId":"p-x","title":"no","dimension":"governance","element":"public_policy","leadOpd":"bappeda","startYear":2020,"endYear":2021})");
  ASSERT_FALSE(no);
  EXPECT_EQ(no.error().code, "padang.title");
  auto crash = run(R"({"type":"AddProgram","programId":"p-y","title":"crash","dimension":"governance","element":"public_policy","leadOpd":"bappeda","startYear":2020,"endYear":2021})");
  ASSERT_FALSE(crash);
  EXPECT_EQ(crash.error().code, "plugin_error");
  EXPECT_NE(crash.error().violations[0].message_en.find("padang"), std::string::npos);
  auto slow = run(R"({"type":"AddProgram","programId":"p-z","title":"slow","dimension":"governance","element":"public_policy","leadOpd":"bappeda","startYear":2020,"endYear":2021})");
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, "plugin_timeout");

  auto in_use = run(R"({"type":"DisablePlugin","plugin":"padang"})");
  ASSERT_FALSE(in_use);
  EXPECT_EQ(in_use.error().code, "plugin.in_use");
  ASSERT_TRUE(run(R"({"type":"RemoveProgram","programId":"p-n"})"));
  auto disabled = run(R"({"type":"DisablePlugin","plugin":"padang"})");
  ASSERT_TRUE(disabled) << Masterplan::describe(disabled);
  EXPECT_EQ(m.state().plugins.count("padang"), 0u);
}

TEST(Decide, SixNationalDimensionsWithThreeElementsEach) {
  ASSERT_EQ(national_dimensions().size(), 6u);
  for (const auto& d : national_dimensions()) {
    EXPECT_EQ(d.elements.size(), 3u) << d.id;
    EXPECT_FALSE(d.name_id.empty());
    EXPECT_FALSE(d.name_en.empty());
  }
}

TEST(Decide, UnknownTypeAndBadJsonAreRejectionsNotExceptions) {
  Masterplan m;
  seed(m);
  auto unknown = m.run(cmd(R"({"type":"DropDatabase"})"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "command.unknown_type");
  auto bad = m.run(cmd(R"({"type":"SetProgramBudget","programId":"p-gov","year":"2020","source":"APBD","amount":5})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "schema");
  EXPECT_EQ(bad.error().violations.front().path.rfind("/command", 0), 0u);
  auto extra = m.run(cmd(R"({"type":"SetVision","text":"x","sneaky":true})"));
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().code, "schema");
  auto notype = decode_command(json::value(42), SchemaRegistry::builtin());
  ASSERT_FALSE(notype);
  EXPECT_EQ(notype.error().code, "schema");
}

}  // namespace
}  // namespace rembuk::model::testing
