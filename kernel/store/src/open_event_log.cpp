#include "rembuk/store/open_event_log.hpp"

#include "rembuk/store/lmdb_event_log.hpp"
#include "rembuk/store/postgres_event_log.hpp"

namespace rembuk::store {

bool is_postgres_url(std::string_view store) {
  return store.rfind("postgres://", 0) == 0 || store.rfind("postgresql://", 0) == 0;
}

std::string describe(const StoreLocation& location) {
  if (!is_postgres_url(location.store)) return location.data_dir;
  // postgresql://user:secret@host/db -> postgresql://user@host/db
  std::string url = location.store;
  const auto scheme_end = url.find("://") + 3;
  const auto at = url.find('@', scheme_end);
  if (at != std::string::npos) {
    const auto colon = url.find(':', scheme_end);
    if (colon != std::string::npos && colon < at) url.erase(colon, at - colon);
  }
  return url;
}

StoreResult<std::unique_ptr<EventLog>> open_event_log(const StoreLocation& location) {
  if (is_postgres_url(location.store)) {
    PostgresOptions options;
    options.conninfo = location.store;
    options.create_if_missing = location.create_if_missing;
    return open_postgres_event_log(options);
  }
  if (!location.store.empty() && location.store != "lmdb") {
    return fail(Error{ErrorCode::invalid_argument,
                      "unknown store '" + location.store + "' (lmdb or postgres://…)"});
  }
  LmdbOptions options;
  options.path = location.data_dir;
  options.create_if_missing = location.create_if_missing;
  return open_lmdb_event_log(options);
}

}  // namespace rembuk::store
