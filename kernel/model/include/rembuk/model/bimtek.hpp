// The outputs of the Bimtek stages, computed from a masterplan's state.
//
// A Bimtek stage (tahap I–IV) must produce certain content before it can be closed
// (CloseBimtekStage). Nobody ticks an output off: `stage_outputs` derives, from the state
// alone, which outputs are done and which are missing, and who owes each missing one (the
// lead OPD of the program concerned, or the Tim Pelaksana). The same list is the editor's
// checklist, the rejection of CloseBimtekStage, the documents' completeness and the
// national overview's share done. docs/model.md ("Bimtek") lists every output.
//
// Pure functions of a const state: safe from any number of threads, no I/O, no allocation
// beyond the returned values. The item ids are stable (documents and clients key on them).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "rembuk/model/state.hpp"

namespace rembuk::model {

// Who owes a missing output when it is not an OPD.
inline constexpr const char* kOwedByTimPelaksana = "tim_pelaksana";

struct StageOutput {
  // Stable id: "held", "attendance", "swot/<axis>/<quadrant>", "gap/<axis>",
  // "strategicIssue/<dimension>", "vision", "missions", "programMission/<programId>",
  // "strategy/<dimension>", "roadmap/<programId>", "quickWinCandidates",
  // "quickWinProfiles", "commitment/headOfRegion", "commitment/opd/<opdId>",
  // "presentation".
  std::string id;
  std::string label_id;  // Indonesian, for people
  std::string label_en;  // English
  bool done = false;
  std::string owed_by;  // an OPD id, or kOwedByTimPelaksana
  std::string target;   // the entity it concerns, as a comment target ("program/p1"), or ""
};

struct StageOutputs {
  int stage = 0;  // 1..4
  std::vector<StageOutput> items;
  std::size_t done_count() const;
  bool complete() const { return done_count() == items.size(); }
};

// The outputs of stage 1..4 (an empty list for any other number).
StageOutputs stage_outputs(const MasterplanState& state, int stage);

// The four stages' outputs, in order.
std::array<StageOutputs, 4> bimtek_outputs(const MasterplanState& state);

// The first stage not closed (1..4), or 5 once all four are closed.
int current_stage(const MasterplanState& state);

// Done items / all items over the four stages, in [0, 1].
double checklist_share(const MasterplanState& state);

// Roman numeral of a stage, "I".."IV" ("?" otherwise), as the programme names them.
const char* stage_numeral(int stage);

}  // namespace rembuk::model
