// `rembuk history --data DIR --masterplan ID [--entity program/ID] [--actor A] [--limit N]
//                 [--json]`
// `rembuk history --data DIR --masterplan ID --entity E --field F --blame [--at V] [--json]`
// Without --entity: the activity of the masterplan, newest first (optionally one actor's).
// With --entity: every change to that entity (and what lies under it), oldest first, with
// who, when, and what changed (before/after in --json). Exit 1 when the masterplan does not
// exist; 2 when the log cannot be opened or read.
// With --field and --blame: the narrative field E/F (e.g. masterplan + vision,
// program/p-1 + description, mission/m-2 + text) as it is now, one line per run of characters
// with the version and author that wrote it (docs/concurrency.md, "Text operations").
#include <cstdio>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "commands.hpp"
#include "rembuk/projections/text_blame.hpp"
#include "rembuk/projections/text_render.hpp"
#include "rembuk/projections/views.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::cli {
namespace {

struct HistoryArgs {
  std::string data;
  std::string masterplan;
  std::string entity;
  std::string actor;
  std::size_t limit = 0;
  bool json = false;
  std::string field;
  bool blame = false;
  std::uint64_t at = 0;
};

void blame(store::EventLog& log, const HistoryArgs& args) {
  const std::string key = args.entity + "/" + args.field;
  auto result = projections::blame_text(log, args.masterplan, key, args.at);
  if (!result.ok()) {
    std::fprintf(stderr, "rembuk history: %s\n", result.error().message.c_str());
    const auto code = result.error().code;
    throw CLI::RuntimeError(code == projections::ErrorCode::storage_error ||
                                    code == projections::ErrorCode::corrupt
                                ? 2
                                : 1);
  }
  const std::string out = args.json ? boost::json::serialize(projections::to_json(*result)) + "\n"
                                    : projections::render_text(*result);
  std::fwrite(out.data(), 1, out.size(), stdout);
}

void run(const HistoryArgs& args) {
  store::LmdbOptions options;
  options.path = args.data;
  options.create_if_missing = false;
  auto log = store::open_lmdb_event_log(options);
  if (!log.ok()) {
    std::fprintf(stderr, "rembuk history: cannot open %s: %s\n", args.data.c_str(),
                 log.error().message.c_str());
    throw CLI::RuntimeError(2);
  }
  if (args.blame) {
    if (args.entity.empty() || args.field.empty()) {
      std::fprintf(stderr, "rembuk history: --blame needs --entity and --field\n");
      throw CLI::RuntimeError(1);
    }
    blame(**log, args);
    return;
  }
  projections::ViewRequest request;
  request.filter.actor = args.actor;
  request.filter.entity = args.entity;
  request.filter.limit = args.limit;
  const auto view = args.entity.empty() ? projections::View::activity
                                        : projections::View::history;
  auto result =
      projections::render_view(**log, args.masterplan, projections::to_string(view), request);
  if (!result.ok()) {
    std::fprintf(stderr, "rembuk history: %s\n", result.error().message.c_str());
    throw CLI::RuntimeError(result.error().code == projections::ErrorCode::storage_error ||
                                    result.error().code == projections::ErrorCode::corrupt
                                ? 2
                                : 1);
  }
  const std::string out = args.json ? boost::json::serialize(*result) + "\n"
                                    : projections::render_text(view, *result);
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

void add_history_command(CLI::App& app) {
  auto* command =
      app.add_subcommand("history", "Who changed what and when, for a masterplan or one entity");
  auto args = std::make_shared<HistoryArgs>();
  command->add_option("--data", args->data, "Folder of the event log")->required();
  command->add_option("--masterplan", args->masterplan, "Masterplan id (stream)")->required();
  command->add_option("--entity", args->entity,
                      "An entity: masterplan, program/ID, program/ID/indicator/ID, opd/ID, "
                      "mission/ID, strategicIssue/ID, readiness/ID, member/ID, comment/ID");
  command->add_option("--actor", args->actor, "Only this user's changes");
  command->add_option("--limit", args->limit, "At most this many entries (activity)");
  command->add_flag("--json", args->json, "Print JSON instead of a table");
  command->add_option("--field", args->field,
                      "With --blame: a narrative field of the entity (vision, text, "
                      "description, outputs/0 …)");
  command->add_flag("--blame", args->blame,
                    "Print the field's text with the author and version of every run");
  command->add_option("--at", args->at, "With --blame: the text at this version");
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::cli
