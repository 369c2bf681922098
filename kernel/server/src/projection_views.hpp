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
namespace rembuk::model {
class Extensions;
}

namespace rembuk::server {

// REQUIRES: `log` and `extensions` (may be null: plugin pillars named by their id) outlive
// the returned object.
std::unique_ptr<ViewSource> make_projection_views(store::EventLog& log,
                                                  const model::Extensions* extensions);

}  // namespace rembuk::server
