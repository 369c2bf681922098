// GroupCommitter: the log's one writer thread.
//
// Appends queue up; the writer takes up to max_batch_appends of them and commits them in one
// LMDB write transaction (leveldb's BuildBatchGroup idea: while one commit is syncing, the
// next batch gathers). Each append is checked against the state the transaction sees, which
// includes the appends before it in the same batch, so a batch behaves exactly like its
// appends one after another; a rejected append writes nothing and does not disturb the rest.
// Callbacks run once the commit is durable (unless Durability::nosync), on a second
// log-owned thread (the completion thread), one at a time and in commit order, so that waking
// dozens of callers does not delay the next batch: the writer is already filling its next
// transaction while the previous batch's callers are told.
//
// One sync per commit, not two (Durability::sync). LMDB's own durable commit syncs the data
// pages, then writes the meta page that points at them through an O_DSYNC descriptor: two
// waits on the disk. The environment is opened with MDB_NOMETASYNC instead, so a commit syncs
// its data pages and writes its meta page without waiting; that meta page becomes durable with
// the next sync of the file, which under load is the next commit's own data sync. So a batch's
// callers are held until the next commit that wrote something has returned, or, when nothing
// else is queued, until an explicit mdb_env_sync. Crash consistency is LMDB's (a meta page is
// never durable before the pages it points at, because every data sync precedes its meta
// write); durability is unchanged: nobody is told "committed" before a sync covered it.
//
// Durability::sync: a FileReserve keeps the file written ahead of LMDB, so the data sync of a
// commit is a data write and a cache flush, without writing the file's new size and extents.
//
// MDB_MAP_FULL: abort, double the map, redo the batch; callers never see it.
// MDB_TXN_FULL (too many dirty pages): split the batch in halves and commit each.
//
// Other writes (snapshots) go through the same thread, each in its own transaction, so the
// map is only ever resized by this thread while it holds no transaction.
//
// Thread safety: submit(), write() and stop() may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

#include "commit_signal.hpp"
#include "file_reserve.hpp"
#include "lmdb_handles.hpp"
#include "log_environment.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::store {

class GroupCommitter {
 public:
  // REQUIRES: env and signal outlive this object.
  GroupCommitter(LogEnvironment& env, const LmdbOptions& options, CommitSignal& signal);
  ~GroupCommitter();  // stop()
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Checks the limits, then queues. A request that breaks one never reaches the writer: its
  // invalid_argument goes straight to the completion thread. After stop(), `done` gets
  // ErrorCode::closed at once, on the calling thread.
  void submit(AppendRequest request, AppendCallback done);

  // Runs `op` in a write transaction of its own on the writer thread and commits; blocks
  // until done. `op` may run more than once (after map growth), so it must be idempotent.
  StoreResult<Unit> write(std::function<void(lmdb::Txn&)> op);

  // Refuses new work, commits everything queued, ends the thread. Idempotent.
  void stop();

  CommitStats stats() const;

 private:
  struct PendingAppend {
    AppendRequest request;
    AppendCallback done;
    std::int64_t submitted_ns = 0;  // steady clock (CommitStats' phases)
  };
  struct PendingWrite {
    std::function<void(lmdb::Txn&)> op;
    std::function<void(StoreResult<Unit>)> done;
  };
  using Item = std::variant<PendingAppend, PendingWrite>;

  struct Completion {
    AppendCallback done;
    StoreResult<AppendResult> result;
    // Steady-clock stamps for CommitStats' phases; 0: not timed (refused before the writer).
    std::int64_t submitted_ns = 0;
    std::int64_t taken_ns = 0;
    std::int64_t committed_ns = 0;
    std::int64_t released_ns = 0;
  };

  void run();
  void run_completions();
  void complete(std::vector<Completion> completions);
  // Where a commit's callers go: told at once (nosync), or held until a sync covers the
  // commit. `wrote`: the commit carried data pages, so its data sync covered everything held
  // before it. `last_position` (0: none) is published to subscriptions when they are told.
  void settle(std::vector<Completion> completions, Position last_position, bool wrote);
  void release_held();
  // Syncs the file and tells the held callers; on failure they get io_error.
  void sync_held();
  StoreResult<Unit> sync_file();
  void fail_held(const Error& error);
  // Adds a delivered completion's phases to the counters (completion thread).
  void account(const Completion& c, std::int64_t told_ns);
  void commit_appends(std::vector<PendingAppend>& batch, std::size_t begin, std::size_t end,
                      std::int64_t taken_ns);
  // One attempt; throws LmdbError / StoreException and then has committed nothing.
  std::vector<StoreResult<AppendResult>> try_commit(std::vector<PendingAppend>& batch,
                                                    std::size_t begin, std::size_t end,
                                                    Position& last_position,
                                                    std::size_t& written);
  void fail_all(std::vector<PendingAppend>& batch, std::size_t begin, std::size_t end,
                const Error& error, std::int64_t taken_ns);
  // How far past the used end committing batch[begin, end) can write (FileReserve).
  std::uint64_t growth_bound(const std::vector<PendingAppend>& batch, std::size_t begin,
                             std::size_t end) const;
  void run_write(PendingWrite& write);
  // Doubles the map; false (with `error` set) when even that failed.
  bool grow(Error& error);
  std::int64_t now_us() const;

  LogEnvironment& env_;
  const std::function<std::uint64_t()> used_bytes_;  // env_.used_bytes()
  const std::size_t max_batch_;
  const bool hold_until_synced_;  // Durability::sync (see above)
  const bool sync_at_once_;       // MetaSync::at_once: sync after every commit that wrote
  const std::function<std::int64_t()> clock_;
  CommitSignal& signal_;

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Item> queue_;  // guarded by mutex_
  bool stopping_ = false;   // guarded by mutex_
  std::mutex stop_mutex_;   // serialises stop()

  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> appends_{0};
  std::atomic<std::uint64_t> growths_{0};
  std::atomic<std::uint64_t> explicit_syncs_{0};
  // Written by the completion thread only (CommitStats' phases), in nanoseconds.
  std::atomic<std::uint64_t> timed_appends_{0};
  std::atomic<std::uint64_t> queue_ns_{0};
  std::atomic<std::uint64_t> commit_ns_{0};
  std::atomic<std::uint64_t> hold_ns_{0};
  std::atomic<std::uint64_t> handoff_ns_{0};

  // Writer thread only: the results of commits whose meta page is not durable yet, in order.
  std::vector<std::vector<Completion>> held_;
  Position held_last_position_ = 0;

  std::mutex completion_mutex_;
  std::condition_variable completion_cv_;
  std::deque<std::vector<Completion>> completions_;  // guarded by completion_mutex_
  bool completions_done_ = false;                    // guarded by completion_mutex_

  // Writer thread only after construction; reset by stop() once the writer has ended.
  std::unique_ptr<FileReserve> reserve_;

  // Last: they start once every member above exists.
  std::thread completion_thread_;
  std::thread thread_;
};

}  // namespace rembuk::store
