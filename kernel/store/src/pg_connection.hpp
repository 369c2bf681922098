// A thin RAII layer over one libpq connection: binary parameters and results, and failures
// turned into the store's Error values (ErrorCode::io_error, storage_full on a full disk).
//
// Thread safety: a PgConnection is used by one thread at a time (libpq's rule); the pool
// hands each connection to one borrower.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/store/event_log.hpp"

struct pg_conn;
struct pg_result;

namespace rembuk::store::pg {

// Parameters of one statement, all sent in binary with explicit types.
class Params {
 public:
  Params& int8(std::int64_t value);
  Params& int8(std::uint64_t value);  // clamped to INT64_MAX (revisions/positions never get there)
  Params& bytea(std::string_view bytes);
  std::size_t size() const { return values_.size(); }

 private:
  friend class PgConnection;
  std::vector<std::string> values_;
  std::vector<unsigned> types_;
};

// One statement's result (binary format). Columns are read by index.
class Rows {
 public:
  explicit Rows(pg_result* result);
  ~Rows();
  Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  Rows& operator=(Rows&&) = delete;

  int count() const;
  bool is_null(int row, int column) const;
  std::int64_t int8(int row, int column) const;
  std::string bytea(int row, int column) const;
  std::string_view view(int row, int column) const;

 private:
  pg_result* result_;
};

// Thrown inside the Postgres backend; every public entry point turns it into a StoreResult.
struct PgFailure {
  Error error;
  bool connection_lost = false;
};

class PgConnection {
 public:
  // Connects; throws PgFailure when the server cannot be reached.
  explicit PgConnection(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with binary parameters and results; throws PgFailure.
  Rows exec(const std::string& sql, const Params& params = {});
  // Runs one or more statements without parameters (text protocol); throws PgFailure.
  void exec_script(const std::string& sql);

  bool healthy() const;
  int socket() const;
  // Reads what the server sent and returns the payloads of the notifications received.
  // Throws PgFailure when the connection broke.
  std::vector<std::string> take_notifications();

 private:
  [[noreturn]] void throw_failure(pg_result* result, std::string_view what);
  pg_conn* conn_;
};

// Connections for readers: borrowed one at a time, returned when sound, dropped when broken.
class Pool {
 public:
  explicit Pool(std::string conninfo, std::size_t max_idle = 8)
      : conninfo_(std::move(conninfo)), max_idle_(max_idle) {}

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    ~Lease() { pool_.give_back(std::move(conn_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PgConnection& operator*() { return *conn_; }
    PgConnection* operator->() { return conn_.get(); }

   private:
    Pool& pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  Lease borrow();  // throws PgFailure
  void clear();

 private:
  void give_back(std::unique_ptr<PgConnection> conn);
  const std::string conninfo_;
  const std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mutex_
};

// The SQL name of a table in the log's schema, e.g. "rembuk"."events".
std::string table(std::string_view schema, std::string_view name);

}  // namespace rembuk::store::pg
