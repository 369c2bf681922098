// GET /api/masterplans/{id}/export?format=md|html|json|cloudevents[&at=V|&atTime=T]
// (docs/audit.md, "HTTP"), answered by kernel/audit's export_masterplan. The caller has
// already checked the Bearer token and the masterplan claim, and parsed at / atTime, as for
// the other views. Without kernel/audit in the build the answer is 501.
//
// Thread safety: reads the log only; called from any server thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace rembuk::store {
class EventLog;
}

namespace rembuk::server {

struct ExportAnswer {
  unsigned status = 200;
  std::string content_type;
  std::string body;  // the export, or {"error","message"} JSON
};

ExportAnswer export_answer(store::EventLog& log, const std::string& masterplan,
                           std::optional<std::uint64_t> at, std::optional<std::int64_t> at_time_us,
                           const std::map<std::string, std::string>& query);

}  // namespace rembuk::server
