#include "rembuk/documents/export.hpp"

#include <map>

#include <boost/json.hpp>

#include "book.hpp"
#include "cloudevents.hpp"
#include "plan_blocks.hpp"
#include "rembuk/model/bimtek.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/projections/state_diff.hpp"
#include "rembuk/projections/time_format.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::documents {
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

DocumentResult<std::uint64_t> resolve_version(store::EventLog& log, std::string_view masterplan,
                                           const ExportRequest& request) {
  if (request.at && request.at_time_us) {
    return fail(Error{ErrorCode::invalid_argument, "give a version or a time, not both"});
  }
  if (store::is_system_stream(masterplan)) {
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
DocumentResult<Unit> scan_events(store::EventLog& log, std::string_view masterplan,
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
  store::Hash version_hash{};  // the record hash of the exported version's event
};

DocumentResult<HistoryFacts> history_facts(store::EventLog& log, std::string_view masterplan,
                                        std::uint64_t version) {
  HistoryFacts facts;
  auto scanned = scan_events(
      log, masterplan, version,
      [&](const std::vector<store::RecordedEvent>& page) -> DocumentResult<Unit> {
        for (const auto& e : page) {
          if (e.type == "MasterplanSubmitted") facts.submissions.push_back(e.revision);
          facts.version_time_us = e.time_us;
          facts.version_hash = e.hash;
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

// What the books read beside the document view: from the state's own JSON the Bimtek track
// (gaps, strategies, commitment letters, stages, presentation, MoU) at the top level and each
// readiness entry's SWOT quadrant; from the model the outputs each stage still owes.
void with_bimtek(const model::MasterplanState& state, json::value& view) {
  const auto state_json = model::to_json(state, model::Bookkeeping::omit);
  if (const auto* bimtek = state_json.if_contains("bimtek"); bimtek && bimtek->is_object()) {
    for (const auto& [key, value] : bimtek->get_object()) view.as_object()[key] = value;
  }
  // What each stage must produce, done or missing and who owes it (model/bimtek.hpp).
  json::array outputs;
  for (const auto& stage : model::bimtek_outputs(state)) {
    json::array list;
    for (const auto& item : stage.items) {
      list.push_back(json::object{{"output", item.id},
                                  {"labelId", item.label_id},
                                  {"labelEn", item.label_en},
                                  {"done", item.done},
                                  {"owedBy", item.owed_by}});
    }
    outputs.push_back(json::object{{"stage", stage.stage},
                                   {"closed", state.bimtek[static_cast<std::size_t>(stage.stage - 1)].closed},
                                   {"items", std::move(list)}});
  }
  view.as_object()["stageOutputs"] = std::move(outputs);
  // Each readiness entry's SWOT quadrant, which the document view does not carry.
  std::map<std::string, json::value> swot;
  if (const auto* entries = state_json.if_contains("readiness"); entries && entries->is_array()) {
    for (const auto& e : entries->get_array()) {
      const auto* id = e.is_object() ? e.get_object().if_contains("entryId") : nullptr;
      const auto* quadrant = e.is_object() ? e.get_object().if_contains("swot") : nullptr;
      if (id != nullptr && id->is_string() && quadrant != nullptr) {
        swot[std::string(id->get_string())] = *quadrant;
      }
    }
  }
  if (auto* axes = view.as_object().if_contains("readiness"); axes && axes->is_object()) {
    for (auto& [axis, entries] : axes->get_object()) {
      if (!entries.is_array()) continue;
      for (auto& e : entries.get_array()) {
        if (!e.is_object() || e.get_object().contains("swot")) continue;
        const auto* id = e.get_object().if_contains("entryId");
        if (id == nullptr || !id->is_string()) continue;
        if (auto it = swot.find(std::string(id->get_string())); it != swot.end()) {
          e.get_object()["swot"] = it->second;
        }
      }
    }
  }
}

// One of the Bimtek documents as a book.
DocumentResult<detail::Book> book_for(store::EventLog& log, std::string_view masterplan,
                                      const ExportRequest& request,
                                      const model::MasterplanState& state) {
  projections::ViewContext context;
  context.extensions = request.extensions;
  json::value view = projections::document_view(state, context);
  auto facts = history_facts(log, masterplan, state.version);
  if (!facts) return fail(std::move(facts).error());
  with_bimtek(state, view);
  detail::BookInput input;
  input.document = &view;
  input.kind = *request.document;
  input.lang = request.lang;
  input.masterplan = std::string(masterplan);
  input.version = state.version;
  input.version_time_us = facts->version_time_us;
  input.head_hash = store::to_hex(facts->version_hash);
  return detail::book_of(input);
}

DocumentResult<std::string> document_text(store::EventLog& log, std::string_view masterplan,
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
    case ExportFormat::pdf: return "pdf";
  }
  return "md";
}

std::optional<ExportFormat> export_format_from_string(std::string_view name) {
  for (auto f : {ExportFormat::md, ExportFormat::html, ExportFormat::json,
                 ExportFormat::cloudevents, ExportFormat::pdf}) {
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
    case ExportFormat::pdf: return "application/pdf";
  }
  return "application/octet-stream";
}

std::string_view to_string(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::buku1: return "buku1";
    case DocumentKind::buku2: return "buku2";
    case DocumentKind::ringkasan: return "ringkasan";
    case DocumentKind::quickwin: return "quickwin";
  }
  return "buku2";
}

std::optional<DocumentKind> document_kind_from_string(std::string_view name) {
  for (auto k : {DocumentKind::buku1, DocumentKind::buku2, DocumentKind::ringkasan,
                 DocumentKind::quickwin}) {
    if (to_string(k) == name) return k;
  }
  return std::nullopt;
}

std::string export_file_name(std::string_view masterplan, std::uint64_t version,
                             std::optional<DocumentKind> document, ExportFormat format) {
  std::string name;
  if (document) name = std::string(to_string(*document)) + "-";
  for (const char c : masterplan) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    name.push_back(plain ? c : '-');
  }
  const std::string_view extension = format == ExportFormat::cloudevents ? "jsonl" : to_string(format);
  return name + "-v" + std::to_string(version) + "." + std::string(extension);
}

DocumentResult<Exported> export_masterplan(store::EventLog& log, std::string_view masterplan,
                                           const ExportRequest& request) {
  if (request.document && request.format != ExportFormat::html &&
      request.format != ExportFormat::pdf) {
    return fail(Error{ErrorCode::invalid_argument,
                      "the document " + std::string(to_string(*request.document)) +
                          " comes as html or pdf, not " + std::string(to_string(request.format))});
  }
  auto version = resolve_version(log, masterplan, request);
  if (!version) return fail(std::move(version).error());
  Exported out;
  out.version = *version;
  if (request.format == ExportFormat::cloudevents) {
    auto scanned = scan_events(
        log, masterplan, *version,
        [&](const std::vector<store::RecordedEvent>& page) -> DocumentResult<Unit> {
          auto lines = detail::cloudevents_lines(page);
          if (!lines) return fail(std::move(lines).error());
          out.body += *lines;
          return Unit{};
        });
    if (!scanned) return fail(std::move(scanned).error());
    return out;
  }
  // Chromium is looked for before any work, so that a machine without it says so at once.
  if (request.format == ExportFormat::pdf && !find_chromium(request.pdf)) {
    return fail(Error{ErrorCode::unavailable, chromium_missing_message()});
  }
  auto state = projections::state_at(log, masterplan, *version);
  if (!state) return fail(from_projection(std::move(state).error()));
  if (request.document) {
    auto book = book_for(log, masterplan, request, *state);
    if (!book) return fail(std::move(book).error());
    if (request.format == ExportFormat::html) {
      out.body = detail::write_book_html(*book);
      return out;
    }
    auto pdf = detail::print_book(*book, request.pdf);
    if (!pdf) return fail(std::move(pdf).error());
    out.body = std::move(*pdf);
    return out;
  }
  auto body = document_text(log, masterplan, request, *state);
  if (!body) return fail(std::move(body).error());
  if (request.format == ExportFormat::pdf) {
    auto pdf = print_pdf(*body, request.pdf);
    if (!pdf) return fail(std::move(pdf).error());
    out.body = std::move(*pdf);
    return out;
  }
  out.body = std::move(*body);
  return out;
}

}  // namespace rembuk::documents
