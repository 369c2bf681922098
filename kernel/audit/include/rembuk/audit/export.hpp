// Exports of a masterplan as it stood at a version or a moment (docs/audit.md, "Export"):
//   md           the masterplan as a readable document in the order of a Kominfo masterplan,
//                with an appendix of the changes since the previous submission;
//   html         the same as one standalone page: the roadmap as inline SVG, print CSS for
//                A4, no script;
//   json         the document view (docs/projections.md);
//   cloudevents  the masterplan's events 1..version as CloudEvents 1.0 JSON, one per line.
// Built on kernel/projections (state_at, document_view, diff_states); nothing is stored.
//
// "The previous submission": when the exported state is submitted, under review or approved,
// the submission it is in is the current one, and the appendix compares with the one before
// it; when it is a draft, the appendix compares with the latest submission. Without such a
// submission the appendix says so.
//
// Thread safety: export_masterplan only reads the log; call it from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rembuk/audit/errors.hpp"
#include "rembuk/model/extensions.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::audit {

enum class ExportFormat { md, html, json, cloudevents };

// "md", "html", "json", "cloudevents".
std::string_view to_string(ExportFormat format);
std::optional<ExportFormat> export_format_from_string(std::string_view name);
// text/markdown; text/html; application/json; application/x-ndjson (all UTF-8).
std::string_view content_type(ExportFormat format);

struct ExportRequest {
  ExportFormat format = ExportFormat::md;
  std::optional<std::uint64_t> at;          // a version (from 1)
  std::optional<std::int64_t> at_time_us;   // or a moment: the last version at or before it
  const model::Extensions* extensions = nullptr;  // names plugin pillars; may be null
};

struct Exported {
  std::uint64_t version = 0;  // the version exported
  std::string body;
};

// not_found: no such masterplan, version or moment; invalid_argument: both `at` and
// `at_time_us`, or version 0; storage_error / corrupt: the log failed or does not decode.
AuditResult<Exported> export_masterplan(store::EventLog& log, std::string_view masterplan,
                                        const ExportRequest& request);

}  // namespace rembuk::audit
