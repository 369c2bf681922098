#include "bimtek_rules.hpp"

#include <set>

#include "rembuk/model/bimtek.hpp"

namespace rembuk::model::rules {

namespace json = boost::json;

namespace {

std::string numeral(int stage) { return stage_numeral(stage); }

}  // namespace

bool check_stage_closable(Decider& d, const BimtekStage& stage) {
  const json::object where{{"stage", stage.number}};
  if (stage.closed) {
    d.violate("bimtek.stage_closed", Decider::path("stage"),
              "Tahap " + numeral(stage.number) + " sudah ditutup",
              "Stage " + numeral(stage.number) + " is already closed", where);
    return false;
  }
  if (stage.number > 1 && !d.state.bimtek[static_cast<std::size_t>(stage.number - 2)].closed) {
    d.violate("bimtek.previous_stage_open", Decider::path("stage"),
              "Tutup tahap " + numeral(stage.number - 1) + " sebelum tahap " +
                  numeral(stage.number),
              "Close stage " + numeral(stage.number - 1) + " before stage " +
                  numeral(stage.number),
              where);
    return false;
  }
  const StageOutputs outputs = stage_outputs(d.state, stage.number);
  for (const auto& item : outputs.items) {
    if (item.done) continue;
    d.violate("bimtek.output_missing", "/masterplan/bimtek/" + std::to_string(stage.number),
              "Belum ada: " + item.label_id + " (tanggung jawab: " + item.owed_by + ")",
              "Missing: " + item.label_en + " (owed by: " + item.owed_by + ")",
              json::object{{"stage", stage.number},
                           {"output", item.id},
                           {"owedBy", item.owed_by},
                           {"target", item.target}});
  }
  if (d.ok()) return true;
  d.headline = "bimtek.stage_incomplete";
  return false;
}

bool check_stage_reopenable(Decider& d, const BimtekStage& stage) {
  const json::object where{{"stage", stage.number}};
  if (!stage.closed) {
    d.violate("bimtek.stage_not_closed", Decider::path("stage"),
              "Tahap " + numeral(stage.number) + " belum ditutup",
              "Stage " + numeral(stage.number) + " is not closed", where);
    return false;
  }
  if (stage.number < 4 && d.state.bimtek[static_cast<std::size_t>(stage.number)].closed) {
    d.violate("bimtek.later_stage_closed", Decider::path("stage"),
              "Buka kembali tahap " + numeral(stage.number + 1) + " lebih dulu",
              "Reopen stage " + numeral(stage.number + 1) + " first", where);
    return false;
  }
  return true;
}

void check_bimtek_submission(Decider& d) {
  const MasterplanState& s = d.state;
  if (!s.bimtek_started()) return;
  for (const auto& [id, program] : s.programs) {
    bool serves = false;
    for (const auto& mission : s.missions) serves = serves || program.missions.count(mission.id) > 0;
    if (!serves) {
      d.violate("submission.program_without_mission", "/masterplan/programs/" + id + "/missions",
                "Program '" + program.title + "' belum melayani satu misi pun",
                "Program '" + program.title + "' serves no mission",
                json::object{{"programId", id}, {"owedBy", program.lead_opd}});
    }
  }
  if (!s.bimtek[3].closed) {
    d.violate("submission.bimtek_stage_open", "/masterplan/bimtek/4",
              "Bimtek tahap IV belum ditutup", "Bimtek stage IV is not closed",
              json::object{{"stage", current_stage(s)}});
  }
  auto has_letter = [&](const std::string& signatory, const std::string& opd) {
    for (const auto& [id, letter] : s.commitment_letters) {
      if (letter.signatory == signatory && letter.opd_id == opd) return true;
    }
    return false;
  };
  if (!has_letter("head_of_region", "")) {
    d.violate("submission.commitment_letter_missing", "/masterplan/bimtek/commitmentLetters",
              "Surat komitmen kepala daerah belum dicatat",
              "The head of region's commitment letter is not recorded",
              json::object{{"signatory", "head_of_region"}, {"owedBy", kOwedByTimPelaksana}});
  }
  std::set<std::string> leads;
  for (const auto& [id, program] : s.programs) {
    if (!program.lead_opd.empty()) leads.insert(program.lead_opd);
  }
  for (const auto& opd : leads) {
    if (has_letter("opd_head", opd)) continue;
    d.violate("submission.commitment_letter_missing", "/masterplan/bimtek/commitmentLetters",
              "Surat komitmen kepala OPD '" + opd + "' belum dicatat",
              "The commitment letter of the head of OPD '" + opd + "' is not recorded",
              json::object{{"signatory", "opd_head"}, {"opdId", opd}, {"owedBy", opd}});
  }
}

}  // namespace rembuk::model::rules
