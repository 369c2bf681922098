#include "postgres_schema.hpp"

namespace rembuk::store::pg {

std::string check_schema_name(std::string_view schema) {
  if (schema.empty() || schema.size() > 40) return "schema name must be 1..40 characters";
  if (schema[0] < 'a' || schema[0] > 'z') return "schema name must start with a-z";
  for (const char c : schema) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return "schema name may hold only a-z, 0-9 and _";
  }
  return {};
}

std::string channel(std::string_view schema) { return std::string(schema) + "_log"; }

void create_schema(PgConnection& conn, std::string_view schema) {
  const std::string s = "\"" + std::string(schema) + "\"";
  // Names and values are bytea: stream names and command ids are bytes, not text in the
  // database's encoding. `record` is the LMDB value byte for byte (canonical ‖ prev ‖ hash);
  // stream, revision and command_id are copies of its fields, for the indexes.
  conn.exec_script(
      "BEGIN;"
      "SELECT pg_advisory_xact_lock(hashtext('rembuk schema " + std::string(schema) + "'));"
      "CREATE SCHEMA IF NOT EXISTS " + s + ";"
      "CREATE TABLE IF NOT EXISTS " + s + ".events ("
      "  position bigint PRIMARY KEY, stream bytea NOT NULL, revision bigint NOT NULL,"
      "  command_id bytea NOT NULL, record bytea NOT NULL, UNIQUE (stream, revision));"
      "CREATE TABLE IF NOT EXISTS " + s + ".heads ("
      "  stream bytea PRIMARY KEY, revision bigint NOT NULL, last_position bigint NOT NULL);"
      "CREATE TABLE IF NOT EXISTS " + s + ".commands ("
      "  command_id bytea PRIMARY KEY, first_position bigint NOT NULL,"
      "  last_position bigint NOT NULL, first_revision bigint NOT NULL,"
      "  last_revision bigint NOT NULL);"
      "CREATE TABLE IF NOT EXISTS " + s + ".snapshots ("
      "  stream bytea NOT NULL, revision bigint NOT NULL, bytes bytea NOT NULL,"
      "  PRIMARY KEY (stream, revision));"
      // The newest snapshot's tail per stream (EventLog::put_snapshot).
      "CREATE TABLE IF NOT EXISTS " + s + ".snapshot_tails ("
      "  stream bytea NOT NULL, revision bigint NOT NULL, bytes bytea NOT NULL,"
      "  PRIMARY KEY (stream, revision));"
      "CREATE TABLE IF NOT EXISTS " + s + ".log_head ("
      "  id int PRIMARY KEY CHECK (id = 1), format int NOT NULL,"
      "  position bigint NOT NULL, hash bytea NOT NULL);"
      "INSERT INTO " + s + ".log_head VALUES (1, 1, 0, decode(repeat('00', 32), 'hex'))"
      "  ON CONFLICT (id) DO NOTHING;"
      "COMMIT;");
}

namespace {

bool table_exists(PgConnection& conn, std::string_view schema, std::string_view table) {
  Params p;
  p.bytea(std::string(schema) + "." + std::string(table));
  auto rows = conn.exec("SELECT to_regclass(convert_from($1, 'UTF8')) IS NOT NULL", p);
  // A boolean in binary format is one byte.
  return rows.count() == 1 && rows.view(0, 0) == std::string_view("\x01", 1);
}

}  // namespace

bool schema_exists(PgConnection& conn, std::string_view schema) {
  return table_exists(conn, schema, "log_head");
}

void upgrade_schema(PgConnection& conn, std::string_view schema) {
  if (table_exists(conn, schema, "snapshot_tails")) return;
  const std::string s(schema);
  conn.exec_script("CREATE TABLE IF NOT EXISTS " + s + ".snapshot_tails ("
                   "  stream bytea NOT NULL, revision bigint NOT NULL, bytes bytea NOT NULL,"
                   "  PRIMARY KEY (stream, revision));");
}

}  // namespace rembuk::store::pg
