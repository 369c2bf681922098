// The account store's own thin layer over libpq: statements with binary parameters and
// results (bytea and int8 only, so any bytes round-trip), a small pool of connections, and
// failures thrown as PgFailure, which the store turns into AccountError::storage.
//
// Apart from the event log's layer (kernel/store/src/pg_connection.hpp) because that one is
// private to rembuk_store and speaks the log's Error; the accounts know nothing of the log.
//
// A PgFailure's message is PostgreSQL's primary message and SQLSTATE only, never its DETAIL:
// the detail of a unique violation quotes the key (a code or token hash), and no message of
// the account store may carry one.
//
// Thread safety: a PgConnection is used by one thread at a time (libpq's rule); the Pool
// may be used from any thread and lends each connection to one borrower.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace rembuk::accounts::pg {

struct PgFailure {
  std::string message;
};

// Parameters of one statement, sent in binary with explicit types.
class Params {
 public:
  Params& int8(std::int64_t value);
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
  explicit Rows(pg_result* result) : result_(result) {}
  ~Rows();
  Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  Rows& operator=(Rows&&) = delete;

  int count() const;
  int affected() const;  // rows an INSERT/UPDATE/DELETE changed
  bool is_null(int row, int column) const;
  std::int64_t int8(int row, int column) const;  // throws PgFailure when not an int8
  std::string_view bytes(int row, int column) const;

 private:
  pg_result* result_;
};

class PgConnection {
 public:
  // Connects; throws PgFailure when the server cannot be reached.
  explicit PgConnection(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement; throws PgFailure.
  Rows exec(const std::string& sql, const Params& params = {});
  // Runs one or more statements without parameters; throws PgFailure.
  void exec_script(const std::string& sql);
  // Connected and outside any transaction: fit to be lent again.
  bool reusable() const;

 private:
  [[noreturn]] void throw_failure(pg_result* result);
  pg_conn* conn_;
};

// Connections borrowed one at a time, kept when sound, dropped when broken or left inside a
// transaction (closing the connection rolls that transaction back).
class Pool {
 public:
  explicit Pool(std::string conninfo, std::size_t max_idle = 4)
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

 private:
  void give_back(std::unique_ptr<PgConnection> conn);
  const std::string conninfo_;
  const std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mutex_
};

}  // namespace rembuk::accounts::pg
