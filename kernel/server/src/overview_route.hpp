// GET /api/overview[?sort=&order=&province=&cohortYear=&status=&currentStage=&q=]
// (docs/protocol.md, "HTTP on the same port"): every masterplan's row of the national
// overview (kernel/projections' NationalOverview), filtered to the masterplans the caller may
// read (access.hpp: membership for a person, the token's claim for a service). The projection starts on the first request (catching up with the whole log
// once) and is kept current by its subscription from then on; requests only read its rows.
// Without kernel/projections in the build the answer is 501.
//
// Thread safety: answer() may run on many connections at once.
// Lifetime: the log given to make_overview must outlive the Overview.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rembuk::store {
class EventLog;
}

namespace rembuk::server {

struct OverviewAnswer {
  unsigned status = 200;
  std::string body;  // JSON: the overview, or {"error","message"}
};

class Overview {
 public:
  virtual ~Overview() = default;
  using Visible = std::function<bool(std::string_view masterplan)>;
  // Rows of the masterplans `visible` accepts.
  virtual OverviewAnswer answer(const std::map<std::string, std::string>& query,
                                const Visible& visible) = 0;
};

std::unique_ptr<Overview> make_overview(store::EventLog& log);

}  // namespace rembuk::server
