#include "rembuk/audit/export.hpp"

#include <boost/json.hpp>

#include "cloudevents.hpp"
#include "plan_blocks.hpp"
#include "rembuk/audit/checkpoint.hpp"
#include "rembuk/projections/state_diff.hpp"
#include "rembuk/projections/time_format.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::audit {
namespace {

namespace json = boost::json;

constexpr std::size_t read_page = 1024;

Error from_projection(projections::Error error) {
  switch (error.code) {
    case projections::ErrorCode::not_found: return {ErrorCode::not_found, std::move(error.message)};
    case projections::ErrorCode::invalid_argument:
      return {ErrorCode::invalid_argument, std::move(error.message)};
    case projections::ErrorCode::storage_error:
      return {ErrorCode::storage_error, std::move(error.message)};
    case projections::ErrorCode::corrupt: return {ErrorCode::corrupt, std::move(error.message)};
  }
  return {ErrorCode::storage_error, std::move(error.message)};
}

AuditResult<std::uint64_t> resolve_version(store::EventLog& log, std::string_view masterplan,
                                           const ExportRequest& request) {
  if (request.at && request.at_time_us) {
    return fail(Error{ErrorCode::invalid_argument, "give a version or a time, not both"});
  }
  if (is_system_stream(masterplan)) {
    return fail(Error{ErrorCode::not_found, "no masterplan '" + std::string(masterplan) + "'"});
  }
  auto info = log.stream_info(masterplan);
  if (!info) return fail(Error{ErrorCode::storage_error, info.error().message});
  if (!info->has_value()) {
    return fail(Error{ErrorCode::not_found, "no masterplan '" + std::string(masterplan) + "'"});
  }
  const std::uint64_t last = (*info)->revision;
  if (request.at) {
    if (*request.at == 0) return fail(Error{ErrorCode::invalid_argument, "versions start at 1"});
    if (*request.at > last) {
      return fail(Error{ErrorCode::not_found, "masterplan '" + std::string(masterplan) +
                                                  "' has versions 1.." + std::to_string(last)});
    }
    return *request.at;
  }
  if (request.at_time_us) {
    auto version = projections::version_at_time(log, masterplan, *request.at_time_us);
    if (!version) return fail(from_projection(std::move(version).error()));
    if (!*version) {
      return fail(Error{ErrorCode::not_found,
                        "masterplan '" + std::string(masterplan) + "' has no version as old as " +
                            projections::format_iso8601(*request.at_time_us)});
    }
    return **version;
  }
  return last;
}

AuditResult<std::vector<store::RecordedEvent>> read_events(store::EventLog& log,
                                                           std::string_view masterplan,
                                                           std::uint64_t version) {
  std::vector<store::RecordedEvent> out;
  while (out.size() < version) {
    auto page = log.read_stream(masterplan, out.size() + 1,
                                std::min<std::size_t>(read_page, version - out.size()));
    if (!page) return fail(Error{ErrorCode::storage_error, page.error().message});
    if (page->empty()) {
      return fail(Error{ErrorCode::corrupt, "the stream ends before version " +
                                                std::to_string(version)});
    }
    for (auto& e : *page) out.push_back(std::move(e));
  }
  return out;
}

// The submission the appendix compares with (see export.hpp), or nullopt.
std::optional<std::uint64_t> previous_submission(
    const std::vector<store::RecordedEvent>& events, model::Status status) {
  std::vector<std::uint64_t> submissions;
  for (const auto& e : events) {
    if (e.type == "MasterplanSubmitted") submissions.push_back(e.revision);
  }
  // A submitted (or reviewed, approved) state belongs to its latest submission: compare with
  // the one before it. A draft compares with the latest.
  if (status != model::Status::draft && !submissions.empty()) submissions.pop_back();
  if (submissions.empty()) return std::nullopt;
  return submissions.back();
}

AuditResult<std::string> document_text(store::EventLog& log, std::string_view masterplan,
                                       const ExportRequest& request,
                                       const std::vector<store::RecordedEvent>& events,
                                       const model::MasterplanState& state) {
  projections::ViewContext context;
  context.extensions = request.extensions;
  const json::value document = projections::document_view(state, context);
  if (request.format == ExportFormat::json) return json::serialize(document) + "\n";

  detail::PlanInput input;
  input.document = &document;
  json::value diff;
  input.baseline_version = previous_submission(events, state.status);
  if (input.baseline_version) {
    auto baseline = projections::state_at(log, masterplan, *input.baseline_version);
    if (!baseline) return fail(from_projection(std::move(baseline).error()));
    diff = projections::diff_states(*baseline, state);
    input.changes = &diff;
  }
  input.as_of = "versi / version " + std::to_string(state.version) + ", " +
                projections::format_iso8601(events.back().time_us);
  const auto blocks = detail::plan_blocks(input);
  if (request.format == ExportFormat::md) return detail::write_markdown(blocks);
  return detail::write_html(blocks, "Masterplan Smart City " + state.city_name + " (" +
                                        std::string(masterplan) + ", v" +
                                        std::to_string(state.version) + ")");
}

}  // namespace

std::string_view to_string(ExportFormat format) {
  switch (format) {
    case ExportFormat::md: return "md";
    case ExportFormat::html: return "html";
    case ExportFormat::json: return "json";
    case ExportFormat::cloudevents: return "cloudevents";
  }
  return "md";
}

std::optional<ExportFormat> export_format_from_string(std::string_view name) {
  for (auto f : {ExportFormat::md, ExportFormat::html, ExportFormat::json,
                 ExportFormat::cloudevents}) {
    if (to_string(f) == name) return f;
  }
  return std::nullopt;
}

std::string_view content_type(ExportFormat format) {
  switch (format) {
    case ExportFormat::md: return "text/markdown; charset=utf-8";
    case ExportFormat::html: return "text/html; charset=utf-8";
    case ExportFormat::json: return "application/json";
    case ExportFormat::cloudevents: return "application/x-ndjson";
  }
  return "application/octet-stream";
}

AuditResult<Exported> export_masterplan(store::EventLog& log, std::string_view masterplan,
                                        const ExportRequest& request) {
  auto version = resolve_version(log, masterplan, request);
  if (!version) return fail(std::move(version).error());
  auto events = read_events(log, masterplan, *version);
  if (!events) return fail(std::move(events).error());
  Exported out;
  out.version = *version;
  if (request.format == ExportFormat::cloudevents) {
    auto lines = detail::cloudevents_lines(*events);
    if (!lines) return fail(std::move(lines).error());
    out.body = std::move(*lines);
    return out;
  }
  auto state = projections::state_at(log, masterplan, *version);
  if (!state) return fail(from_projection(std::move(state).error()));
  auto body = document_text(log, masterplan, request, *events, *state);
  if (!body) return fail(std::move(body).error());
  out.body = std::move(*body);
  return out;
}

}  // namespace rembuk::audit
