// Rules 1–4 on programs: classification, lead OPD, years, quick wins. Each check adds its
// violations to the Decider (with the given JSON-pointer path) and returns whether it held.
#pragma once

#include <optional>
#include <string>

#include "../decider.hpp"

namespace rembuk::model::rules {

// The pillar with this id among the national dimensions and the enabled plugins' pillars.
std::optional<Pillar> find_pillar(const MasterplanState& state, const Extensions* extensions,
                                  const std::string& id);

// Rule 1.
bool check_classification(Decider& d, const std::string& dimension, const std::string& element,
                          const std::string& dimension_path, const std::string& element_path);
// Rule 2.
bool check_lead_opd(Decider& d, const std::string& opd, const std::string& path);
// Rule 3.
bool check_years(Decider& d, int start_year, int end_year, const std::string& path,
                 const std::string& program_id);
// Rule 4 (only for quick wins).
bool check_quick_win(Decider& d, int start_year, int end_year, int period_start,
                     const std::string& path, const std::string& program_id);
// A supporting OPD exists, is not retired and is not the lead.
bool check_supporting_opd(Decider& d, const std::string& opd, const std::string& lead,
                          const std::string& path);

}  // namespace rembuk::model::rules
