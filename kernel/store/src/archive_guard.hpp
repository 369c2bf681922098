// guard_postgres: guarded() (store_errors.hpp) that also turns the PostgreSQL backend's
// failures into a failed StoreResult, for the archive's entry points, which use either store.
#pragma once

#include <utility>

#include "pg_connection.hpp"
#include "store_errors.hpp"

namespace rembuk::store::archive {

template <typename T, typename Body>
StoreResult<T> guard_postgres(Body&& body) {
  try {
    return guarded<T>(std::forward<Body>(body));
  } catch (const pg::PgFailure& f) {
    return fail(f.error);
  }
}

}  // namespace rembuk::store::archive
