// LmdbEventLog: the embedded EventLog on one LMDB environment (one folder).
//
// One writer thread drains a queue of appends and commits many of them in one write
// transaction (group commit); readers use their own read transactions and never block the
// writer. The map grows by itself when full. Stale reader slots are cleared at open.
// See docs/event-record.md for the named databases and the record format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

enum class Durability {
  sync,    // every commit reaches the disk before its appends complete (default)
  nosync,  // commits are not fsynced: a machine crash may lose the last ones (tests, benches)
};

// Durability::sync: how a commit's meta page is made durable before its callers are told.
enum class MetaSync {
  next_commit,  // by the next commit's data sync, or an explicit sync when nothing is queued
                // (one sync per commit; callers wait for the next commit too). The default.
  at_once,      // by an explicit sync right after the commit (two syncs per commit; callers
                // wait for the second sync only)
};

struct LmdbOptions {
  std::string path;                              // folder; created if missing (see below)
  Durability durability = Durability::sync;
  MetaSync meta_sync = MetaSync::next_commit;    // an addition to the contract
  std::size_t initial_map_size = 64u << 20;      // bytes; grows by doubling when full
  std::size_t max_batch_appends = 4096;          // appends committed in one transaction, at most
  // Durability::sync: bytes of the data file kept written with zeros past its used end, so a
  // commit's sync carries no file-system metadata (docs/event-record.md, "The file ahead").
  // 0: none; LMDB extends the file at each commit. An addition to the contract.
  std::size_t reserve_bytes = 64u << 20;
  // Commit time source, microseconds since the Unix epoch. Empty: the system clock.
  std::function<std::int64_t()> clock;
  // false: opening fails with ErrorCode::io_error when `path` holds no log yet, instead of
  // creating an empty one (for tools such as `rembuk verify`). An addition to the contract.
  bool create_if_missing = true;
};

class LmdbEventLog;

// Counters of an LMDB log's writer, for the benchmark and metrics (an addition to the
// original contract).
struct CommitStats {
  std::uint64_t commits = 0;      // write transactions that carried appends
  std::uint64_t appends = 0;      // appends they settled (written, duplicate, wrong revision)
  std::uint64_t map_growths = 0;  // times the map was doubled
  // mdb_env_sync calls of their own (Durability::sync): a commit's meta page is made durable
  // by the next commit's data sync, or by one of these when nothing else is queued.
  std::uint64_t explicit_syncs = 0;
  std::size_t map_size = 0;       // current map size, bytes
  // The file ahead (LmdbOptions::reserve_bytes): zero-filling steps done, write transactions
  // that waited for one, and the bytes written past the used end now.
  std::uint64_t reserve_steps = 0;
  std::uint64_t reserve_waits = 0;
  std::uint64_t reserved_ahead = 0;
  // Where an append's time went from submit() to its callback, summed over `timed_appends`
  // (every append that reached the writer), in microseconds of the steady clock:
  //   queue:   waiting for the writer (the commit in progress, and the batch's turn);
  //   commit:  its write transaction, checks, puts and the data sync;
  //   hold:    after its commit, until a later sync made the commit's meta page durable
  //            (Durability::sync; about zero with nosync);
  //   handoff: from release to its callback running on the completion thread.
  std::uint64_t timed_appends = 0;
  std::uint64_t queue_us = 0;
  std::uint64_t commit_us = 0;
  std::uint64_t hold_us = 0;
  std::uint64_t handoff_us = 0;
};

// The commit counters and the phases above in the Prometheus text format
// (rembuk_log_commits_total, rembuk_log_ack_phase_seconds_total{phase=…}, …), for /metrics.
// Empty for a log that is not LMDB.
std::string commit_metrics_text(const EventLog& log);

// REQUIRES: `log` was returned by open_lmdb_event_log.
CommitStats commit_stats(const EventLog& log);

// How far a verify has got: events checked of those in the log when it started, and their
// record bytes.
struct VerifyProgress {
  Position events_done = 0;
  Position events_total = 0;
  std::uint64_t bytes_done = 0;
};
struct VerifyOptions {
  unsigned threads = 0;  // threads checking ranges of positions at once; 0: one per core
  std::uint64_t range_positions = 0;  // positions per range; 0: 32,768 (tests use a few)
  // Called about every 50 ms on the calling thread while the walk runs; may be empty.
  std::function<void(const VerifyProgress&)> progress;
};
// EventLog::verify() of an LMDB log (which is this with default options), with its threads
// and progress chosen. REQUIRES: `log` was returned by open_lmdb_event_log.
VerifyReport verify_lmdb_log(EventLog& log, const VerifyOptions& options);

// Opens (creating if needed, unless !options.create_if_missing) the log in options.path.
StoreResult<std::unique_ptr<EventLog>> open_lmdb_event_log(const LmdbOptions& options);

}  // namespace rembuk::store
