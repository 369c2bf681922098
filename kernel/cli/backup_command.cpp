// `rembuk backup --data DIR | --store postgres://… [--data DIR] --out FILE [--with-secrets]`
//   one consistent archive of the log while it serves and writes (docs/operations.md); the
//   keys come from DIR. Exit 0 written; 1 failed (full disk, unwritable, the log damaged);
//   2 usage or the log cannot be opened.
// `rembuk backup verify FILE`
//   proves an archive offline and prints its manifest. Exit 0 sound; 1 damaged, truncated or
//   inconsistent (the place is named); 2 unreadable, not an archive, or a newer format.
#include <cstdio>
#include <memory>
#include <string>

#include "archive_support.hpp"
#include "commands.hpp"
#include "rembuk/store/open_event_log.hpp"
#include "rembuk/version.hpp"

namespace rembuk::cli {
namespace {

struct BackupArgs {
  std::string data;
  std::string store;
  std::string out;
  bool with_secrets = false;
  std::string file;  // backup verify
};

[[noreturn]] void refuse(const char* command, const std::string& why, int code) {
  std::fprintf(stderr, "rembuk %s: %s\n", command, why.c_str());
  throw CLI::RuntimeError(code);
}

void backup(const BackupArgs& args) {
  if (args.data.empty() && args.store.empty()) {
    refuse("backup", "give --data DIR or --store postgres://…", 2);
  }
  if (args.out.empty()) refuse("backup", "give --out FILE", 2);
  if (!args.store.empty() && !store::is_postgres_url(args.store)) {
    refuse("backup", "--store takes a postgres://… URL", 2);
  }
  auto keys = read_archive_keys(args.data, args.with_secrets);
  if (!keys) refuse("backup", keys.error(), 2);
  store::BackupOptions options;
  options.rembuk_version = version_string;
  options.keys = std::move(*keys);
  ProgressLine progress("backup");
  options.progress = progress.callback();
  const auto where = store::describe(store::StoreLocation{args.store, args.data});
  auto written = store::write_archive(archive_store(args.data, args.store), args.out, options);
  progress.done();
  if (!written) {
    refuse("backup", "no archive written (" + args.out + " untouched): " +
                         written.error().message,
           written.error().code == store::ErrorCode::storage_full ||
                   written.error().code == store::ErrorCode::corrupt
               ? 1
               : 2);
  }
  std::printf("ok: %s written from %s\n%s", args.out.c_str(), where.c_str(),
              manifest_text(*written, options.keys).c_str());
}

void verify(const BackupArgs& args) {
  store::VerifyArchiveOptions options;
  options.check_checkpoint = checkpoint_check();
  ProgressLine progress("verify");
  options.progress = progress.callback();
  const auto report = store::verify_archive(args.file, options);
  progress.done();
  if (!report.ok()) {
    std::fprintf(stderr, "rembuk backup verify: %s: %s\n",
                 std::string(store::to_string(report.fault)).c_str(), report.reason.c_str());
    if (report.manifest) {
      std::fprintf(stderr, "rembuk backup verify: %llu events before it are sound\n",
                   static_cast<unsigned long long>(report.events_checked));
    }
    const bool unusable = report.fault == store::ArchiveFault::unreadable ||
                          report.fault == store::ArchiveFault::not_archive ||
                          report.fault == store::ArchiveFault::newer_format;
    throw CLI::RuntimeError(unusable ? 2 : 1);
  }
  std::printf("ok: %llu events, hash chain, indexes and checkpoint signatures sound\n%s",
              static_cast<unsigned long long>(report.events_checked),
              manifest_text(*report.manifest, report.keys).c_str());
}

}  // namespace

void add_backup_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "backup", "Write one consistent, verifiable archive of the log (also while it serves)");
  auto args = std::make_shared<BackupArgs>();
  command->add_option("--data", args->data,
                      "Folder of the LMDB log, and of the keys (with --store: only the keys)");
  command->add_option("--store", args->store, "postgres://… : back up a PostgreSQL log");
  command->add_option("--out", args->out, "The archive to write (replaced when it exists)");
  command->add_flag("--with-secrets", args->with_secrets,
                    "Also put in the token secret and the audit signing key");
  auto* verify_command =
      command->add_subcommand("verify", "Prove an archive whole, offline, and print its manifest");
  verify_command->add_option("FILE", args->file, "The archive")->required();
  verify_command->callback([args] { verify(*args); });
  command->callback([args, verify_command] {
    if (verify_command->parsed()) return;
    backup(*args);
  });
}

}  // namespace rembuk::cli
