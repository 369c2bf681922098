// `rembuk restore FILE --data DIR | --store postgres://… [--data DIR] [--until POSITION]`
//   verifies FILE, then loads it into an empty store (docs/operations.md). With --until, the
//   log as it stood at that position. Secrets in the archive go to DIR (mode 0600). Exit 0
//   restored; 1 refused (a damaged, truncated or newer archive, a target that holds events, a
//   bad --until) or failed, nothing changed; 2 usage.
#include <cstdio>
#include <memory>
#include <string>

#include "archive_support.hpp"
#include "commands.hpp"
#include "rembuk/store/open_event_log.hpp"

namespace rembuk::cli {
namespace {

struct RestoreArgs {
  std::string file;
  std::string data;
  std::string store;
  std::uint64_t until = 0;
};

[[noreturn]] void refuse(const std::string& why, int code) {
  std::fprintf(stderr, "rembuk restore: %s\n", why.c_str());
  throw CLI::RuntimeError(code);
}

void restore(const RestoreArgs& args) {
  if (args.data.empty() && args.store.empty()) refuse("give --data DIR or --store postgres://…", 2);
  if (!args.store.empty() && !store::is_postgres_url(args.store)) {
    refuse("--store takes a postgres://… URL", 2);
  }
  store::RestoreOptions options;
  options.until = args.until;
  options.check_checkpoint = checkpoint_check();
  ProgressLine progress("restore");
  options.progress = progress.callback();
  auto restored = store::restore_archive(args.file, archive_store(args.data, args.store), options);
  progress.done();
  if (!restored) refuse("nothing restored: " + restored.error().message, 1);
  const auto warnings = write_restored_secrets(args.data, restored->report.keys);
  if (!warnings.empty()) std::fprintf(stderr, "rembuk restore: %s", warnings.c_str());
  const auto where = store::describe(store::StoreLocation{args.store, args.data});
  std::printf("ok: %llu events restored into %s, head %llu %s\n",
              static_cast<unsigned long long>(restored->events), where.c_str(),
              static_cast<unsigned long long>(restored->restored.position),
              store::to_hex(restored->restored.hash).c_str());
  if (restored->report.keys.with_secrets && !args.data.empty()) {
    std::printf("secrets: written to %s\n", args.data.c_str());
  }
}

}  // namespace

void add_restore_command(CLI::App& app) {
  auto* command =
      app.add_subcommand("restore", "Load a verified archive into an empty LMDB or PostgreSQL store");
  auto args = std::make_shared<RestoreArgs>();
  command->add_option("FILE", args->file, "The archive (rembuk backup)")->required();
  command->add_option("--data", args->data,
                      "Folder of the new LMDB log, and of the secrets (with --store: only those)");
  command->add_option("--store", args->store, "postgres://… : restore into PostgreSQL");
  command->add_option("--until", args->until,
                      "Restore the log as it stood at this position (after a bad import)");
  command->callback([args] { restore(*args); });
}

}  // namespace rembuk::cli
