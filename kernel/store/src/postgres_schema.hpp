// The tables of a PostgreSQL log (docs/event-record.md, "PostgreSQL") and their creation.
//
// Thread safety: free functions; each uses the connection it is given.
#pragma once

#include <string>
#include <string_view>

#include "pg_connection.hpp"

namespace rembuk::store::pg {

// nullopt-like: empty when `schema` is a usable name ([a-z0-9_], starts with a letter, ≤ 40).
std::string check_schema_name(std::string_view schema);

// The NOTIFY channel commits of this log announce their last position on.
std::string channel(std::string_view schema);

// Creates the schema and tables when missing (several nodes may race: an advisory lock
// serialises them). Throws PgFailure.
void create_schema(PgConnection& conn, std::string_view schema);

// True when the schema holds a log. Throws PgFailure.
bool schema_exists(PgConnection& conn, std::string_view schema);

// Adds to a log made by an older rembuk the tables it lacks (`snapshot_tails`); touches
// nothing when they are there. Throws PgFailure.
void upgrade_schema(PgConnection& conn, std::string_view schema);

}  // namespace rembuk::store::pg
