#include "export_route.hpp"

#include <boost/json.hpp>

#if __has_include("rembuk/audit/export.hpp")
#include "rembuk/audit/export.hpp"
#define REMBUK_SERVER_HAVE_AUDIT 1
#else
#define REMBUK_SERVER_HAVE_AUDIT 0
#endif

namespace rembuk::server {
namespace {

ExportAnswer error_answer(unsigned status, const char* code, const std::string& message) {
  boost::json::object body{{"error", code}, {"message", message}};
  return {status, "application/json", boost::json::serialize(body)};
}

}  // namespace

ExportAnswer export_answer(store::EventLog& log, const std::string& masterplan,
                           std::optional<std::uint64_t> at, std::optional<std::int64_t> at_time_us,
                           const std::map<std::string, std::string>& query) {
#if REMBUK_SERVER_HAVE_AUDIT
  const auto format_param = query.find("format");
  const std::string name = format_param == query.end() ? "md" : format_param->second;
  const auto format = audit::export_format_from_string(name);
  if (!format) {
    return error_answer(400, "bad_request", "format must be md, html, json or cloudevents");
  }
  audit::ExportRequest request;
  request.format = *format;
  request.at = at;
  request.at_time_us = at_time_us;
  auto exported = audit::export_masterplan(log, masterplan, request);
  if (!exported) {
    switch (exported.error().code) {
      case audit::ErrorCode::not_found:
        return error_answer(404, "not_found", exported.error().message);
      case audit::ErrorCode::invalid_argument:
        return error_answer(400, "bad_request", exported.error().message);
      default:
        return error_answer(500, "export_failed", exported.error().message);
    }
  }
  return {200, std::string(audit::content_type(*format)), std::move(exported->body)};
#else
  (void)log, (void)masterplan, (void)at, (void)at_time_us, (void)query;
  return error_answer(501, "view_not_available", "this build has no kernel/audit (exports)");
#endif
}

}  // namespace rembuk::server
