// PostgresEventLog: the EventLog on a PostgreSQL database, shared by several rembuk nodes.
//
// Same contract as the LMDB log (event_log.hpp), and the same records and hash chain
// (docs/event-record.md, "PostgreSQL"): `verify` means the same thing on both.
//
// - Positions stay global and gapless across nodes: an append transaction first locks the
//   single row of `log_head` (SELECT … FOR UPDATE), which holds the last position and hash.
//   The lock lives only inside that one transaction; nothing is locked across requests.
// - Expected revisions and command ids are checked inside that transaction, so two nodes
//   appending to one stream at once cannot both win: the second sees the first's commit.
// - Group commit per node: one writer thread per log takes the queued appends and commits
//   them in one transaction (like the LMDB writer).
// - Subscriptions: every commit NOTIFYs `<schema>_log` with its last position; each node
//   LISTENs and wakes its subscriptions, which read what they miss from `events` by position,
//   so delivery has no gap and no duplicate whichever node committed.
// - Durability is PostgreSQL's: an append completes after COMMIT returned.
//
// A build without libpq still has these declarations; opening then fails with io_error.
// Thread safety: as EventLog.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "rembuk/store/event_log.hpp"
#include "rembuk/store/lmdb_event_log.hpp"  // CommitStats

namespace rembuk::store {

struct PostgresOptions {
  // A libpq connection string or URI, e.g. "postgresql://rembuk@127.0.0.1:5432/rembuk".
  std::string conninfo;
  // The schema holding the log's tables ([a-z0-9_], 1..40 characters). Several logs can
  // share one database under different schemas (the tests do).
  std::string schema = "rembuk";
  std::size_t max_batch_appends = 1024;  // appends committed in one transaction, at most
  // Commit time source, microseconds since the Unix epoch. Empty: the system clock.
  std::function<std::int64_t()> clock;
  // false: opening fails with io_error when the schema holds no log yet (rembuk verify/log).
  bool create_if_missing = true;
};

// True when this build has the PostgreSQL backend (libpq was found).
bool postgres_backend_available();

// True for "postgres://…" and "postgresql://…".
bool is_postgres_url(std::string_view store);

StoreResult<std::unique_ptr<EventLog>> open_postgres_event_log(const PostgresOptions& options);

// The writer's counters. REQUIRES: `log` was returned by open_postgres_event_log.
CommitStats postgres_commit_stats(const EventLog& log);

}  // namespace rembuk::store
