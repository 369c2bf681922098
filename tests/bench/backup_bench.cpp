// backup: a log of N events (default 1,000,000; ~300-byte payloads, appends of 1..4 events
// under client-style command ids, 50 masterplans) backed up into an archive, the archive
// verified, and restored into a new folder; each step timed over --runs runs, the median
// reported. The log is made with Durability::nosync (its making is not measured); the restore
// syncs its log once at the end, as `rembuk restore` does, and that sync is inside its time.
//
// Output: {"scenario":"backup","events":…,"backup_events_per_s":…,"verify_events_per_s":…,
//          "restore_events_per_s":…,"archive_mb":…,"runs":…}
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "rembuk/store/archive.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#include "scenarios.hpp"
#include "work_dir.hpp"

namespace rembuk::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct BackupArgs {
  long events = 1'000'000;
  std::size_t size = 300;
  int runs = 3;
  std::string data;
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench backup: %s\n", why.c_str());
  std::exit(1);
}

// Appends until the log holds `events`, with a bounded number in flight.
void make_log(const std::string& path, const BackupArgs& args) {
  store::LmdbOptions options;
  options.path = path;
  options.durability = store::Durability::nosync;
  options.initial_map_size = std::size_t{1} << 30;
  options.reserve_bytes = 0;
  auto opened = store::open_lmdb_event_log(options);
  if (!opened) die("cannot open " + path + ": " + opened.error().message);
  auto& log = **opened;
  const std::string payload =
      "{\"text\":\"" + std::string(args.size > 11 ? args.size - 11 : 1, 'x') + "\"}";
  std::mutex mu;
  std::condition_variable cv;
  long in_flight = 0;
  bool failed = false;
  long queued = 0;
  for (long i = 0; queued < args.events; ++i) {
    store::AppendRequest r;
    r.stream = "masterplan-" + std::to_string(i % 50);
    r.actor = "bench";
    r.command_id = "c-" + std::to_string(1'700'000'000'000 + i) + "-bench";
    const long n = std::min<long>(1 + i % 4, args.events - queued);
    for (long k = 0; k < n; ++k) r.events.push_back(store::EventData{"ProgramEdited", 1, payload});
    queued += n;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < 4096; });
      ++in_flight;
    }
    log.append(std::move(r), [&](store::StoreResult<store::AppendResult> result) {
      std::lock_guard lock(mu);
      if (!result) failed = true;
      --in_flight;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
  if (failed) die("an append failed while making the log");
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double seconds_since(Clock::time_point began) {
  return std::chrono::duration<double>(Clock::now() - began).count();
}

void run(const BackupArgs& args) {
  WorkDir work(args.data);
  const auto log_path = (work.path() / "log").string();
  make_log(log_path, args);
  store::ArchiveStore from;
  from.lmdb_path = log_path;
  const auto archive = (work.path() / "bench.rembuk-backup").string();
  std::vector<double> backup, verify, restore;
  double archive_mb = 0;
  for (int run = 0; run < args.runs; ++run) {
    auto began = Clock::now();
    auto written = store::write_archive(from, archive, {});
    backup.push_back(seconds_since(began));
    if (!written) die("backup: " + written.error().message);
    archive_mb = static_cast<double>(std::filesystem::file_size(archive)) / 1e6;

    began = Clock::now();
    const auto report = store::verify_archive(archive, {});
    verify.push_back(seconds_since(began));
    if (!report.ok()) die("verify: " + report.reason);

    store::ArchiveStore to;
    to.lmdb_path = (work.path() / ("restored-" + std::to_string(run))).string();
    began = Clock::now();
    auto restored = store::restore_archive(archive, to, {});
    restore.push_back(seconds_since(began));
    if (!restored) die("restore: " + restored.error().message);
    std::error_code ec;
    std::filesystem::remove_all(to.lmdb_path, ec);
  }
  const double n = static_cast<double>(args.events);
  std::printf("{\"scenario\":\"backup\",\"events\":%ld,\"backup_events_per_s\":%.0f,"
              "\"verify_events_per_s\":%.0f,\"restore_events_per_s\":%.0f,\"archive_mb\":%.1f,"
              "\"runs\":%d}\n",
              args.events, n / median(backup), n / median(verify), n / median(restore),
              archive_mb, args.runs);
}

}  // namespace

void add_backup_scenario(CLI::App& app) {
  auto* command = app.add_subcommand(
      "backup", "Back up, verify and restore a log of N events (events/s of each, medians)");
  auto args = std::make_shared<BackupArgs>();
  command->add_option("--events", args->events, "Events in the log")->capture_default_str();
  command->add_option("--size", args->size, "Payload bytes per event")->capture_default_str();
  command->add_option("--runs", args->runs, "Runs of each step (the median is reported)")
      ->capture_default_str();
  command->add_option("--data", args->data, "Work folder (kept); default: a temporary one");
  command->callback([args] {
    if (args->events < 1 || args->runs < 1) die("--events and --runs must be at least 1");
    run(*args);
  });
}

}  // namespace rembuk::bench
