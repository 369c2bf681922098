// Exports of a masterplan as it stood at a version or a moment (docs/documents.md):
//   md           the masterplan as a readable document in the order of a Kominfo masterplan,
//                with an appendix of the changes since the previous submission;
//   html         the same as one standalone page: the roadmap as inline SVG, print CSS for
//                A4, no script;
//   json         the document view (docs/projections.md);
//   cloudevents  the masterplan's events 1..version as CloudEvents 1.0 JSON, one per line;
//   pdf          the html page printed to A4 by headless Chromium (pdf_printer.hpp).
// With a `document`, one of the four documents a Bimtek produces instead (Buku I Analisis
// Kesiapan Daerah, Buku II Masterplan Smart City, Ringkasan Eksekutif, Profil Quick Win), as
// print-ready A4 HTML (cover, table of contents, page numbers, charts) or its PDF; in
// Indonesian unless `lang` says English.
// Built on kernel/projections (state_at, document_view, diff_states); nothing is stored.
//
// "The previous submission": when the exported state is submitted, under review or approved,
// the submission it is in is the current one, and the appendix compares with the one before
// it; when it is a draft, the appendix compares with the latest submission. Without such a
// submission the appendix says so.
//
// Thread safety: export_masterplan only reads the log (and, for pdf, runs one Chromium
// process of its own); call it from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rembuk/common/number_format.hpp"
#include "rembuk/documents/errors.hpp"
#include "rembuk/documents/pdf_printer.hpp"
#include "rembuk/model/extensions.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::documents {

enum class ExportFormat { md, html, json, cloudevents, pdf };

// "md", "html", "json", "cloudevents", "pdf".
std::string_view to_string(ExportFormat format);
std::optional<ExportFormat> export_format_from_string(std::string_view name);
// text/markdown; text/html; application/json; application/x-ndjson (all UTF-8);
// application/pdf.
std::string_view content_type(ExportFormat format);

// The documents of a Bimtek (docs/documents.md).
enum class DocumentKind { buku1, buku2, ringkasan, quickwin };

// "buku1", "buku2", "ringkasan", "quickwin".
std::string_view to_string(DocumentKind kind);
std::optional<DocumentKind> document_kind_from_string(std::string_view name);
// A file name for a download: "buku1-padang-2019-v221.pdf"; "padang-2019-v221.md" without
// a document. Characters outside [A-Za-z0-9._-] in the masterplan id become '-'.
std::string export_file_name(std::string_view masterplan, std::uint64_t version,
                             std::optional<DocumentKind> document, ExportFormat format);

struct ExportRequest {
  ExportFormat format = ExportFormat::md;
  std::optional<DocumentKind> document;     // a Bimtek document: format html or pdf only
  Lang lang = Lang::id;                     // the documents' language (the exports are bilingual)
  PdfOptions pdf;                           // format pdf: which Chromium, how long to wait
  std::optional<std::uint64_t> at;          // a version (from 1)
  std::optional<std::int64_t> at_time_us;   // or a moment: the last version at or before it
  const model::Extensions* extensions = nullptr;  // names plugin pillars; may be null
};

struct Exported {
  std::uint64_t version = 0;  // the version exported
  std::string body;
};

// not_found: no such masterplan, version or moment; invalid_argument: both `at` and
// `at_time_us`, version 0, or a document in md, json or cloudevents; storage_error / corrupt:
// the log failed or does not decode; unavailable / print_failed: pdf without Chromium, or
// Chromium failed (pdf_printer.hpp).
DocumentResult<Exported> export_masterplan(store::EventLog& log, std::string_view masterplan,
                                           const ExportRequest& request);

}  // namespace rembuk::documents
