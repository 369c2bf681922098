// `rembuk diff --data DIR --masterplan ID --from V1 --to V2 [--json]`: what changed between
// two versions, entity by entity ("+" added, "-" removed, "~" changed with the fields).
// Exit 1 when a version does not exist; 2 when the log cannot be opened or read.
#include <cstdio>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "commands.hpp"
#include "rembuk/projections/state_diff.hpp"
#include "rembuk/projections/text_render.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::cli {
namespace {

struct DiffArgs {
  std::string data;
  std::string masterplan;
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  bool json = false;
};

[[noreturn]] void fail_with(const projections::Error& error) {
  std::fprintf(stderr, "rembuk diff: %s\n", error.message.c_str());
  throw CLI::RuntimeError(error.code == projections::ErrorCode::storage_error ||
                                  error.code == projections::ErrorCode::corrupt
                              ? 2
                              : 1);
}

void run(const DiffArgs& args) {
  store::LmdbOptions options;
  options.path = args.data;
  options.create_if_missing = false;
  auto log = store::open_lmdb_event_log(options);
  if (!log.ok()) {
    std::fprintf(stderr, "rembuk diff: cannot open %s: %s\n", args.data.c_str(),
                 log.error().message.c_str());
    throw CLI::RuntimeError(2);
  }
  auto from = projections::state_at(**log, args.masterplan, args.from);
  if (!from.ok()) fail_with(from.error());
  auto to = projections::state_at(**log, args.masterplan, args.to);
  if (!to.ok()) fail_with(to.error());
  const auto diff = projections::diff_states(*from, *to);
  const std::string out =
      args.json ? boost::json::serialize(diff) + "\n" : projections::render_diff_text(diff);
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

void add_diff_command(CLI::App& app) {
  auto* command = app.add_subcommand("diff", "What changed between two versions of a masterplan");
  auto args = std::make_shared<DiffArgs>();
  command->add_option("--data", args->data, "Folder of the event log")->required();
  command->add_option("--masterplan", args->masterplan, "Masterplan id (stream)")->required();
  command->add_option("--from", args->from, "Earlier version")->required()->check(CLI::PositiveNumber);
  command->add_option("--to", args->to, "Later version")->required()->check(CLI::PositiveNumber);
  command->add_flag("--json", args->json, "Print JSON instead of lines");
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::cli
