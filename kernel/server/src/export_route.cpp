#include "export_route.hpp"

#include <mutex>

#include <boost/json.hpp>

#if __has_include("rembuk/documents/export.hpp")
#include "rembuk/documents/export.hpp"
#define REMBUK_SERVER_HAVE_DOCUMENTS 1
#else
#define REMBUK_SERVER_HAVE_DOCUMENTS 0
#endif

namespace rembuk::server {
namespace {

ExportAnswer error_answer(unsigned status, const char* code, const std::string& message) {
  boost::json::object body{{"error", code}, {"message", message}};
  return {status, "application/json", boost::json::serialize(body), {}, {}};
}

#if REMBUK_SERVER_HAVE_DOCUMENTS
// One PDF print at a time per server: a print is a Chromium process of a few hundred MB
// and seconds of CPU, and the caller's thread waits for it.
std::mutex print_mutex;
#endif

}  // namespace

ExportAnswer export_answer(store::EventLog& log, const std::string& masterplan,
                           std::optional<std::uint64_t> at, std::optional<std::int64_t> at_time_us,
                           const std::map<std::string, std::string>& query) {
#if REMBUK_SERVER_HAVE_DOCUMENTS
  const auto format_param = query.find("format");
  const std::string name = format_param == query.end() ? "md" : format_param->second;
  const auto format = documents::export_format_from_string(name);
  if (!format) {
    return error_answer(400, "bad_request", "format must be md, html, json, cloudevents or pdf");
  }
  documents::ExportRequest request;
  request.format = *format;
  request.at = at;
  request.at_time_us = at_time_us;
  if (auto it = query.find("document"); it != query.end()) {
    request.document = documents::document_kind_from_string(it->second);
    if (!request.document) {
      return error_answer(400, "bad_request",
                          "document must be buku1, buku2, ringkasan or quickwin");
    }
  }
  if (auto it = query.find("lang"); it != query.end()) {
    const auto lang = lang_from_string(it->second);
    if (!lang) return error_answer(400, "bad_request", "lang must be id or en");
    request.lang = *lang;
  }
  std::unique_lock<std::mutex> printing(print_mutex, std::defer_lock);
  if (request.format == documents::ExportFormat::pdf && !printing.try_lock()) {
    auto busy = error_answer(503, "busy", "another PDF is being printed; try again in a moment");
    busy.retry_after = "5";
    return busy;
  }
  auto exported = documents::export_masterplan(log, masterplan, request);
  if (!exported) {
    switch (exported.error().code) {
      case documents::ErrorCode::not_found:
        return error_answer(404, "not_found", exported.error().message);
      case documents::ErrorCode::invalid_argument:
        return error_answer(400, "bad_request", exported.error().message);
      case documents::ErrorCode::unavailable:
        return error_answer(501, "pdf_not_available", exported.error().message);
      default:
        return error_answer(500, "export_failed", exported.error().message);
    }
  }
  ExportAnswer answer{200, std::string(documents::content_type(*format)),
                      std::move(exported->body), {}, {}};
  if (request.document || request.format == documents::ExportFormat::pdf) {
    answer.file_name = documents::export_file_name(masterplan, exported->version,
                                                   request.document, request.format);
  }
  return answer;
#else
  (void)log, (void)masterplan, (void)at, (void)at_time_us, (void)query;
  return error_answer(501, "view_not_available", "this build has no kernel/documents (exports)");
#endif
}

}  // namespace rembuk::server
