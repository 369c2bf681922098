// Plain-text tables of the views, for `rembuk replay` / `rembuk history` without --json.
// Input is the JSON a view function returned; output is UTF-8 text, one table per section,
// columns padded with spaces.
#pragma once

#include <string>

#include <boost/json/value.hpp>

#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

std::string render_text(View view, const boost::json::value& json);

// The diff of state_diff.hpp as lines "+ program/p1", "- opd/x", "~ program/p2 title: a → b".
std::string render_diff_text(const boost::json::value& diff);

}  // namespace rembuk::projections
