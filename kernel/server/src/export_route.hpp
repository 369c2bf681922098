// GET /api/masterplans/{id}/export?format=md|html|json|cloudevents|pdf
//     [&document=buku1|buku2|ringkasan|quickwin][&lang=id|en][&at=V|&atTime=T]
// (docs/documents.md, "HTTP"), answered by kernel/documents' export_masterplan. The caller
// has already checked the Bearer token and the masterplan claim, and parsed at / atTime, as
// for the other views. Without kernel/documents in the build the answer is 501; a PDF
// without Chromium on the server is 501 pdf_not_available, saying how to install it.
//
// Thread safety: reads the log only; called from any server thread. PDF prints are one at a
// time per process (a second one at once is 503 busy with Retry-After); the calling thread
// waits for Chromium (seconds).
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
  std::string file_name;    // set for documents and PDFs: Content-Disposition's filename
  std::string retry_after;  // set with 503 busy
};

ExportAnswer export_answer(store::EventLog& log, const std::string& masterplan,
                           std::optional<std::uint64_t> at, std::optional<std::int64_t> at_time_us,
                           const std::map<std::string, std::string>& query);

}  // namespace rembuk::server
