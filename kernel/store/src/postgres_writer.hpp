// PostgresWriter: a Postgres log's one writer thread on this node (group commit).
//
// Appends queue up; the writer takes up to max_batch_appends of them and applies them in one
// transaction that begins by locking the single `log_head` row. That lock orders every
// node's appends (positions stay gapless and the chain linear) and is released by the COMMIT
// of that same transaction. Inside it each append is checked (command id, expected revision)
// against what the database holds plus the batch's earlier appends, as in the LMDB writer, so
// an append rejected for a stale revision writes nothing and does not disturb the rest.
// Callbacks run on the writer thread after COMMIT returned, one at a time, in commit order.
//
// A failed statement or a lost connection fails the whole batch with io_error (storage_full
// for a full disk) and nothing of it was written — except when the connection broke during
// COMMIT itself: then the outcome is unknown and the message says so; a retry with the same
// command id is safe. The next batch reconnects.
//
// Thread safety: submit() and stop() may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "commit_signal.hpp"
#include "pg_connection.hpp"
#include "rembuk/store/postgres_event_log.hpp"

namespace rembuk::store {

class PostgresWriter {
 public:
  // REQUIRES: signal outlives this object.
  PostgresWriter(const PostgresOptions& options, CommitSignal& signal);
  ~PostgresWriter();
  PostgresWriter(const PostgresWriter&) = delete;
  PostgresWriter& operator=(const PostgresWriter&) = delete;

  void submit(AppendRequest request, AppendCallback done);
  // Refuses new appends, commits the queued ones, ends the thread. Idempotent.
  void stop();
  CommitStats stats() const;

 private:
  struct Pending {
    AppendRequest request;
    AppendCallback done;
    std::optional<Error> refused;  // broke a limit: completes without touching the database
  };

  void run();
  std::vector<StoreResult<AppendResult>> commit(std::vector<Pending>& batch, Position& last);
  std::int64_t now_us() const;

  const PostgresOptions options_;
  CommitSignal& signal_;
  std::unique_ptr<pg::PgConnection> conn_;  // the writer thread's own

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;  // guarded by mutex_
  bool stopping_ = false;      // guarded by mutex_
  std::mutex stop_mutex_;

  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> appends_{0};

  std::thread thread_;  // last: starts once every member above exists
};

}  // namespace rembuk::store
