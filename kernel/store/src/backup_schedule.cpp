#include "rembuk/store/backup_schedule.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <vector>

namespace rembuk::store {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view file_prefix = "rembuk-";
constexpr std::string_view file_suffix = ".rembuk-backup";

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_scheduled_archive(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.size() > file_prefix.size() + file_suffix.size() &&
         name.starts_with(file_prefix) && name.ends_with(file_suffix);
}

// The scheduled archives in `dir`, oldest first (their names sort by time).
std::vector<fs::path> archives_in(const std::string& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && is_scheduled_archive(entry.path())) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::int64_t> file_time(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::int64_t>(st.st_mtime);
}

std::string archive_name(std::int64_t unix_s) {
  const std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return std::string(file_prefix) + text + std::string(file_suffix);
}

}  // namespace

std::optional<std::chrono::seconds> parse_backup_interval(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t n = 0;
  for (const char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9' || n > 100'000'000) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n <= 0) return std::nullopt;
  switch (text.back()) {
    case 's': return std::chrono::seconds(n);
    case 'm': return std::chrono::seconds(n * 60);
    case 'h': return std::chrono::seconds(n * 3600);
    case 'd': return std::chrono::seconds(n * 86400);
    default: return std::nullopt;
  }
}

StoreResult<std::unique_ptr<BackupSchedule>> BackupSchedule::start(BackupScheduleOptions options) {
  if (options.keep == 0) return fail(Error{ErrorCode::invalid_argument, "--backup-keep must be at least 1"});
  if (options.every.count() <= 0) {
    return fail(Error{ErrorCode::invalid_argument, "--backup-every must be positive"});
  }
  if (!options.make || options.dir.empty()) {
    return fail(Error{ErrorCode::invalid_argument, "--backup-every needs --backup-dir"});
  }
  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec) {
    return fail(Error{ErrorCode::io_error, "cannot create " + options.dir + ": " + ec.message()});
  }
  return std::unique_ptr<BackupSchedule>(new BackupSchedule(std::move(options)));
}

BackupSchedule::BackupSchedule(BackupScheduleOptions options) : options_(std::move(options)) {
  const auto existing = archives_in(options_.dir);
  if (!existing.empty()) stats_.last_success_unix_s = file_time(existing.back());
  thread_ = std::thread([this] { run(); });
}

BackupSchedule::~BackupSchedule() { stop(); }

void BackupSchedule::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

BackupScheduleStats BackupSchedule::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

std::string BackupSchedule::metrics_text() const {
  const auto s = stats();
  const std::int64_t age = s.last_success_unix_s ? now_s() - *s.last_success_unix_s : -1;
  std::string out;
  out += "# HELP rembuk_backup_last_success_age_seconds Seconds since the last good backup of "
         "the schedule (-1: none yet).\n"
         "# TYPE rembuk_backup_last_success_age_seconds gauge\n"
         "rembuk_backup_last_success_age_seconds " + std::to_string(age) + "\n";
  out += "# HELP rembuk_backup_last_success_timestamp_seconds Unix time of the last good backup "
         "(0: none yet).\n"
         "# TYPE rembuk_backup_last_success_timestamp_seconds gauge\n"
         "rembuk_backup_last_success_timestamp_seconds " +
         std::to_string(s.last_success_unix_s.value_or(0)) + "\n";
  out += "# HELP rembuk_backup_successes_total Scheduled backups written by this process.\n"
         "# TYPE rembuk_backup_successes_total counter\n"
         "rembuk_backup_successes_total " + std::to_string(s.successes) + "\n";
  out += "# HELP rembuk_backup_failures_total Scheduled backups that failed in this process.\n"
         "# TYPE rembuk_backup_failures_total counter\n"
         "rembuk_backup_failures_total " + std::to_string(s.failures) + "\n";
  return out;
}

void BackupSchedule::run() {
  std::unique_lock lock(mu_);
  std::chrono::seconds retry = std::min<std::chrono::seconds>(options_.every, std::chrono::minutes(10));
  while (!stopping_) {
    const std::int64_t due = stats_.last_success_unix_s
                                 ? *stats_.last_success_unix_s + options_.every.count()
                                 : 0;
    const std::int64_t after_failure =
        stats_.failures > 0 && last_failure_s_ > 0 ? last_failure_s_ + retry.count() : 0;
    const std::int64_t at = std::max(due, after_failure);
    const std::int64_t now = now_s();
    if (at > now) {
      wake_.wait_for(lock, std::chrono::seconds(at - now));
      continue;
    }
    lock.unlock();
    make_one();
    lock.lock();
  }
}

void BackupSchedule::make_one() {
  const std::int64_t started = now_s();
  const auto path = (fs::path(options_.dir) / archive_name(started)).string();
  auto made = options_.make(path);
  {
    std::lock_guard lock(mu_);
    if (made) {
      ++stats_.successes;
      stats_.last_events = made->events;
      stats_.last_success_unix_s = file_time(path).value_or(started);
    } else {
      ++stats_.failures;
      stats_.last_error = made.error().message;
      last_failure_s_ = now_s();
    }
  }
  if (!made) {
    if (options_.report) options_.report("scheduled backup failed: " + made.error().message);
    return;
  }
  if (options_.report) {
    options_.report("scheduled backup " + path + ": " + std::to_string(made->events) + " events");
  }
  prune();
}

void BackupSchedule::prune() {
  auto existing = archives_in(options_.dir);
  while (existing.size() > options_.keep) {
    std::error_code ec;
    fs::remove(existing.front(), ec);
    existing.erase(existing.begin());
  }
}

}  // namespace rembuk::store
