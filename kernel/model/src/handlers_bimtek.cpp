// Handlers for the Bimtek track: the stages (schedule, session, attendance, notes, closing)
// and the content the stages add (gap analysis, strategies, program→mission mapping,
// quick-win profiles, commitment letters, the presentation to the ministry).
#include <algorithm>

#include "bimtek_json.hpp"
#include "handlers.hpp"
#include "rembuk/model/bimtek.hpp"
#include "rules/bimtek_rules.hpp"
#include "rules/program_rules.hpp"

namespace rembuk::model::handlers {

namespace json = boost::json;
namespace ja = json_access;

namespace {

// The stage the command names (the schema keeps it within 1..4).
const BimtekStage& stage_of(Decider& d) {
  const BimtekStage* stage = d.state.find_stage(ja::opt_int(d.body, "stage").value_or(0));
  return stage != nullptr ? *stage : d.state.bimtek[0];
}

json::value text_or_null(const std::string& text) { return ja::opt_string_value(text); }

json::array sorted_unique(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return ja::to_array(items);
}

void not_found(Decider& d, std::string_view kind, std::string_view field, const std::string& id) {
  d.violate(std::string(kind) + ".not_found", Decider::path(field),
            "'" + id + "' tidak ditemukan", "'" + id + "' was not found",
            json::object{{std::string(field), id}});
}

bool check_axis(Decider& d, const std::string& axis) {
  if (axis == "struktur" || axis == "infrastruktur" || axis == "suprastruktur") return true;
  d.violate("readiness.unknown_axis", Decider::path("axis"),
            "Sumbu kesiapan harus struktur, infrastruktur atau suprastruktur",
            "The readiness axis must be struktur, infrastruktur or suprastruktur");
  return false;
}

}  // namespace

void record_mou(Decider& d) {
  d.emit("MouRecorded", json::object{{"mou", to_json(std::optional(Mou{d.str("date"),
                                                                       d.str("signedBy"),
                                                                       d.str("notes")}))},
                                     {"previous", to_json(d.state.mou)}});
}

void schedule_bimtek_stage(Decider& d) {
  const BimtekStage& stage = stage_of(d);
  const std::string place = d.str("place");
  const std::string link = d.str("onlineLink");
  if (place.empty() && link.empty()) {
    d.violate("bimtek.venue_missing", Decider::path("place"),
              "Tahap Bimtek perlu tempat atau tautan daring",
              "A Bimtek stage needs a place or an online link");
    return;
  }
  d.emit("BimtekStageScheduled", json::object{{"stage", stage.number},
                                              {"scheduledDate", d.str("scheduledDate")},
                                              {"place", text_or_null(place)},
                                              {"onlineLink", text_or_null(link)},
                                              {"previousScheduledDate",
                                               text_or_null(stage.scheduled_date)},
                                              {"previousPlace", text_or_null(stage.place)},
                                              {"previousOnlineLink",
                                               text_or_null(stage.online_link)}});
}

void record_bimtek_stage_held(Decider& d) {
  const BimtekStage& stage = stage_of(d);
  if (stage.scheduled_date.empty()) {
    d.violate("bimtek.stage_not_scheduled", Decider::path("stage"),
              std::string("Tahap ") + stage_numeral(stage.number) + " belum dijadwalkan",
              std::string("Stage ") + stage_numeral(stage.number) + " is not scheduled yet",
              json::object{{"stage", stage.number}});
    return;
  }
  d.emit("BimtekStageHeld", json::object{{"stage", stage.number},
                                         {"heldDate", d.str("heldDate")},
                                         {"previousHeldDate", text_or_null(stage.held_date)}});
}

void set_bimtek_experts(Decider& d) {
  const BimtekStage& stage = stage_of(d);
  d.emit("BimtekExpertsSet", json::object{{"stage", stage.number},
                                          {"experts", ja::to_array(ja::strings(d.body, "experts"))},
                                          {"previousExperts", ja::to_array(stage.experts)}});
}

void record_bimtek_attendance(Decider& d) {
  const BimtekStage& stage = stage_of(d);
  const auto members = ja::strings(d.body, "members");
  const auto opds = ja::strings(d.body, "opds");
  for (const auto& user : members) {
    if (d.state.members.count(user) == 0) {
      d.violate("member.not_found", Decider::path("members"),
                "Anggota '" + user + "' tidak ada dalam daftar anggota",
                "Member '" + user + "' is not in the member list", json::object{{"userId", user}});
    }
  }
  for (const auto& opd : opds) {
    if (d.state.find_opd(opd) == nullptr) {
      d.violate("opd.unknown", Decider::path("opds"),
                "OPD '" + opd + "' tidak ada dalam daftar OPD kota",
                "OPD '" + opd + "' is not in the city's OPD list", json::object{{"opdId", opd}});
    }
  }
  if (!d.ok()) return;
  d.emit("BimtekAttendanceRecorded",
         json::object{
             {"stage", stage.number},
             {"members", sorted_unique(members)},
             {"opds", sorted_unique(opds)},
             {"previousMembers",
              ja::to_array({stage.members_present.begin(), stage.members_present.end()})},
             {"previousOpds", ja::to_array({stage.opds_present.begin(), stage.opds_present.end()})}});
}

void set_bimtek_stage_notes(Decider& d) {
  const BimtekStage& stage = stage_of(d);
  d.emit("BimtekStageNotesSet", json::object{{"stage", stage.number},
                                             {"notes", d.str("notes")},
                                             {"previousNotes", stage.notes}});
}

void close_bimtek_stage(Decider& d) {
  const BimtekStage& stage = stage_of(d);
  if (!rules::check_stage_closable(d, stage)) return;
  d.emit("BimtekStageClosed", json::object{{"stage", stage.number}});
}

void reopen_bimtek_stage(Decider& d) {
  const BimtekStage& stage = stage_of(d);
  if (!rules::check_stage_reopenable(d, stage)) return;
  d.emit("BimtekStageReopened", json::object{{"stage", stage.number}, {"reason", d.str("reason")}});
}

void add_gap(Decider& d) {
  std::string id = d.str("gapId");
  if (!d.id_free("gap", id, "gapId")) return;
  std::string axis = d.str("axis");
  if (!check_axis(d, axis)) return;
  d.emit("GapAdded",
         to_json(Gap{id, axis, d.str("current"), d.str("expected"), d.str("action")}));
}

void remove_gap(Decider& d) {
  std::string id = d.str("gapId");
  auto it = d.state.gaps.find(id);
  if (it == d.state.gaps.end()) return not_found(d, "gap", "gapId", id);
  d.emit("GapRemoved", to_json(it->second));
}

void add_strategy(Decider& d) {
  std::string id = d.str("strategyId");
  if (!d.id_free("strategy", id, "strategyId")) return;
  std::string dimension = d.str("dimension");
  if (!rules::find_pillar(d.state, d.context.extensions, dimension)) {
    d.violate("strategy.unknown_dimension", Decider::path("dimension"),
              "Dimensi atau pilar '" + dimension + "' tidak dikenal",
              "Unknown dimension or pillar '" + dimension + "'",
              json::object{{"dimension", dimension}});
    return;
  }
  d.emit("StrategyAdded", to_json(Strategy{id, dimension, d.str("text")}));
}

void update_strategy(Decider& d) {
  std::string id = d.str("strategyId");
  auto it = d.state.strategies.find(id);
  if (it == d.state.strategies.end()) return not_found(d, "strategy", "strategyId", id);
  d.emit("StrategyUpdated", json::object{{"strategyId", id},
                                         {"text", d.str("text")},
                                         {"previousText", it->second.text}});
}

void remove_strategy(Decider& d) {
  std::string id = d.str("strategyId");
  auto it = d.state.strategies.find(id);
  if (it == d.state.strategies.end()) return not_found(d, "strategy", "strategyId", id);
  d.emit("StrategyRemoved", to_json(it->second));
}

void set_program_missions(Decider& d) {
  const Program* program = d.need_program();
  if (program == nullptr) return;
  const auto missions = ja::strings(d.body, "missionIds");
  for (const auto& id : missions) {
    bool found = std::any_of(d.state.missions.begin(), d.state.missions.end(),
                             [&](const Mission& m) { return m.id == id; });
    if (!found) {
      d.violate("mission.not_found", Decider::path("missionIds"),
                "Misi '" + id + "' tidak ditemukan", "Mission '" + id + "' was not found",
                json::object{{"missionId", id}});
    }
  }
  if (!d.ok()) return;
  d.emit("ProgramMissionsSet",
         json::object{{"programId", program->id},
                      {"missionIds", sorted_unique(missions)},
                      {"previousMissionIds",
                       ja::to_array({program->missions.begin(), program->missions.end()})}});
}

void set_program_plan_reference(Decider& d) {
  const Program* program = d.need_program();
  if (program == nullptr) return;
  d.emit("ProgramPlanReferenceSet",
         json::object{{"programId", program->id},
                      {"rpjmdProgram", text_or_null(d.str("rpjmdProgram"))},
                      {"renstra", text_or_null(d.str("renstra"))},
                      {"previousRpjmdProgram", text_or_null(program->rpjmd_program)},
                      {"previousRenstra", text_or_null(program->renstra)}});
}

void set_quick_win_profile(Decider& d) {
  const Program* program = d.need_program();
  if (program == nullptr) return;
  if (!program->quick_win) {
    d.violate("program.not_quick_win", Decider::path("programId"),
              "Program '" + program->title + "' bukan quick win",
              "Program '" + program->title + "' is not a quick win",
              json::object{{"programId", program->id}});
    return;
  }
  QuickWinProfile profile{d.str("objective"), d.str("location"), d.str("beneficiaries"),
                          d.str("timeline")};
  d.emit("QuickWinProfileSet", json::object{{"programId", program->id},
                                            {"profile", to_json(std::optional(profile))},
                                            {"previous", to_json(program->quick_win_profile)}});
}

void record_commitment_letter(Decider& d) {
  std::string id = d.str("letterId");
  if (!d.id_free("commitmentLetter", id, "letterId")) return;
  CommitmentLetter letter{id,          d.str("signatory"), d.str("opdId"), d.str("signatoryName"),
                          d.str("date"), d.str("letterNumber")};
  if (letter.signatory == "head_of_region") {
    if (!letter.opd_id.empty()) {
      d.violate("commitment.opd_not_expected", Decider::path("opdId"),
                "Surat komitmen kepala daerah tidak terkait dengan OPD",
                "The head of region's commitment letter names no OPD");
    }
  } else if (letter.signatory == "opd_head") {
    if (letter.opd_id.empty()) {
      d.violate("commitment.opd_required", Decider::path("opdId"),
                "Surat komitmen kepala OPD harus menyebut OPD-nya",
                "An OPD head's commitment letter must name the OPD");
    } else if (d.state.find_opd(letter.opd_id) == nullptr) {
      d.violate("opd.unknown", Decider::path("opdId"),
                "OPD '" + letter.opd_id + "' tidak ada dalam daftar OPD kota",
                "OPD '" + letter.opd_id + "' is not in the city's OPD list",
                json::object{{"opdId", letter.opd_id}});
    }
  } else {
    d.violate("commitment.unknown_signatory", Decider::path("signatory"),
              "Penanda tangan harus head_of_region atau opd_head",
              "The signatory must be head_of_region or opd_head",
              json::object{{"signatory", letter.signatory}});
  }
  if (!d.ok()) return;
  d.emit("CommitmentLetterRecorded", to_json(letter));
}

void withdraw_commitment_letter(Decider& d) {
  std::string id = d.str("letterId");
  auto it = d.state.commitment_letters.find(id);
  if (it == d.state.commitment_letters.end()) {
    return not_found(d, "commitmentLetter", "letterId", id);
  }
  d.emit("CommitmentLetterWithdrawn", to_json(it->second));
}

void record_presentation(Decider& d) {
  const std::string outcome = d.str("outcome");
  if (outcome != "accepted" && outcome != "accepted_with_revisions" && outcome != "rejected") {
    d.violate("presentation.unknown_outcome", Decider::path("outcome"),
              "Hasil paparan harus accepted, accepted_with_revisions atau rejected",
              "The outcome must be accepted, accepted_with_revisions or rejected",
              json::object{{"outcome", outcome}});
    return;
  }
  Presentation presentation{d.str("date"), ja::strings(d.body, "evaluators"), d.str("notes"),
                            outcome};
  d.emit("PresentationRecorded", json::object{{"presentation", to_json(std::optional(presentation))},
                                              {"previous", to_json(d.state.presentation)}});
}

}  // namespace rembuk::model::handlers
