// GET /api/overview[?sort=&order=&province=&cohortYear=&status=&currentStage=&q=]
// (docs/protocol.md, "HTTP on the same port"): every masterplan's row of the national
// overview (kernel/projections' NationalOverview), filtered to the masterplans the caller's
// token allows. The projection starts on the first request (catching up with the whole log
// once) and is kept current by its subscription from then on; requests only read its rows.
// Without kernel/projections in the build the answer is 501.
//
// Thread safety: answer() may run on many connections at once.
// Lifetime: the log given to make_overview must outlive the Overview.
#pragma once

#include <map>
#include <memory>
#include <string>
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
  // `allowed` empty = every masterplan.
  virtual OverviewAnswer answer(const std::map<std::string, std::string>& query,
                                const std::vector<std::string>& allowed) = 0;
};

std::unique_ptr<Overview> make_overview(store::EventLog& log);

}  // namespace rembuk::server
