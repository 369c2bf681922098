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
