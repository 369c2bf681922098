// `rembuk verify --data DIR`: recomputes the whole hash chain and checks the indexes.
// Exit 0 when the log is sound; 1 with the first bad position when it is not; 2 when the log
// cannot be opened.
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::cli {

void add_verify_command(CLI::App& app) {
  auto* command = app.add_subcommand("verify", "Check every event's hash, link and index");
  auto data = std::make_shared<std::string>();
  command->add_option("--data", *data, "Folder of the event log")->required();
  command->callback([data] {
    store::LmdbOptions options;
    options.path = *data;
    options.create_if_missing = false;
    auto log = store::open_lmdb_event_log(options);
    if (!log.ok()) {
      std::fprintf(stderr, "rembuk verify: cannot open %s: %s\n", data->c_str(),
                   log.error().message.c_str());
      throw CLI::RuntimeError(2);
    }
    const store::VerifyReport report = (*log)->verify();
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
