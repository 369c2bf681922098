// What changed between two states of one masterplan, entity by entity.
#pragma once

#include <boost/json/value.hpp>

#include "rembuk/model/state.hpp"

namespace rembuk::projections {

// {"masterplan", "from", "to", "changes": [{"entity", "change": "added"|"removed"|"changed",
//   "fields": [names that differ] (changed only), "before", "after"}]}, sorted by entity
// reference. Entities compared: the masterplan itself (identity, period, RPJMD, status,
// vision, plugins), missions, strategic issues, readiness entries, OPDs, programs,
// indicators (as parts of their programs), members, comments.
boost::json::value diff_states(const model::MasterplanState& from,
                               const model::MasterplanState& to);

}  // namespace rembuk::projections
