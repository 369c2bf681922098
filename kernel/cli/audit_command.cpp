// `rembuk audit bundle --data DIR [--store postgres://…] --masterplan ID --out FILE`
//   one self-contained file: the masterplan's events, its signed checkpoints, the public key,
//   sealed with the key in DIR/audit-key (docs/audit.md). With --store the log is the
//   PostgreSQL one `rembuk serve --store` writes; the key stays in DIR either way. Exit 1: no such masterplan;
//   2: the log or the key cannot be read, the log does not verify, FILE cannot be written.
// `rembuk audit verify FILE`
//   checks every hash, link and signature (no data folder needed) and prints the history
//   summary, or the first thing that does not verify. Exit 0 ok, 1 does not verify,
//   2 cannot read FILE.
// `rembuk audit checkpoint --data DIR [--store postgres://…] [--every N]`
//   writes the checkpoints that are due but missing and seals each masterplan's head, as
//   `rembuk serve` does at start (e.g. after `rembuk import`). Makes DIR/audit-key if needed.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "commands.hpp"
#include "rembuk/audit/bundle.hpp"
#include "rembuk/audit/checkpointer.hpp"
#include "rembuk/audit/signing_key.hpp"
#include "rembuk/store/open_event_log.hpp"

namespace rembuk::cli {
namespace {

struct AuditArgs {
  std::string data;
  std::string store;  // empty: the LMDB log in `data`; postgres://…: a PostgreSQL log
  std::string masterplan;
  std::string out;
  std::string file;
  std::uint64_t every = 100;
};

[[noreturn]] void refuse(const std::string& why, int code) {
  std::fprintf(stderr, "rembuk audit: %s\n", why.c_str());
  throw CLI::RuntimeError(code);
}

std::unique_ptr<store::EventLog> open_log(const AuditArgs& args) {
  const store::StoreLocation location{args.store, args.data, false};
  auto log = store::open_event_log(location);
  if (!log.ok()) refuse("cannot open " + store::describe(location) + ": " + log.error().message, 2);
  return std::move(log).value();
}

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void bundle(const AuditArgs& args) {
  auto key = audit::SigningKey::load(args.data);
  if (!key) {
    refuse(key.error().message +
               " (the key is made by `rembuk serve` or `rembuk audit checkpoint --data " +
               args.data + "`)",
           2);
  }
  auto log = open_log(args);
  auto made = audit::make_bundle(*log, args.masterplan, *key, now_us());
  if (!made) refuse(made.error().message, made.error().code == audit::ErrorCode::not_found ? 1 : 2);
  std::ofstream file(args.out, std::ios::binary | std::ios::trunc);
  file.write(made->data(), static_cast<std::streamsize>(made->size()));
  file.close();
  if (!file) refuse("cannot write " + args.out, 2);
  std::fprintf(stderr, "rembuk audit: bundle of %s written to %s (%zu bytes, key %s)\n",
               args.masterplan.c_str(), args.out.c_str(), made->size(), key->key_id().c_str());
}

void verify(const AuditArgs& args) {
  std::ifstream in(args.file, std::ios::binary);
  if (!in) refuse("cannot read " + args.file, 2);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto report = audit::verify_bundle(bytes);
  const auto text = audit::render_report(report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!report.ok) throw CLI::RuntimeError(1);
}

void checkpoint(const AuditArgs& args) {
  auto log = open_log(args);
  auto key = audit::SigningKey::load_or_create(args.data);
  if (!key) refuse(key.error().message, 2);
  const std::string key_id = key->key_id();
  audit::CheckpointOptions options;
  options.every = args.every;
  auto checkpointer = audit::Checkpointer::start(*log, std::move(*key), options);
  if (!checkpointer) refuse(checkpointer.error().message, 2);
  (*checkpointer)->flush();
  const auto stats = (*checkpointer)->stats();
  (*checkpointer)->stop();
  log->close();
  std::printf("checkpoints written: %llu (key %s)\n",
              static_cast<unsigned long long>(stats.written), key_id.c_str());
  if (stats.failures != 0) refuse("some checkpoints failed: " + stats.last_error, 2);
}

}  // namespace

void add_audit_command(CLI::App& app) {
  auto* command = app.add_subcommand("audit", "Signed checkpoints and verifiable audit bundles");
  command->require_subcommand(1);
  auto args = std::make_shared<AuditArgs>();

  auto* b = command->add_subcommand("bundle", "Write a masterplan's self-contained audit bundle");
  b->add_option("--data", args->data, "Folder of the event log (or of the key, with --store)")
      ->required();
  b->add_option("--store", args->store, "postgres://… : the log is in PostgreSQL");
  b->add_option("--masterplan", args->masterplan, "Masterplan id (stream)")->required();
  b->add_option("--out", args->out, "Bundle file to write")->required();
  b->callback([args] { bundle(*args); });

  auto* v = command->add_subcommand("verify", "Check an audit bundle (no data folder needed)");
  v->add_option("file", args->file, "Bundle file")->required();
  v->callback([args] { verify(*args); });

  auto* c = command->add_subcommand("checkpoint",
                                    "Write due checkpoints and seal every masterplan's head");
  c->add_option("--data", args->data, "Folder of the event log (or of the key, with --store)")
      ->required();
  c->add_option("--store", args->store, "postgres://… : the log is in PostgreSQL");
  c->add_option("--every", args->every, "Events of one masterplan between checkpoints")
      ->capture_default_str();
  c->callback([args] { checkpoint(*args); });
}

}  // namespace rembuk::cli
