// `rembuk rebuild --data DIR [--every K]`: drops every snapshot and rebuilds them from the
// events (the views are computed from states, so snapshots are the stored projection).
// Progress goes to stderr: a bar with events/s and ETA on a terminal, plain lines otherwise
// (at most one per second). Exit 2 when the log cannot be opened, read or written.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "rembuk/projections/rebuild.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::cli {
namespace {

struct RebuildArgs {
  std::string data;
  std::uint64_t every = 1000;
};

std::string eta(const projections::RebuildProgress& p, double rate) {
  if (rate <= 0 || p.events_done >= p.events_total) return "0s";
  const auto seconds = static_cast<long long>(
      static_cast<double>(p.events_total - p.events_done) / rate + 0.5);
  char buffer[32];
  if (seconds >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", seconds / 3600, seconds / 60 % 60);
  } else if (seconds >= 60) {
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", seconds / 60, seconds % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%llds", seconds);
  }
  return buffer;
}

void show_bar(const projections::RebuildProgress& p) {
  const double fraction =
      p.events_total == 0 ? 1.0 : static_cast<double>(p.events_done) / static_cast<double>(p.events_total);
  const double rate = p.elapsed_s > 0 ? static_cast<double>(p.events_done) / p.elapsed_s : 0;
  constexpr int width = 30;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(width - filled), '-');
  std::fprintf(stderr, "\r[%s] %5.1f%%  %llu/%llu events  %zu/%zu masterplans  %.0f events/s  ETA %s \x1b[K",
               bar.c_str(), fraction * 100, static_cast<unsigned long long>(p.events_done),
               static_cast<unsigned long long>(p.events_total), p.streams_done, p.streams_total,
               rate, eta(p, rate).c_str());
  std::fflush(stderr);
}

void show_line(const projections::RebuildProgress& p) {
  const double rate = p.elapsed_s > 0 ? static_cast<double>(p.events_done) / p.elapsed_s : 0;
  std::fprintf(stderr,
               "rebuild: %llu/%llu events, %zu/%zu masterplans, %.0f events/s, ETA %s\n",
               static_cast<unsigned long long>(p.events_done),
               static_cast<unsigned long long>(p.events_total), p.streams_done, p.streams_total,
               rate, eta(p, rate).c_str());
}

void run(const RebuildArgs& args) {
  store::LmdbOptions options;
  options.path = args.data;
  options.create_if_missing = false;
  auto log = store::open_lmdb_event_log(options);
  if (!log.ok()) {
    std::fprintf(stderr, "rembuk rebuild: cannot open %s: %s\n", args.data.c_str(),
                 log.error().message.c_str());
    throw CLI::RuntimeError(2);
  }
  const bool terminal = isatty(STDERR_FILENO) == 1;
  projections::RebuildOptions rebuild_options;
  rebuild_options.policy.every = args.every;
  rebuild_options.progress_every = std::chrono::milliseconds(terminal ? 100 : 1000);
  rebuild_options.progress = terminal ? show_bar : show_line;
  auto stats = projections::rebuild(**log, rebuild_options);
  if (terminal) std::fputs("\n", stderr);
  if (!stats.ok()) {
    std::fprintf(stderr, "rembuk rebuild: %s\n", stats.error().message.c_str());
    throw CLI::RuntimeError(2);
  }
  std::printf("rebuilt %zu masterplans: %llu events folded, %llu snapshots written in %.2f s "
              "(%.0f events/s)\n",
              stats->streams, static_cast<unsigned long long>(stats->events),
              static_cast<unsigned long long>(stats->snapshots), stats->elapsed_s,
              stats->elapsed_s > 0 ? static_cast<double>(stats->events) / stats->elapsed_s : 0.0);
}

}  // namespace

void add_rebuild_command(CLI::App& app) {
  auto* command =
      app.add_subcommand("rebuild", "Drop and rebuild every snapshot (projection) from the events");
  auto args = std::make_shared<RebuildArgs>();
  command->add_option("--data", args->data, "Folder of the event log")->required();
  command->add_option("--every", args->every, "Snapshot every K versions (0: none)")
      ->default_val(1000);
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::cli
