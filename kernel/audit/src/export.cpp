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

// Calls `on_page` with the events 1..version in pages, so that a long history is never
// held in memory at once (a masterplan may have 100,000 events and more).
template <typename OnPage>
AuditResult<Unit> scan_events(store::EventLog& log, std::string_view masterplan,
                              std::uint64_t version, OnPage on_page) {
  std::uint64_t read = 0;
  while (read < version) {
    auto page = log.read_stream(masterplan, read + 1,
                                std::min<std::uint64_t>(read_page, version - read));
    if (!page) return fail(Error{ErrorCode::storage_error, page.error().message});
    if (page->empty()) {
      return fail(Error{ErrorCode::corrupt, "the stream ends before version " +
                                                std::to_string(version)});
    }
    read += page->size();
    if (auto done = on_page(*page); !done) return fail(std::move(done).error());
  }
  return Unit{};
}

// What the document needs of the history: the versions that were submissions, and the
// time of the exported version.
struct HistoryFacts {
  std::vector<std::uint64_t> submissions;
  std::int64_t version_time_us = 0;
};

AuditResult<HistoryFacts> history_facts(store::EventLog& log, std::string_view masterplan,
                                        std::uint64_t version) {
  HistoryFacts facts;
  auto scanned = scan_events(
      log, masterplan, version,
      [&](const std::vector<store::RecordedEvent>& page) -> AuditResult<Unit> {
        for (const auto& e : page) {
          if (e.type == "MasterplanSubmitted") facts.submissions.push_back(e.revision);
          facts.version_time_us = e.time_us;
        }
        return Unit{};
      });
  if (!scanned) return fail(std::move(scanned).error());
  return facts;
}

// The submission the appendix compares with (see export.hpp), or nullopt.
std::optional<std::uint64_t> previous_submission(std::vector<std::uint64_t> submissions,
                                                 model::Status status) {
  // A submitted (or reviewed, approved) state belongs to its latest submission: compare with
  // the one before it. A draft compares with the latest.
  if (status != model::Status::draft && !submissions.empty()) submissions.pop_back();
  if (submissions.empty()) return std::nullopt;
  return submissions.back();
}

AuditResult<std::string> document_text(store::EventLog& log, std::string_view masterplan,
                                       const ExportRequest& request,
                                       const model::MasterplanState& state) {
  projections::ViewContext context;
  context.extensions = request.extensions;
  const json::value document = projections::document_view(state, context);
  if (request.format == ExportFormat::json) return json::serialize(document) + "\n";
  auto facts = history_facts(log, masterplan, state.version);
  if (!facts) return fail(std::move(facts).error());

  detail::PlanInput input;
  input.document = &document;
  json::value diff;
  input.baseline_version = previous_submission(std::move(facts->submissions), state.status);
  if (input.baseline_version) {
    auto baseline = projections::state_at(log, masterplan, *input.baseline_version);
    if (!baseline) return fail(from_projection(std::move(baseline).error()));
    diff = projections::diff_states(*baseline, state);
    input.changes = &diff;
  }
  input.as_of = "versi / version " + std::to_string(state.version) + ", " +
                projections::format_iso8601(facts->version_time_us);
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
  Exported out;
  out.version = *version;
  if (request.format == ExportFormat::cloudevents) {
    auto scanned = scan_events(
        log, masterplan, *version,
        [&](const std::vector<store::RecordedEvent>& page) -> AuditResult<Unit> {
          auto lines = detail::cloudevents_lines(page);
          if (!lines) return fail(std::move(lines).error());
          out.body += *lines;
          return Unit{};
        });
    if (!scanned) return fail(std::move(scanned).error());
    return out;
  }
  auto state = projections::state_at(log, masterplan, *version);
  if (!state) return fail(from_projection(std::move(state).error()));
  auto body = document_text(log, masterplan, request, *state);
  if (!body) return fail(std::move(body).error());
  out.body = std::move(*body);
  return out;
}

}  // namespace rembuk::audit
