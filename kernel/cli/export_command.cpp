// `rembuk export --data DIR | --store postgres://… --masterplan ID
//                [--at VERSION | --at-time ISO8601]
//                [--document buku1|buku2|ringkasan|quickwin] [--lang id|en]
//                --format md|html|json|cloudevents|pdf [--out FILE]`
// Writes the masterplan as it stood then, or one of the documents of its Bimtek
// (docs/documents.md), to FILE or stdout. PDF is printed by headless Chromium.
// Exit 1: no such masterplan, version or moment, or bad input; 2: the log cannot be opened
// or read, or FILE cannot be written; 3: PDF asked for and no Chromium installed (the
// message says how to install it), or Chromium failed.
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "rembuk/documents/export.hpp"
#include "rembuk/projections/time_format.hpp"
#include "rembuk/store/open_event_log.hpp"

namespace rembuk::cli {
namespace {

struct ExportArgs {
  std::string data;
  std::string store;  // empty: the LMDB log in `data`; postgres://…: a PostgreSQL log
  std::string masterplan;
  std::uint64_t at = 0;
  std::string at_time;
  std::string format;
  std::string document;
  std::string lang = "id";
  std::string out;
};

void run(const ExportArgs& args) {
  documents::ExportRequest request;
  request.format = *documents::export_format_from_string(args.format);  // CLI11 checked it
  if (!args.document.empty()) request.document = documents::document_kind_from_string(args.document);
  request.lang = *lang_from_string(args.lang);
  if (args.at != 0) request.at = args.at;
  if (!args.at_time.empty()) {
    request.at_time_us = projections::parse_iso8601(args.at_time);
    if (!request.at_time_us) {
      std::fprintf(stderr, "rembuk export: --at-time '%s' is not an ISO 8601 time\n",
                   args.at_time.c_str());
      throw CLI::RuntimeError(1);
    }
  }
  if (args.data.empty() && args.store.empty()) {
    std::fprintf(stderr, "rembuk export: give --data DIR or --store postgres://…\n");
    throw CLI::RuntimeError(1);
  }
  const store::StoreLocation location{args.store, args.data, false};
  auto log = store::open_event_log(location);
  if (!log.ok()) {
    std::fprintf(stderr, "rembuk export: cannot open %s: %s\n",
                 store::describe(location).c_str(), log.error().message.c_str());
    throw CLI::RuntimeError(2);
  }
  auto exported = documents::export_masterplan(**log, args.masterplan, request);
  if (!exported) {
    std::fprintf(stderr, "rembuk export: %s\n", exported.error().message.c_str());
    switch (exported.error().code) {
      case documents::ErrorCode::not_found:
      case documents::ErrorCode::invalid_argument: throw CLI::RuntimeError(1);
      case documents::ErrorCode::unavailable:
      case documents::ErrorCode::print_failed: throw CLI::RuntimeError(3);
      default: throw CLI::RuntimeError(2);
    }
  }
  if (args.out.empty()) {
    std::fwrite(exported->body.data(), 1, exported->body.size(), stdout);
    return;
  }
  std::ofstream file(args.out, std::ios::binary | std::ios::trunc);
  file.write(exported->body.data(), static_cast<std::streamsize>(exported->body.size()));
  file.close();
  if (!file) {
    std::fprintf(stderr, "rembuk export: cannot write %s\n", args.out.c_str());
    throw CLI::RuntimeError(2);
  }
  const std::string what = args.document.empty() ? args.format : args.document + ", " + args.format;
  std::fprintf(stderr, "rembuk export: %s version %llu (%s) written to %s\n",
               args.masterplan.c_str(), static_cast<unsigned long long>(exported->version),
               what.c_str(), args.out.c_str());
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "export",
      "Export a masterplan (md, html, pdf, json, CloudEvents) or a Bimtek document (html, pdf)");
  auto args = std::make_shared<ExportArgs>();
  auto* data = command->add_option("--data", args->data, "Folder of the event log");
  auto* store_option =
      command->add_option("--store", args->store, "postgres://… : a PostgreSQL log");
  data->excludes(store_option);
  command->add_option("--masterplan", args->masterplan, "Masterplan id (stream)")->required();
  auto* at = command->add_option("--at", args->at, "Version (stream revision, from 1)")
                 ->check(CLI::PositiveNumber);
  auto* at_time = command->add_option("--at-time", args->at_time,
                                      "ISO 8601 time: the last version at or before it");
  at->excludes(at_time);
  command->add_option("--format", args->format, "md, html, json, cloudevents or pdf")
      ->required()
      ->check(CLI::IsMember({"md", "html", "json", "cloudevents", "pdf"}));
  command
      ->add_option("--document", args->document,
                   "A Bimtek document: buku1 (Analisis Kesiapan Daerah), buku2 (Masterplan), "
                   "ringkasan (Ringkasan Eksekutif), quickwin (Profil Quick Win); html or pdf")
      ->check(CLI::IsMember({"buku1", "buku2", "ringkasan", "quickwin"}));
  command->add_option("--lang", args->lang, "The document's language: id (default) or en")
      ->check(CLI::IsMember({"id", "en"}));
  command->add_option("--out", args->out, "File to write (default: stdout)");
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::cli
