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

struct LmdbOptions {
  std::string path;                              // folder; created if missing (see below)
  Durability durability = Durability::sync;
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
};

// REQUIRES: `log` was returned by open_lmdb_event_log.
CommitStats commit_stats(const EventLog& log);

// Opens (creating if needed, unless !options.create_if_missing) the log in options.path.
StoreResult<std::unique_ptr<EventLog>> open_lmdb_event_log(const LmdbOptions& options);

}  // namespace rembuk::store
