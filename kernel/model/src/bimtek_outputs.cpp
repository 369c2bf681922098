// The outputs each Bimtek stage must produce (bimtek.hpp), derived from the state.
#include <algorithm>
#include <set>

#include "rembuk/model/bimtek.hpp"
#include "rembuk/model/dimensions.hpp"

namespace rembuk::model {

namespace {

struct Axis {
  const char* id;
  const char* name;
};
constexpr Axis kAxes[] = {{"struktur", "Struktur"},
                          {"infrastruktur", "Infrastruktur"},
                          {"suprastruktur", "Suprastruktur"}};

struct Quadrant {
  const char* id;
  const char* name_id;
  const char* name_en;
};
constexpr Quadrant kQuadrants[] = {{"strength", "kekuatan", "strengths"},
                                   {"weakness", "kelemahan", "weaknesses"},
                                   {"opportunity", "peluang", "opportunities"},
                                   {"threat", "ancaman", "threats"}};

// Quick wins finalised at Bimtek IV (domain.md: "three quick wins finalised").
constexpr std::size_t kQuickWinsToFinalise = 3;

class Checklist {
 public:
  explicit Checklist(int stage) { outputs_.stage = stage; }
  void add(std::string id, std::string label_id, std::string label_en, bool done,
           std::string owed_by = kOwedByTimPelaksana, std::string target = {}) {
    outputs_.items.push_back(StageOutput{std::move(id), std::move(label_id),
                                         std::move(label_en), done, std::move(owed_by),
                                         std::move(target)});
  }
  StageOutputs take() { return std::move(outputs_); }

 private:
  StageOutputs outputs_;
};

void add_session(Checklist& list, const BimtekStage& stage) {
  const std::string numeral = stage_numeral(stage.number);
  list.add("held", "Bimtek tahap " + numeral + " terlaksana (tanggal dicatat)",
           "Bimtek stage " + numeral + " held (date recorded)", !stage.held_date.empty());
  list.add("attendance", "Daftar hadir anggota dan OPD tahap " + numeral,
           "Attendance of members and OPDs at stage " + numeral,
           !stage.members_present.empty() && !stage.opds_present.empty());
}

bool program_has_mission(const MasterplanState& s, const Program& program) {
  for (const auto& id : program.missions) {
    for (const auto& mission : s.missions) {
      if (mission.id == id) return true;
    }
  }
  return false;
}

// Dimensions and pillars that need a strategy: the six, and every pillar a program uses.
std::vector<std::pair<std::string, std::string>> strategy_dimensions(const MasterplanState& s) {
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto& dimension : national_dimensions()) {
    result.emplace_back(dimension.id, dimension.name_en);
  }
  std::set<std::string> pillars;
  for (const auto& [id, program] : s.programs) {
    if (find_national_dimension(program.dimension) == nullptr) pillars.insert(program.dimension);
  }
  for (const auto& pillar : pillars) result.emplace_back(pillar, pillar);
  return result;
}

StageOutputs stage_one(const MasterplanState& s) {
  Checklist list(1);
  add_session(list, s.bimtek[0]);
  for (const auto& axis : kAxes) {
    for (const auto& quadrant : kQuadrants) {
      bool done = std::any_of(s.readiness.begin(), s.readiness.end(), [&](const auto& entry) {
        return entry.second.axis == axis.id && entry.second.swot == quadrant.id;
      });
      list.add(std::string("swot/") + axis.id + "/" + quadrant.id,
               std::string("SWOT ") + axis.name + ": " + quadrant.name_id,
               std::string("SWOT ") + axis.name + ": " + quadrant.name_en, done);
    }
  }
  for (const auto& axis : kAxes) {
    bool done = std::any_of(s.gaps.begin(), s.gaps.end(),
                            [&](const auto& gap) { return gap.second.axis == axis.id; });
    list.add(std::string("gap/") + axis.id, std::string("Analisis kesenjangan ") + axis.name,
             std::string("Gap analysis ") + axis.name, done);
  }
  for (const auto& dimension : national_dimensions()) {
    bool done = std::any_of(s.strategic_issues.begin(), s.strategic_issues.end(),
                            [&](const auto& issue) { return issue.second.dimension == dimension.id; });
    list.add("strategicIssue/" + dimension.id, "Isu strategis " + dimension.name_id,
             "Strategic issues " + dimension.name_en, done);
  }
  list.add("vision", "Rancangan visi smart city", "Draft smart-city vision", !s.vision.empty(),
           kOwedByTimPelaksana, "masterplan/vision");
  return list.take();
}

StageOutputs stage_two(const MasterplanState& s) {
  Checklist list(2);
  add_session(list, s.bimtek[1]);
  list.add("missions", "Misi smart city", "Smart-city missions", !s.missions.empty());
  for (const auto& [id, program] : s.programs) {
    list.add("programMission/" + id, "Program '" + program.title + "' dipetakan ke misi",
             "Program '" + program.title + "' mapped to a mission",
             program_has_mission(s, program), program.lead_opd, "program/" + id);
  }
  return list.take();
}

StageOutputs stage_three(const MasterplanState& s) {
  Checklist list(3);
  add_session(list, s.bimtek[2]);
  for (const auto& [dimension, name] : strategy_dimensions(s)) {
    // A named copy: clang before 16 cannot capture a structured binding.
    const std::string& wanted = dimension;
    bool done = std::any_of(s.strategies.begin(), s.strategies.end(),
                            [&](const auto& strategy) { return strategy.second.dimension == wanted; });
    const Pillar* national = find_national_dimension(dimension);
    list.add("strategy/" + dimension, "Strategi " + (national ? national->name_id : name),
             "Strategy " + name, done);
  }
  for (const auto& [id, program] : s.programs) {
    list.add("roadmap/" + id, "Program '" + program.title + "' dianggarkan per tahun (peta jalan)",
             "Program '" + program.title + "' budgeted per year (roadmap)",
             !program.budget.empty(), program.lead_opd, "program/" + id);
  }
  std::size_t candidates = 0;
  for (const auto& [id, program] : s.programs) candidates += program.quick_win ? 1 : 0;
  list.add("quickWinCandidates",
           "Sedikitnya " + std::to_string(kQuickWinsToFinalise) + " kandidat quick win (ada " +
               std::to_string(candidates) + ")",
           "At least " + std::to_string(kQuickWinsToFinalise) + " quick-win candidates (" +
               std::to_string(candidates) + " so far)",
           candidates >= kQuickWinsToFinalise);
  return list.take();
}

StageOutputs stage_four(const MasterplanState& s) {
  Checklist list(4);
  add_session(list, s.bimtek[3]);
  std::size_t profiled = 0;
  std::string owed;  // the lead OPD of the first quick win still without a full profile
  for (const auto& [id, program] : s.programs) {
    if (!program.quick_win) continue;
    if (program.quick_win_profile && program.quick_win_profile->complete()) {
      ++profiled;
    } else if (owed.empty()) {
      owed = program.lead_opd;
    }
  }
  list.add("quickWinProfiles",
           std::to_string(kQuickWinsToFinalise) + " quick win final dengan profil (ada " +
               std::to_string(profiled) + ")",
           std::to_string(kQuickWinsToFinalise) + " quick wins finalised with a profile (" +
               std::to_string(profiled) + " so far)",
           profiled >= kQuickWinsToFinalise, owed.empty() ? kOwedByTimPelaksana : owed);
  auto has_letter = [&](const std::string& signatory, const std::string& opd) {
    return std::any_of(s.commitment_letters.begin(), s.commitment_letters.end(),
                       [&](const auto& letter) {
                         return letter.second.signatory == signatory &&
                                letter.second.opd_id == opd;
                       });
  };
  list.add("commitment/headOfRegion", "Surat komitmen kepala daerah",
           "Commitment letter of the head of region", has_letter("head_of_region", ""));
  std::set<std::string> leads;
  for (const auto& [id, program] : s.programs) {
    if (!program.lead_opd.empty()) leads.insert(program.lead_opd);
  }
  for (const auto& opd_id : leads) {
    const Opd* opd = s.find_opd(opd_id);
    const std::string name = opd == nullptr ? opd_id : (opd->short_name.empty() ? opd->name : opd->short_name);
    list.add("commitment/opd/" + opd_id, "Surat komitmen kepala " + name,
             "Commitment letter of the head of " + name, has_letter("opd_head", opd_id), opd_id,
             "opd/" + opd_id);
  }
  list.add("presentation", "Paparan kepada kementerian dengan catatan dan hasil penilaian",
           "Presentation to the ministry with the evaluators' notes and outcome",
           s.presentation.has_value() && !s.presentation->outcome.empty());
  return list.take();
}

}  // namespace

std::size_t StageOutputs::done_count() const {
  return static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [](const StageOutput& o) { return o.done; }));
}

StageOutputs stage_outputs(const MasterplanState& state, int stage) {
  switch (stage) {
    case 1: return stage_one(state);
    case 2: return stage_two(state);
    case 3: return stage_three(state);
    case 4: return stage_four(state);
    default: return StageOutputs{stage, {}};
  }
}

std::array<StageOutputs, 4> bimtek_outputs(const MasterplanState& state) {
  return {stage_one(state), stage_two(state), stage_three(state), stage_four(state)};
}

int current_stage(const MasterplanState& state) {
  for (const auto& stage : state.bimtek) {
    if (!stage.closed) return stage.number;
  }
  return 5;
}

double checklist_share(const MasterplanState& state) {
  std::size_t done = 0;
  std::size_t total = 0;
  for (const auto& stage : bimtek_outputs(state)) {
    done += stage.done_count();
    total += stage.items.size();
  }
  return total == 0 ? 0.0 : static_cast<double>(done) / static_cast<double>(total);
}

const char* stage_numeral(int stage) {
  switch (stage) {
    case 1: return "I";
    case 2: return "II";
    case 3: return "III";
    case 4: return "IV";
    default: return "?";
  }
}

}  // namespace rembuk::model
