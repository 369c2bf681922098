#include "file_reserve.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "rembuk/common/thread_name.hpp"

namespace rembuk::store {
namespace {

// statfs f_type values (linux/magic.h): memory file systems, where fdatasync costs nothing.
constexpr long kTmpfsMagic = 0x01021994;
constexpr long kRamfsMagic = 0x858458f6;

std::uint64_t round_up(std::uint64_t value, std::uint64_t unit) {
  return (value + unit - 1) / unit * unit;
}

// O_DIRECT wants the buffer aligned to the device's block; 4096 covers every common one.
void* aligned_zeros(std::size_t size) {
  void* p = std::aligned_alloc(4096, size);
  if (p) std::memset(p, 0, size);
  return p;
}

}  // namespace

void FileReserve::FreeDeleter::operator()(void* p) const { std::free(p); }

std::unique_ptr<FileReserve> FileReserve::start(const std::string& data_file,
                                                std::uint64_t reserve_bytes,
                                                std::size_t page_size,
                                                std::function<std::uint64_t()> used_end_now,
                                                OpenLock& lock) {
  if (page_size == 0 || reserve_bytes < 16 * page_size) return nullptr;
  struct statfs volume {};
  const auto dir = std::filesystem::path(data_file).parent_path();
  if (::statfs(dir.c_str(), &volume) != 0) return nullptr;
  if (static_cast<long>(volume.f_type) == kTmpfsMagic ||
      static_cast<long>(volume.f_type) == kRamfsMagic) {
    return nullptr;
  }
  const int fd = ::open(data_file.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
  if (fd < 0) return nullptr;  // EINVAL: no direct I/O here
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<FileReserve>(new FileReserve(fd, static_cast<std::uint64_t>(st.st_size),
                                                      reserve_bytes, page_size,
                                                      std::move(used_end_now), lock));
}

FileReserve::FileReserve(int fd, std::uint64_t file_size, std::uint64_t reserve_bytes,
                         std::size_t page_size, std::function<std::uint64_t()> used_end_now,
                         OpenLock& lock)
    : fd_(fd),
      reserve_bytes_(reserve_bytes),
      step_(round_up(std::min<std::uint64_t>(reserve_bytes / 8, chunk_), page_size)),
      page_size_(page_size),
      used_end_now_(std::move(used_end_now)),
      lock_(lock),
      zeros_(aligned_zeros(chunk_)),
      used_end_(used_end_now_()),
      reserved_end_(std::max(file_size, used_end_)),
      thread_([this] {
        name_this_thread("rembuk-reserve");
        run();
      }) {}

FileReserve::~FileReserve() {
  {
    std::lock_guard guard(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  ::close(fd_);
}

std::uint64_t FileReserve::growth_bound(std::size_t appends, std::size_t events,
                                        std::uint64_t record_bytes, std::size_t page_size) {
  // Per append: four B-trees (events, stream_chunks, heads, commands), each a path of at most
  // 5 pages copied plus 6 from splits; per event a split of the events tree's last page and an
  // overflow page's header; the free list and main tree; the records' bytes twice over (a
  // value larger than a page gets overflow pages of its own, rounded up).
  const std::uint64_t pages = 16 + 44 * static_cast<std::uint64_t>(appends) +
                              7 * static_cast<std::uint64_t>(events);
  return pages * page_size + 2 * record_bytes;
}

FileReserve::Writing::Writing(FileReserve* reserve,
                              const std::function<std::uint64_t()>& used_end,
                              std::uint64_t bound)
    : reserve_(reserve) {
  if (reserve_) reserve_->before_write(used_end(), bound);
}

FileReserve::Writing::~Writing() {
  if (reserve_) reserve_->done_writing();
}

void FileReserve::Writing::committed(const std::function<std::uint64_t()>& used_end) {
  if (reserve_) reserve_->after_commit(used_end());
}

void FileReserve::before_write(std::uint64_t used_end, std::uint64_t bound) {
  std::unique_lock guard(mutex_);
  used_end_ = std::max(used_end_, used_end);
  reserved_end_ = std::max(reserved_end_, used_end_);
  const std::uint64_t reach =
      bound >= unbounded - used_end_ ? unbounded : used_end_ + bound;
  if (step_from_ != 0 && reach > step_from_) {
    ++stats_.writer_waits;
    cv_.wait(guard, [&] { return step_from_ == 0 || reach <= step_from_; });
  }
  writing_until_ = reach;
}

void FileReserve::done_writing() {
  bool was_unbounded = false;
  {
    std::lock_guard guard(mutex_);
    was_unbounded = writing_until_ == unbounded;
    writing_until_ = 0;
  }
  if (was_unbounded) cv_.notify_all();  // the thread waits for such a transaction to end
}

void FileReserve::after_commit(std::uint64_t used_end) {
  bool wake = false;
  {
    std::lock_guard guard(mutex_);
    used_end_ = std::max(used_end_, used_end);
    reserved_end_ = std::max(reserved_end_, used_end_);  // LMDB extended the file itself
    const auto now = std::chrono::steady_clock::now();
    if (!committed_) {
      committed_ = true;
      window_start_ = now;
      window_used_ = used_end_;
    } else if (now - window_start_ >= kRateWindow) {
      const double seconds = std::chrono::duration<double>(now - window_start_).count();
      recent_growth_ = static_cast<std::uint64_t>(
          static_cast<double>(used_end_ - window_used_) / seconds * kAheadSeconds);
      window_start_ = now;
      window_used_ = used_end_;
    }
    wake = wanted();
  }
  if (wake) cv_.notify_all();
}

FileReserve::Stats FileReserve::stats() const {
  std::lock_guard guard(mutex_);
  Stats s = stats_;
  s.ahead = reserved_end_ - used_end_;  // reserved_end_ >= used_end_ always
  s.step_from = step_from_;
  return s;
}

std::uint64_t FileReserve::ahead_target() const {
  return std::clamp<std::uint64_t>(std::max(used_end_, recent_growth_),
                                   std::min<std::uint64_t>(kMinAhead, reserve_bytes_),
                                   reserve_bytes_);
}

bool FileReserve::wanted() const {
  return committed_ && !stats_.stopped && reserved_end_ < used_end_ + ahead_target() / 2;
}

void FileReserve::run() {
  if (!zeros_) {
    std::lock_guard guard(mutex_);
    stats_.stopped = true;
    return;
  }
  std::unique_lock guard(mutex_);
  for (;;) {
    cv_.wait(guard, [&] { return stopping_ || wanted(); });
    while (!stopping_ && reserved_end_ < used_end_ + ahead_target()) {
      if (writing_until_ == unbounded) {
        cv_.wait(guard, [&] { return stopping_ || writing_until_ != unbounded; });
        continue;
      }
      guard.unlock();
      // The open lock is exclusive for one step at a time, so an open elsewhere (rembuk
      // verify beside a busy server) waits for one step at most.
      if (!lock_.try_exclusive()) {
        // Another open of the log exists, which may write past our used end at any moment.
        guard.lock();
        cv_.wait_for(guard, std::chrono::seconds(1), [&] { return stopping_; });
        continue;
      }
      // A writer that came and went while the lock was shared may have moved the used end.
      const std::uint64_t used_now = used_end_now_();
      guard.lock();
      used_end_ = std::max(used_end_, used_now);
      reserved_end_ = std::max(reserved_end_, used_end_);
      if (writing_until_ == unbounded || reserved_end_ >= used_end_ + ahead_target()) {
        guard.unlock();
        lock_.shared();
        guard.lock();
        continue;
      }
      const std::uint64_t from = round_up(
          std::max({reserved_end_, used_end_ + ahead_target() / 16, writing_until_}),
          page_size_);
      const std::uint64_t to = from + step_;
      step_from_ = from;
      guard.unlock();
      const auto began = std::chrono::steady_clock::now();
      std::string error;
      const bool ok = zero(from, to, error);
      const auto took = std::chrono::steady_clock::now() - began;
      lock_.shared();
      guard.lock();
      step_from_ = 0;
      cv_.notify_all();
      if (!ok) {
        stats_.stopped = true;
        guard.unlock();
        std::fprintf(stderr,
                     "rembuk store: stopped writing the log's file ahead (%s); commits extend "
                     "it themselves from now on\n",
                     error.c_str());
        return;
      }
      reserved_end_ = std::max(reserved_end_, to);
      ++stats_.steps;
      // Half the disk's time at most: a commit's sync that queues behind a step waits for
      // one step, never for a run of them.
      cv_.wait_for(guard, took, [&] { return stopping_; });
    }
    if (stopping_) return;
  }
}

bool FileReserve::zero(std::uint64_t from, std::uint64_t to, std::string& error) {
  for (std::uint64_t at = from; at < to; at += chunk_) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_, to - at));
    const ssize_t written = ::pwrite(fd_, zeros_.get(), n, static_cast<off_t>(at));
    if (written != static_cast<ssize_t>(n)) {
      error = written < 0 ? std::strerror(errno) : "short write";
      return false;
    }
  }
  if (::fdatasync(fd_) != 0) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace rembuk::store
