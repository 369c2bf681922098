// BackupSchedule: `rembuk serve --backup-every 24h --backup-dir D --backup-keep 14`. A thread
// of its own makes an archive (through the function it is given: write_archive of the served
// log) every `every`, as D/rembuk-<UTC time>.rembuk-backup, keeps the newest `keep` of those
// files and deletes older ones, and reports the age of the last good one for /metrics.
//
// The first backup is due `every` after the newest archive already in D (its file time), or
// at once when there is none. A failed backup (full disk, …) is counted and logged through
// `report`, leaves the older archives alone, and is retried after min(every, 10 minutes).
//
// Thread safety: metrics_text() and stats() from any thread; stop() once, from one thread
// (also done by the destructor). `make` and `report` run on the schedule's thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "rembuk/store/archive.hpp"

namespace rembuk::store {

struct BackupScheduleOptions {
  std::chrono::seconds every{24 * 3600};
  std::string dir;
  std::size_t keep = 14;  // at least 1
  // Makes one archive at the given path.
  std::function<StoreResult<ArchiveManifest>(const std::string& path)> make;
  // One line of what happened (for the server's stderr); may be empty.
  std::function<void(const std::string& line)> report;
};

struct BackupScheduleStats {
  std::optional<std::int64_t> last_success_unix_s;  // file time of the newest good archive
  std::uint64_t successes = 0;
  std::uint64_t failures = 0;
  std::uint64_t last_events = 0;  // events in the last archive this process made
  std::string last_error;
};

// Parses "90s", "30m", "24h", "7d" (a positive whole number and a unit).
std::optional<std::chrono::seconds> parse_backup_interval(std::string_view text);

class BackupSchedule {
 public:
  // Creates `dir` when missing; invalid_argument for keep == 0, every <= 0, no `make`.
  static StoreResult<std::unique_ptr<BackupSchedule>> start(BackupScheduleOptions options);
  ~BackupSchedule();
  BackupSchedule(const BackupSchedule&) = delete;
  BackupSchedule& operator=(const BackupSchedule&) = delete;

  BackupScheduleStats stats() const;
  // Prometheus text: rembuk_backup_last_success_age_seconds (-1 before the first),
  // rembuk_backup_last_success_timestamp_seconds, rembuk_backup_failures_total,
  // rembuk_backup_successes_total.
  std::string metrics_text() const;
  // Stops the thread; a backup in progress finishes first.
  void stop();

 private:
  explicit BackupSchedule(BackupScheduleOptions options);
  void run();
  void make_one();
  void prune();

  const BackupScheduleOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;             // GUARDED_BY(mu_)
  BackupScheduleStats stats_;         // GUARDED_BY(mu_)
  std::int64_t last_failure_s_ = 0;   // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace rembuk::store
