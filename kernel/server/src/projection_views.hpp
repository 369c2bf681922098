// The ViewSource the server uses when none is handed in: kernel/projections' render_view
// (roadmap, opds, budget, coverage, activity, history; at a version or a moment). Without
// kernel/projections in the build, make_projection_views returns null and the views answer
// 501.
#pragma once

#include <memory>

#include "rembuk/server/view_source.hpp"

namespace rembuk::store {
class EventLog;
}

namespace rembuk::server {

// REQUIRES: `log` outlives the returned object.
std::unique_ptr<ViewSource> make_projection_views(store::EventLog& log);

}  // namespace rembuk::server
