// verify() for the PostgreSQL log: the checks of docs/event-record.md ("What verify checks")
// over the tables, in one REPEATABLE READ transaction (one consistent snapshot while other
// nodes keep appending).
#pragma once

#include <string_view>

#include "pg_connection.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

// Throws PgFailure when the database cannot be read.
VerifyReport verify_postgres_log(pg::PgConnection& conn, std::string_view schema);

}  // namespace rembuk::store
