// FileReserve: keeps the log's data file written with zeros ahead of what LMDB uses, so that a
// commit's sync carries no file-system metadata.
//
// Why: an fdatasync of pages inside a file writes them and flushes the disk's cache; of pages
// past its end it must also write the file's new size and extents (a journal commit on a
// journaling file system; the inode's own blocks on the project's VM, whose ext4 has no
// journal). There that is ~70 of ~255 µs per commit, and the slow part of the tail
// (docs/performance.md, "Event log"). Preallocating with fallocate() does not help: ext4
// then converts unwritten extents at each first write, a metadata write again. So
// a thread of its own (`rembuk-reserve`) writes real zeros, with O_DIRECT (so they never become
// dirty pages that a commit's fdatasync would have to write as well), and syncs them once per
// step, before LMDB gets there. LMDB overwrites them in place; to it they are just file.
//
// The rule that keeps it safe: nothing may zero a range LMDB is writing or has written.
// - This process's writer: each write transaction, once begun, declares an upper bound of how
//   far it can extend the file (Writing, growth_bound()); that waits while a step overlaps the
//   range. A step starts past the used end plus `gap`, and past the
//   bound of a transaction in progress, so it normally waits for nothing.
// - Other writers of the same log (another process, another open in this process): a step
//   runs only while OpenLock::try_exclusive() holds, i.e. while no other open exists, and it
//   first rereads the used end from LMDB's meta page, which a writer that came and went may
//   have moved.
// When zeros cannot help or cannot be written (tmpfs, no O_DIRECT, a full disk, an I/O error),
// the reserve stops and LMDB extends the file itself, as without it.
//
// Thread safety: Writing on the writer thread, one at a time; stats() from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "open_lock.hpp"

namespace rembuk::store {

class FileReserve {
 public:
  static constexpr std::uint64_t unbounded = std::numeric_limits<std::uint64_t>::max();

  struct Stats {
    std::uint64_t steps = 0;         // zero-filling steps done
    std::uint64_t writer_waits = 0;  // write transactions that waited for a step
    std::uint64_t ahead = 0;         // bytes written past the used end
    std::uint64_t step_from = 0;     // where the step zeroing now starts (0: none)
    bool stopped = false;            // an error ended it (see stderr)
  };

  // Starts the reserve for `data_file`: once this open has committed, it keeps bytes zeroed
  // past the used end (`used_end_now()`: LMDB's last page + 1): as many as the log already
  // uses or grew by in the last 2 s, between 1 MiB and `reserve_bytes`. nullptr when the file system gains
  // nothing from it (tmpfs) or cannot do it (no O_DIRECT). REQUIRES: `lock` outlives it.
  static std::unique_ptr<FileReserve> start(const std::string& data_file,
                                            std::uint64_t reserve_bytes, std::size_t page_size,
                                            std::function<std::uint64_t()> used_end_now,
                                            OpenLock& lock);
  ~FileReserve();  // ends the thread after the step in progress
  FileReserve(const FileReserve&) = delete;
  FileReserve& operator=(const FileReserve&) = delete;

  // The most a write transaction can extend the file by: every page it dirties is new in the
  // worst case (copy-on-write of each B-tree path, a split at each level), plus its records.
  static std::uint64_t growth_bound(std::size_t appends, std::size_t events,
                                    std::uint64_t record_bytes, std::size_t page_size);

  // One write transaction of the writer thread, from just after it began (so that `used_end`,
  // read from LMDB's meta page, is the one it extends) until it committed or was dropped.
  // Constructing it waits while a step is zeroing within `bound` bytes of the used end.
  // A null reserve makes every member a no-op.
  class Writing {
   public:
    Writing(FileReserve* reserve, const std::function<std::uint64_t()>& used_end,
            std::uint64_t bound);
    ~Writing();
    Writing(const Writing&) = delete;
    Writing& operator=(const Writing&) = delete;
    // The transaction committed; `used_end` is where the file's used part ends now.
    void committed(const std::function<std::uint64_t()>& used_end);

   private:
    FileReserve* reserve_;
  };

  Stats stats() const;

 private:
  FileReserve(int fd, std::uint64_t file_size, std::uint64_t reserve_bytes,
              std::size_t page_size, std::function<std::uint64_t()> used_end_now,
              OpenLock& lock);
  void before_write(std::uint64_t used_end, std::uint64_t bound);
  void done_writing();
  void after_commit(std::uint64_t used_end);
  void run();
  // REQUIRES (both): mutex_ held.
  std::uint64_t ahead_target() const;  // a step starts 1/16 of it past the used end
  bool wanted() const;
  // Writes zeros over [from, to) and syncs them; false (and why in `error`) when it failed.
  bool zero(std::uint64_t from, std::uint64_t to, std::string& error);

  struct FreeDeleter {
    void operator()(void* p) const;
  };

  const int fd_;
  // At most this much ahead. Otherwise as much as the log already holds or grew by in the last
  // kAheadSeconds, whichever is more, and at least kMinAhead: a small, quiet log (a test's, a
  // demo's) does not carry 64 MiB of zeros, and a young log under load gets its reserve at
  // once instead of committing into holes while it is small.
  const std::uint64_t reserve_bytes_;
  static constexpr std::uint64_t kMinAhead = 1u << 20;
  static constexpr double kAheadSeconds = 2.0;
  static constexpr std::chrono::milliseconds kRateWindow{250};
  const std::uint64_t step_;  // bytes per step (one sync each; at most chunk_)
  const std::size_t page_size_;
  const std::function<std::uint64_t()> used_end_now_;
  OpenLock& lock_;
  const std::unique_ptr<void, FreeDeleter> zeros_;  // chunk_ bytes, aligned for O_DIRECT
  // Bytes per write. Small, because a commit's sync that queues behind a step waits for its
  // write and for the disk to flush it (on a VM, the host's cache too).
  static constexpr std::size_t chunk_ = 256u << 10;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::uint64_t used_end_;             // guarded by mutex_
  std::uint64_t reserved_end_;         // guarded by mutex_
  std::uint64_t writing_until_ = 0;    // guarded by mutex_; 0: no transaction in progress
  std::uint64_t step_from_ = 0;        // guarded by mutex_; 0: no step in progress
  bool committed_ = false;             // guarded by mutex_; nothing is zeroed before a commit
  // Growth over the last window, guarded by mutex_ (after_commit measures it).
  std::chrono::steady_clock::time_point window_start_;
  std::uint64_t window_used_ = 0;
  std::uint64_t recent_growth_ = 0;    // bytes the log grows by in kAheadSeconds, lately
  bool stopping_ = false;              // guarded by mutex_
  Stats stats_;                        // guarded by mutex_ (ahead is computed)

  std::thread thread_;  // last: starts once every member above exists
};

}  // namespace rembuk::store
