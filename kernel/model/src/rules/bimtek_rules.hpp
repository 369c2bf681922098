// The Bimtek rules: a stage closes only when its outputs are complete (bimtek.hpp computes
// them), in order; and, once a masterplan's track has started, what submission needs beyond
// rule 6 (every program serves a mission, stage IV closed, the commitment letters).
#pragma once

#include "../decider.hpp"

namespace rembuk::model::rules {

// "bimtek.stage_closed", "bimtek.previous_stage_open", or — with the headline
// "bimtek.stage_incomplete" — one "bimtek.output_missing" per missing output, each naming
// the output and who owes it.
bool check_stage_closable(Decider& d, const BimtekStage& stage);

// "bimtek.stage_not_closed", "bimtek.later_stage_closed".
bool check_stage_reopenable(Decider& d, const BimtekStage& stage);

// Adds the submission violations of the Bimtek track (no-op before the track started).
void check_bimtek_submission(Decider& d);

}  // namespace rembuk::model::rules
