// `rembuk verify --data DIR | --store postgres://…`: recomputes the whole hash chain and checks the indexes.
// Exit 0 when the log is sound; 1 with the first bad position when it is not; 2 when the log
// cannot be opened. An LMDB log is checked on every core (ranges of positions at once), with
// progress on stderr when that is a terminal.
#include <cstdio>
#include <string>

#include "archive_support.hpp"
#include "commands.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#include "rembuk/store/open_event_log.hpp"

namespace rembuk::cli {

void add_verify_command(CLI::App& app) {
  auto* command = app.add_subcommand("verify", "Check every event's hash, link and index");
  auto location = std::make_shared<store::StoreLocation>();
  location->create_if_missing = false;
  auto threads = std::make_shared<unsigned>(0);
  auto* data_option = command->add_option("--data", location->data_dir, "Folder of the event log");
  command->add_option("--threads", *threads, "Threads checking an LMDB log (0: one per core)")
      ->capture_default_str();
  auto* store_option =
      command->add_option("--store", location->store, "postgres://… : a PostgreSQL log");
  data_option->excludes(store_option);
  command->callback([location, threads, data_option, store_option] {
    if (data_option->count() == 0 && store_option->count() == 0) {
      std::fprintf(stderr, "rembuk verify: give --data DIR or --store postgres://…\n");
      throw CLI::RuntimeError(2);
    }
    const std::string where = store::describe(*location);
    const std::string* data = &where;
    auto log = store::open_event_log(*location);
    if (!log.ok()) {
      std::fprintf(stderr, "rembuk verify: cannot open %s: %s\n", data->c_str(),
                   log.error().message.c_str());
      throw CLI::RuntimeError(2);
    }
    store::VerifyReport report;
    if (location->store.empty() || location->store == "lmdb") {
      ProgressLine progress("verify");
      store::VerifyOptions options;
      options.threads = *threads;
      if (auto show = progress.callback()) {
        options.progress = [show](const store::VerifyProgress& p) {
          show(store::ArchiveProgress{p.events_done, p.events_total, p.bytes_done});
        };
      }
      report = store::verify_lmdb_log(**log, options);
    } else {
      report = (*log)->verify();
    }
    if (!report.ok) {
      std::fprintf(stderr, "rembuk verify: %s is damaged at position %llu: %s\n", data->c_str(),
                   static_cast<unsigned long long>(report.bad_position), report.reason.c_str());
      std::fprintf(stderr, "rembuk verify: %llu events before it are sound\n",
                   static_cast<unsigned long long>(report.events_checked));
      throw CLI::RuntimeError(1);
    }
    std::printf("ok: %llu events checked, hash chain and indexes sound\n",
                static_cast<unsigned long long>(report.events_checked));
  });
}

}  // namespace rembuk::cli
