// The dimensions and pillars a view lays a masterplan out by: the six national dimensions,
// then the pillars of the plugins the masterplan enabled (named when Extensions knows them),
// then any other dimension id a program or strategic issue uses (named by its id), each
// with its elements plus any element id a program uses that the pillar does not list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "rembuk/model/extensions.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections::detail {

std::vector<model::Pillar> layout_pillars(const model::MasterplanState& state,
                                          const ViewContext& context);

// The national budget sources in the order of docs/commands.md, then any other source used,
// sorted.
std::vector<std::string> budget_sources(const model::MasterplanState& state);

// The years of the period, start..end (empty when the period is unset).
std::vector<int> period_years(const model::MasterplanState& state);

// {"programId","title","dimension","element","leadOpd","startYear","endYear","quickWin"}.
boost::json::object program_summary(const model::Program& program);

// {"title","startYear","endYear","regulation"} or null.
boost::json::value rpjmd_json(const model::MasterplanState& state);

boost::json::object pillar_heading(const model::Pillar& pillar);

}  // namespace rembuk::projections::detail
