// Built when kernel/projections is absent: GET /api/overview answers 501.
#include "overview_route.hpp"

namespace rembuk::server {

namespace {

class NoOverview final : public Overview {
 public:
  OverviewAnswer answer(const std::map<std::string, std::string>&,
                        const Visible&) override {
    return {501, R"({"error":"not_implemented","message":"built without kernel/projections"})"};
  }
};

}  // namespace

std::unique_ptr<Overview> make_overview(store::EventLog&) { return std::make_unique<NoOverview>(); }

}  // namespace rembuk::server
