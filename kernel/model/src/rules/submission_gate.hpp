// Rule 6, the submission gate: a vision, at least one program in each of the six national
// dimensions, at least one quick win, every program with at least one indicator and a lead
// OPD; once the Bimtek track started, also what bimtek_rules.hpp adds. Lists every missing
// item, not only the first.
#pragma once

#include "../decider.hpp"

namespace rembuk::model::rules {

// Adds one violation per missing item; returns true when nothing is missing.
bool check_submission_gate(Decider& d);

}  // namespace rembuk::model::rules
