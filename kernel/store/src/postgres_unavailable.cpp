// The PostgreSQL backend's entry points in a build without libpq: opening fails cleanly.
#include "rembuk/store/postgres_event_log.hpp"

namespace rembuk::store {

bool postgres_backend_available() { return false; }

StoreResult<std::unique_ptr<EventLog>> open_postgres_event_log(const PostgresOptions&) {
  return fail(Error{ErrorCode::io_error,
                    "this build has no PostgreSQL backend (libpq-dev was not installed)"});
}

CommitStats postgres_commit_stats(const EventLog&) { return {}; }

}  // namespace rembuk::store

// Backup and restore of a PostgreSQL log need the backend too.
#include "archive_loader.hpp"
#include "archive_source.hpp"
#include "store_errors.hpp"

namespace rembuk::store::archive {

std::unique_ptr<ArchiveSource> open_postgres_source(const PostgresOptions&) {
  throw StoreException(Error{ErrorCode::io_error,
                             "this build has no PostgreSQL backend (libpq-dev was not installed)"});
}

std::unique_ptr<LogLoader> open_postgres_loader(const PostgresOptions&) {
  throw StoreException(Error{ErrorCode::io_error,
                             "this build has no PostgreSQL backend (libpq-dev was not installed)"});
}

}  // namespace rembuk::store::archive
