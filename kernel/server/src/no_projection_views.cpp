// Built when kernel/projections is absent: no views (501).
#include "projection_views.hpp"

namespace rembuk::server {

std::unique_ptr<ViewSource> make_projection_views(store::EventLog&) { return nullptr; }

}  // namespace rembuk::server
