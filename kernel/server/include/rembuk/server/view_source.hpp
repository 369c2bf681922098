// ViewSource: where the server's read-only HTTP views come from.
//
// `GET /api/masterplans/{id}/{view}` (view ∈ roadmap, opds, budget, coverage, activity,
// history) is answered by the ViewSource handed to the Server. The projections part
// implements it; until it does (or for a view it does not know), the server answers
// 501 {"error":"view_not_available"}.
//
// Thread safety: view() is called from the server's threads, concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace rembuk::server {

struct ViewRequest {
  std::string masterplan;
  std::string view;                        // "roadmap", "opds", "budget", …
  std::optional<std::uint64_t> at;         // ?at=VERSION
  std::optional<std::int64_t> at_time_us;  // ?atTime=RFC3339, in µs since the epoch
  std::map<std::string, std::string> query;  // every query parameter, decoded (e.g. entity)
};

struct ViewResponse {
  unsigned status = 200;  // HTTP status
  std::string json;       // the body, a JSON text
};

class ViewSource {
 public:
  virtual ~ViewSource() = default;
  // nullopt: this view is not available (501).
  virtual std::optional<ViewResponse> view(const ViewRequest& request) = 0;
};

}  // namespace rembuk::server
