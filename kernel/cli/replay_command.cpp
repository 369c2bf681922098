// `rembuk replay --data DIR --masterplan ID [--at VERSION | --at-time ISO8601]
//                [--view document|roadmap|opds|budget|coverage] [--json]`
// Prints a view of the masterplan as it stood at that version or moment (default: now):
// readable tables, or the view's JSON with --json. Exit 1 when the masterplan, version or
// moment does not exist; 2 when the log cannot be opened or read.
#include <cstdio>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "commands.hpp"
#include "rembuk/projections/text_render.hpp"
#include "rembuk/projections/time_format.hpp"
#include "rembuk/projections/views.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::cli {
namespace {

struct ReplayArgs {
  std::string data;
  std::string masterplan;
  std::uint64_t at = 0;
  std::string at_time;
  std::string view = "document";
  bool json = false;
};

void run(const ReplayArgs& args) {
  projections::ViewRequest request;
  if (args.at != 0) request.at = args.at;
  if (!args.at_time.empty()) {
    request.at_time_us = projections::parse_iso8601(args.at_time);
    if (!request.at_time_us) {
      std::fprintf(stderr,
                   "rembuk replay: --at-time '%s' is not an ISO 8601 time "
                   "(e.g. 2019-06-30 or 2019-06-30T17:00:00+07:00)\n",
                   args.at_time.c_str());
      throw CLI::RuntimeError(1);
    }
  }
  store::LmdbOptions options;
  options.path = args.data;
  options.create_if_missing = false;
  auto log = store::open_lmdb_event_log(options);
  if (!log.ok()) {
    std::fprintf(stderr, "rembuk replay: cannot open %s: %s\n", args.data.c_str(),
                 log.error().message.c_str());
    throw CLI::RuntimeError(2);
  }
  auto view = projections::render_view(**log, args.masterplan, args.view, request);
  if (!view.ok()) {
    std::fprintf(stderr, "rembuk replay: %s\n", view.error().message.c_str());
    throw CLI::RuntimeError(view.error().code == projections::ErrorCode::storage_error ||
                                    view.error().code == projections::ErrorCode::corrupt
                                ? 2
                                : 1);
  }
  const std::string out = args.json ? boost::json::serialize(*view) + "\n"
                                    : projections::render_text(
                                          *projections::view_from_string(args.view), *view);
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

void add_replay_command(CLI::App& app) {
  auto* command =
      app.add_subcommand("replay", "Show a view of a masterplan as it stood at a version or time");
  auto args = std::make_shared<ReplayArgs>();
  command->add_option("--data", args->data, "Folder of the event log")->required();
  command->add_option("--masterplan", args->masterplan, "Masterplan id (stream)")->required();
  auto* at = command->add_option("--at", args->at, "Version (stream revision, from 1)")
                 ->check(CLI::PositiveNumber);
  auto* at_time = command->add_option("--at-time", args->at_time,
                                      "ISO 8601 time: the last version at or before it");
  at->excludes(at_time);
  command->add_option("--view", args->view, "Which view")
      ->check(CLI::IsMember({"document", "roadmap", "opds", "budget", "coverage"}))
      ->default_val("document");
  command->add_flag("--json", args->json, "Print the view's JSON instead of tables");
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::cli
