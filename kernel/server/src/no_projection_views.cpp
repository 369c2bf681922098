// Built when kernel/projections is absent: no views (501).
#include "projection_views.hpp"

namespace rembuk::server {

std::unique_ptr<ViewSource> make_projection_views(store::EventLog&, const model::Extensions*) {
  return nullptr;
}

}  // namespace rembuk::server
