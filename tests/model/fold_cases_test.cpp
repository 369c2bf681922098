// The shared cases of the fold (tests/data/fold-cases.json): a masterplan drafted through
// the real decide + apply path, one case per command with the state before it, the events it
// stored and the state after them, both as `GET /api/masterplans/{id}` sends them. The
// editor folds live events with @rembuk/client's applyEvent instead of fetching the state
// again (clients/js/test/fold.test.ts runs the same file), so the two folds must agree on
// every byte of the state; this test fails as soon as the kernel's fold and the file part.
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace rembuk::model::testing {
namespace {

const std::string kCases = std::string(REMBUK_SOURCE_DIR) + "/tests/data/fold-cases.json";

constexpr const char* kAbout =
    "Shared cases of the fold of events into the masterplan state: written by "
    "tests/model/fold_cases_test.cpp (DISABLED_WriteCases) from the kernel's decide + apply, "
    "checked there and by clients/js/test/fold.test.ts. States are the JSON of "
    "GET /api/masterplans/{id}; events as the WebSocket `events` message carries them.";

constexpr const char* kRegenerate =
    "build/ci/tests/model/model_fold_cases_test --gtest_also_run_disabled_tests "
    "--gtest_filter='*WriteCases'";

inline Actor kementerian() { return Actor{"u-kemkominfo", {"kementerian"}, ""}; }

// An event as the `events` message carries it (its position and time are the log's, left
// out: the fold does not read them).
json::object stored(const EventRecord& e) {
  return json::object{{"version", e.revision},       {"type", e.type},
                      {"schemaVersion", e.schema_version}, {"actor", e.actor},
                      {"commandId", e.command_id},   {"payload", e.payload}};
}

class CaseWriter {
 public:
  // Runs `command` (it must be accepted) and records it as a case named `name`.
  void run(std::string name, const std::string& command, const Actor& actor = tim()) {
    json::object before = to_json(m_.state(), Bookkeeping::omit);
    const std::size_t from = m_.log().size();
    m_.ok(command, actor);
    json::array events;
    for (std::size_t i = from; i < m_.log().size(); ++i) events.push_back(stored(m_.log()[i]));
    cases_.push_back(json::object{{"name", std::move(name)},
                                  {"command", json::parse(command)},
                                  {"stateBefore", std::move(before)},
                                  {"events", std::move(events)},
                                  {"stateAfter", to_json(m_.state(), Bookkeeping::omit)}});
  }
  // Runs `command` (it must be accepted) without recording a case: what a rule needs first.
  void setup(const std::string& command, const Actor& actor = tim()) { m_.ok(command, actor); }
  // Undoes the last command as `actor`.
  void undo_last(std::string name, const Actor& actor = tim()) {
    run(std::move(name), R"({"type":"Undo","commandId":")" + m_.last_command_id() + R"("})",
        actor);
  }
  const json::array& cases() const { return cases_; }

 private:
  Masterplan m_{"kota-lumbung"};
  json::array cases_;
};

// A city drafting its masterplan the way a Bimtek room does: identity, OPDs and people,
// vision and missions, programs in every dimension with budgets over several years and
// indicators, comments, the review, then the Bimtek track.
json::array fold_cases() {
  CaseWriter w;
  const Actor budi = tim("u-budi");
  w.run("create the masterplan",
        R"({"type":"CreateMasterplan","cityName":"Kota Lumbung","regionCode":"13.77","startYear":2024,"endYear":2028,"rpjmd":{"title":"RPJMD Kota Lumbung 2024-2028","startYear":2024,"endYear":2028}})");
  w.run("register an OPD with a short name",
        R"({"type":"RegisterOpd","opdId":"diskominfo","name":"Dinas Komunikasi dan Informatika","shortName":"Diskominfo"})");
  w.run("register an OPD without a short name",
        R"({"type":"RegisterOpd","opdId":"bappeda","name":"Badan Perencanaan Pembangunan Daerah"})");
  w.run("register a third OPD",
        R"({"type":"RegisterOpd","opdId":"dinkes","name":"Dinas Kesehatan","shortName":"Dinkes"})");
  w.run("rename an OPD", R"({"type":"RenameOpd","opdId":"bappeda","name":"Bappeda Kota Lumbung","shortName":"Bappeda"})");
  w.run("retire an OPD", R"({"type":"RetireOpd","opdId":"dinkes"})");
  w.run("reinstate an OPD", R"({"type":"ReinstateOpd","opdId":"dinkes"})");
  w.run("set the identity", R"({"type":"SetMasterplanIdentity","cityName":"Kota Lumbung Raya","regionCode":"13.77"})");
  w.run("set the period", R"({"type":"SetMasterplanPeriod","startYear":2024,"endYear":2029})");
  w.run("set the RPJMD reference",
        R"({"type":"SetRpjmdReference","rpjmd":{"title":"RPJMD 2024-2029","startYear":2024,"endYear":2029,"regulation":"Perda 2/2024"}})");
  w.run("add a member", R"({"type":"AddMember","userId":"u-rina","name":"Rina","role":"tim_pelaksana","title":"Sekretaris Bappeda"})");
  w.run("add an OPD editor", R"({"type":"AddMember","userId":"u-ani","name":"Ani","role":"opd_editor","opdId":"dinkes"})");
  w.run("add a reviewer", R"({"type":"AddMember","userId":"u-expert","name":"Tenaga Ahli","role":"reviewer"})");
  w.run("change a member's role", R"({"type":"ChangeMemberRole","userId":"u-ani","role":"opd_editor","opdId":"bappeda"})");
  w.run("remove a member", R"({"type":"RemoveMember","userId":"u-rina"})");
  w.run("re-add a removed member with another role",
        R"({"type":"AddMember","userId":"u-rina","name":"Rina Wulandari","role":"dewan"})");
  w.run("set the vision", R"({"type":"SetVision","text":"Kota Lumbung yang cerdas dan berbudaya"})");
  w.run("add a mission", R"({"type":"AddMission","missionId":"m-1","text":"Layanan publik digital"})");
  w.run("add a mission at the front", R"({"type":"AddMission","missionId":"m-2","text":"Ekonomi kreatif","position":0})");
  w.run("add a mission in the middle", R"({"type":"AddMission","missionId":"m-3","text":"Lingkungan bersih","position":1})");
  w.run("update a mission", R"({"type":"UpdateMission","missionId":"m-3","text":"Lingkungan bersih dan hijau"})");
  w.run("remove a mission", R"({"type":"RemoveMission","missionId":"m-2"})");
  w.run("add a strategic issue", R"({"type":"AddStrategicIssue","issueId":"si-1","dimension":"governance","text":"Layanan masih manual"})");
  w.run("update a strategic issue", R"({"type":"UpdateStrategicIssue","issueId":"si-1","text":"Layanan perizinan masih manual"})");
  w.run("add another strategic issue", R"({"type":"AddStrategicIssue","issueId":"si-0","dimension":"living","text":"Puskesmas belum terhubung"})");
  w.run("remove a strategic issue", R"({"type":"RemoveStrategicIssue","issueId":"si-0"})");
  w.run("add a readiness entry with a quantity",
        R"({"type":"AddReadinessEntry","entryId":"r-1","axis":"struktur","title":"Pegawai TI","quantity":121,"unit":"orang","swot":"strength"})");
  w.run("add a readiness entry without optionals",
        R"({"type":"AddReadinessEntry","entryId":"r-2","axis":"infrastruktur","title":"Jaringan fiber"})");
  w.run("update a readiness entry",
        R"({"type":"UpdateReadinessEntry","entryId":"r-2","description":"Baru 40% kelurahan","quantity":40.5,"unit":"%","swot":"weakness"})");
  w.run("clear a readiness description as text",
        R"({"type":"EditText","field":"readiness/r-2/description","ops":[{"d":18}]})");
  w.run("remove a readiness entry", R"({"type":"RemoveReadinessEntry","entryId":"r-1"})");

  // Programs in all six dimensions (the submission gate needs them).
  w.run("add a program",
        R"({"type":"AddProgram","programId":"p-gov","title":"Perizinan daring","dimension":"governance","element":"public_service","leadOpd":"diskominfo","startYear":2024,"endYear":2026,"description":"Semua izin lewat satu portal","supportingOpds":["bappeda","dinkes"],"outputs":["Portal perizinan","Aplikasi seluler"],"outcomes":["Izin terbit dalam 3 hari"]})");
  w.run("add a quick-win program",
        R"({"type":"AddProgram","programId":"p-brand","title":"Festival lumbung","dimension":"branding","element":"tourism_branding","leadOpd":"bappeda","startYear":2024,"endYear":2024,"quickWin":true})");
  w.run("add an economy program",
        R"({"type":"AddProgram","programId":"p-eco","title":"UMKM go digital","dimension":"economy","element":"people_welfare","leadOpd":"bappeda","startYear":2025,"endYear":2027})");
  w.run("add a living program",
        R"({"type":"AddProgram","programId":"p-live","title":"Puskesmas terhubung","dimension":"living","element":"health","leadOpd":"dinkes","startYear":2024,"endYear":2028})");
  w.run("add a society program",
        R"({"type":"AddProgram","programId":"p-soc","title":"Sekolah digital","dimension":"society","element":"learning_ecosystem","leadOpd":"bappeda","startYear":2025,"endYear":2026})");
  w.run("add an environment program",
        R"({"type":"AddProgram","programId":"p-env","title":"Bank sampah","dimension":"environment","element":"waste_management","leadOpd":"bappeda","startYear":2024,"endYear":2025})");
  w.run("update a program's title", R"({"type":"UpdateProgram","programId":"p-gov","title":"Perizinan daring terpadu"})");
  w.run("update a program's outputs and description",
        R"({"type":"UpdateProgram","programId":"p-eco","description":"Pendampingan UMKM","outputs":["Pelatihan","Marketplace lokal"],"outcomes":["500 UMKM daring"]})");
  w.run("set a program's years", R"({"type":"SetProgramYears","programId":"p-soc","startYear":2025,"endYear":2028})");
  w.run("set a program's lead OPD", R"({"type":"SetProgramLeadOpd","programId":"p-eco","leadOpd":"diskominfo"})");
  w.run("add a supporting OPD", R"({"type":"AddSupportingOpd","programId":"p-eco","opdId":"bappeda"})");
  w.run("remove a supporting OPD", R"({"type":"RemoveSupportingOpd","programId":"p-gov","opdId":"dinkes"})");
  w.run("clear the quick-win flag", R"({"type":"SetQuickWin","programId":"p-brand","quickWin":false})");
  w.run("set the quick-win flag", R"({"type":"SetQuickWin","programId":"p-brand","quickWin":true})");
  w.run("budget a later year first", R"({"type":"SetProgramBudget","programId":"p-gov","year":2026,"source":"APBD","amount":750000000})");
  w.run("budget an earlier year", R"({"type":"SetProgramBudget","programId":"p-gov","year":2024,"source":"APBD","amount":1250000000})");
  w.run("budget a second source in one year", R"({"type":"SetProgramBudget","programId":"p-gov","year":2024,"source":"APBN","amount":3000000000})");
  w.run("budget the middle year", R"({"type":"SetProgramBudget","programId":"p-gov","year":2025,"source":"APBD","amount":900000000})");
  w.run("change a budget line", R"({"type":"SetProgramBudget","programId":"p-gov","year":2024,"source":"APBD","amount":1300000000})");
  w.run("remove a budget line", R"({"type":"RemoveProgramBudget","programId":"p-gov","year":2026,"source":"APBD"})");
  w.run("budget a large amount", R"({"type":"SetProgramBudget","programId":"p-live","year":2027,"source":"KPBU","amount":12500000000000})");
  w.run("add an indicator with a baseline",
        R"({"type":"AddIndicator","programId":"p-gov","indicatorId":"i-izin","name":"Izin daring","unit":"%","baseline":{"value":12.5,"year":2023}})");
  w.run("add an indicator without a baseline",
        R"({"type":"AddIndicator","programId":"p-gov","indicatorId":"i-app","name":"Unduhan aplikasi","unit":"unduhan"})");
  for (const char* program : {"p-brand", "p-eco", "p-live", "p-soc", "p-env"}) {
    w.run(std::string("add an indicator to ") + program,
          std::string(R"({"type":"AddIndicator","programId":")") + program +
              R"(","indicatorId":"i","name":"Capaian","unit":"%"})");
  }
  w.run("set indicator targets out of order", R"({"type":"SetIndicatorTarget","programId":"p-gov","indicatorId":"i-izin","year":2026,"value":90})");
  w.run("set an earlier target", R"({"type":"SetIndicatorTarget","programId":"p-gov","indicatorId":"i-izin","year":2024,"value":40.25})");
  w.run("change a target", R"({"type":"SetIndicatorTarget","programId":"p-gov","indicatorId":"i-izin","year":2026,"value":95})");
  w.run("remove a target", R"({"type":"RemoveIndicatorTarget","programId":"p-gov","indicatorId":"i-izin","year":2024})");
  w.run("update an indicator's name and baseline",
        R"({"type":"UpdateIndicator","programId":"p-gov","indicatorId":"i-app","name":"Pengguna aplikasi","baseline":{"value":1000}})");
  w.run("clear an indicator's baseline", R"({"type":"UpdateIndicator","programId":"p-gov","indicatorId":"i-izin","baseline":null})");
  w.run("remove an indicator", R"({"type":"RemoveIndicator","programId":"p-gov","indicatorId":"i-app"})");
  w.undo_last("undo the indicator's removal");
  w.run("edit a program's description as text",
        R"({"type":"EditText","field":"program/p-gov/description","ops":[28," kota"]})");
  w.run("edit a program's output as text",
        R"({"type":"EditText","field":"program/p-eco/outputs/1","ops":[17," Lumbung"]})");
  w.run("edit the vision as text", R"({"type":"EditText","field":"masterplan/vision","ops":[4," Maju"]})");

  // Comments and a program removed under them.
  const Actor reviewer{"u-expert", {"reviewer"}, ""};
  w.run("comment on a program", R"({"type":"AddComment","commentId":"k-1","target":"program/p-env","text":"Target belum jelas"})", reviewer);
  w.run("reply to a comment", R"({"type":"AddComment","commentId":"k-2","target":"program/p-env","text":"Akan kami lengkapi","replyTo":"k-1"})");
  w.run("comment on the vision", R"({"type":"AddComment","commentId":"k-3","target":"masterplan/vision","text":"Bagus"})", reviewer);
  w.run("resolve a comment", R"({"type":"ResolveComment","commentId":"k-1"})");
  w.undo_last("undo the resolution: the comment reopens");
  w.run("comment, then withdraw it", R"({"type":"AddComment","commentId":"k-4","target":"program/p-soc","text":"Salah ketik"})", budi);
  w.undo_last("undo a comment: it is withdrawn", budi);
  w.run("add a program to remove",
        R"({"type":"AddProgram","programId":"p-tmp","title":"Program sementara","dimension":"environment","element":"waste_management","leadOpd":"bappeda","startYear":2024,"endYear":2026})");
  w.run("budget it over several years", R"({"type":"SetProgramBudget","programId":"p-tmp","year":2024,"source":"APBD","amount":100000000})");
  w.run("budget it in the next year", R"({"type":"SetProgramBudget","programId":"p-tmp","year":2025,"source":"APBD","amount":200000000})");
  w.run("comment on it", R"({"type":"AddComment","commentId":"k-5","target":"program/p-tmp","text":"Duplikat dengan bank sampah?"})", reviewer);
  w.run("remove a program that has comments and a budget", R"({"type":"RemoveProgram","programId":"p-tmp"})");
  w.undo_last("undo the removal: the program is restored");
  w.run("remove it again", R"({"type":"RemoveProgram","programId":"p-tmp"})");

  // The review.
  w.run("submit", R"({"type":"SubmitMasterplan"})");
  w.run("start the review", R"({"type":"StartReview"})", reviewer);
  w.run("approve", R"({"type":"ApproveMasterplan"})", dewan());
  w.run("reopen", R"({"type":"ReopenMasterplan","reason":"Revisi RPJMD"})", dewan());

  // The Bimtek track.
  w.run("record the MoU", R"({"type":"RecordMou","date":"2023-05-10","signedBy":"Wali Kota","notes":"Angkatan 2023"})");
  w.run("schedule a stage", R"({"type":"ScheduleBimtekStage","stage":1,"scheduledDate":"2024-02-12","place":"Aula Bappeda"})");
  w.run("record a stage held", R"({"type":"RecordBimtekStageHeld","stage":1,"heldDate":"2024-02-13"})");
  w.run("set the experts", R"({"type":"SetBimtekExperts","stage":1,"experts":["Tenaga Ahli B","Tenaga Ahli A"]})");
  w.run("record attendance", R"({"type":"RecordBimtekAttendance","stage":1,"members":["u-rina","u-ani"],"opds":["dinkes","bappeda"]})");
  w.run("set stage notes", R"({"type":"SetBimtekStageNotes","stage":1,"notes":"SWOT selesai"})");
  w.run("add a gap", R"({"type":"AddGap","gapId":"g-1","axis":"infrastruktur","current":"40% fiber","expected":"100% fiber","action":"Kerja sama ISP"})");
  w.run("add a gap without action", R"({"type":"AddGap","gapId":"g-0","axis":"struktur","current":"Tanpa CIO","expected":"CIO kota"})");
  w.run("remove a gap", R"({"type":"RemoveGap","gapId":"g-0"})");
  // What closing stage I needs: a SWOT of every axis, a gap per axis, an issue per dimension.
  int n = 0;
  for (const char* axis : {"struktur", "infrastruktur", "suprastruktur"}) {
    for (const char* q : {"strength", "weakness", "opportunity", "threat"}) {
      w.setup(std::string(R"({"type":"AddReadinessEntry","entryId":"swot-)") + std::to_string(n++) +
              R"(","axis":")" + axis + R"(","title":"Butir","swot":")" + q + R"("})");
    }
    w.setup(std::string(R"({"type":"AddGap","gapId":"gap-)") + axis + R"(","axis":")" + axis +
            R"(","current":"Sekarang","expected":"Harapan"})");
  }
  for (const char* dim : {"branding", "economy", "living", "society", "environment"}) {
    w.setup(std::string(R"({"type":"AddStrategicIssue","issueId":"si-)") + dim +
            R"(","dimension":")" + dim + R"(","text":"Isu"})");
  }
  w.run("close a stage", R"({"type":"CloseBimtekStage","stage":1})");
  w.run("reopen a stage", R"({"type":"ReopenBimtekStage","stage":1,"reason":"SWOT belum lengkap"})");
  w.run("add a strategy", R"({"type":"AddStrategy","strategyId":"s-1","dimension":"governance","text":"Satu data kota"})");
  w.run("add another strategy", R"({"type":"AddStrategy","strategyId":"s-0","dimension":"economy","text":"Pasar digital"})");
  w.run("update a strategy", R"({"type":"UpdateStrategy","strategyId":"s-1","text":"Satu data untuk semua OPD"})");
  w.run("remove a strategy", R"({"type":"RemoveStrategy","strategyId":"s-0"})");
  w.run("set a program's missions", R"({"type":"SetProgramMissions","programId":"p-gov","missionIds":["m-3","m-1"]})");
  w.run("set a program's plan reference",
        R"({"type":"SetProgramPlanReference","programId":"p-gov","rpjmdProgram":"Program 4.2","renstra":"Renstra Diskominfo"})");
  w.run("profile a quick win",
        R"({"type":"SetQuickWinProfile","programId":"p-brand","objective":"Wisatawan naik","location":"Alun-alun","beneficiaries":"UMKM","timeline":"Agustus 2024"})");
  w.run("record a commitment letter",
        R"({"type":"RecordCommitmentLetter","letterId":"l-1","signatory":"head_of_region","signatoryName":"Wali Kota","date":"2024-06-01","letterNumber":"050/12/2024"})");
  w.run("record an OPD's commitment letter",
        R"({"type":"RecordCommitmentLetter","letterId":"l-2","signatory":"opd_head","opdId":"diskominfo","signatoryName":"Kadis Kominfo","date":"2024-06-02","letterNumber":"050/13/2024"})");
  w.run("withdraw a commitment letter", R"({"type":"WithdrawCommitmentLetter","letterId":"l-2"})");
  w.run("record the presentation",
        R"({"type":"RecordPresentation","date":"2024-07-01","evaluators":["Evaluator A"],"notes":"Baik","outcome":"accepted_with_revisions"})",
        kementerian());
  return w.cases();
}

// The file's text: one case a line, so that a change of the fold shows as a readable diff.
std::string cases_text(const json::array& cases) {
  std::string text = "{\n\"about\": " + json::serialize(json::value(kAbout)) +
                     ",\n\"regenerate\": " + json::serialize(json::value(kRegenerate)) +
                     ",\n\"cases\": [\n";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    text += json::serialize(cases[i]);
    text += i + 1 < cases.size() ? ",\n" : "\n";
  }
  return text + "]}\n";
}

TEST(FoldCases, TheFileMatchesTheKernel) {
  const json::array cases = fold_cases();
  const std::string file = read_file(kCases);
  ASSERT_FALSE(file.empty()) << kCases << " is missing; write it with " << kRegenerate;
  if (file == cases_text(cases)) return;
  const json::array recorded = json::parse(file).as_object().at("cases").as_array();
  std::string first = "the file's layout";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (i >= recorded.size() || recorded[i] != cases[i]) {
      first = std::string(cases[i].as_object().at("name").as_string());
      break;
    }
  }
  if (recorded.size() > cases.size()) first = "the file has more cases";
  ADD_FAILURE() << kCases << " no longer matches the kernel's fold (first difference: " << first
                << "). If the change of the fold is meant, regenerate it with\n  " << kRegenerate
                << "\nand make @rembuk/client's applyEvent (clients/js/src/fold.ts) fold the same "
                   "way: clients/js/test/fold.test.ts reads the same file.";
}

TEST(FoldCases, EveryCaseIsTheNextVersionWithoutAGap) {
  for (const auto& v : fold_cases()) {
    const auto& c = v.as_object();
    auto version_of = [](const json::value& item) {
      return item.as_object().at("version").to_number<std::uint64_t>();
    };
    auto version = version_of(c.at("stateBefore"));
    for (const auto& e : c.at("events").as_array()) {
      EXPECT_EQ(version_of(e), ++version) << c.at("name");
    }
    EXPECT_EQ(version_of(c.at("stateAfter")), version) << c.at("name");
  }
}

// Every event type has a case, so that a new one cannot stay out of the clients' fold
// unnoticed; only the plugins' events need a plugin host, which the cases do without.
TEST(FoldCases, EveryEventTypeHasACase) {
  std::set<std::string> seen;
  for (const auto& c : fold_cases()) {
    for (const auto& e : c.as_object().at("events").as_array()) {
      seen.emplace(e.as_object().at("type").as_string());
    }
  }
  for (const auto& file : SchemaRegistry::builtin().files()) {
    if (!file.starts_with("events/")) continue;
    const std::string type = file.substr(7, file.find('.') - 7);
    if (type == "PluginEnabled" || type == "PluginDisabled") continue;
    EXPECT_TRUE(seen.contains(type)) << type << " has no case: add a command emitting it";
  }
}

TEST(FoldCases, DISABLED_WriteCases) {
  std::ofstream out(kCases, std::ios::binary | std::ios::trunc);
  out << cases_text(fold_cases());
  ASSERT_TRUE(out.good()) << kCases;
}

}  // namespace
}  // namespace rembuk::model::testing
