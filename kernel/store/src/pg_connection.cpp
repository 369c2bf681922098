#include "pg_connection.hpp"

#include <libpq-fe.h>

#include <cstring>
#include <limits>

namespace rembuk::store::pg {
namespace {

constexpr unsigned int8_oid = 20;
constexpr unsigned bytea_oid = 17;

std::string big_endian(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Params& Params::int8(std::int64_t value) {
  values_.push_back(big_endian(static_cast<std::uint64_t>(value)));
  types_.push_back(int8_oid);
  return *this;
}

Params& Params::int8(std::uint64_t value) {
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  return int8(static_cast<std::int64_t>(value > max ? max : value));
}

Params& Params::bytea(std::string_view bytes) {
  values_.emplace_back(bytes);
  types_.push_back(bytea_oid);
  return *this;
}

Rows::Rows(pg_result* result) : result_(result) {}
Rows::~Rows() {
  if (result_ != nullptr) PQclear(result_);
}
int Rows::count() const { return PQntuples(result_); }
bool Rows::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::int64_t Rows::int8(int row, int column) const {
  const auto bytes = view(row, column);
  if (bytes.size() != 8) throw PgFailure{Error{ErrorCode::corrupt, "an int8 column is not 8 bytes"}};
  std::uint64_t v = 0;
  for (const char c : bytes) v = (v << 8) | static_cast<std::uint8_t>(c);
  return static_cast<std::int64_t>(v);
}

std::string Rows::bytea(int row, int column) const { return std::string(view(row, column)); }

std::string_view Rows::view(int row, int column) const {
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

PgConnection::PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    throw PgFailure{Error{ErrorCode::io_error, "cannot connect to PostgreSQL: " + why}, true};
  }
  // Notices (e.g. "relation already exists, skipping") are not errors; keep stderr quiet.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool PgConnection::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

int PgConnection::socket() const { return PQsocket(conn_); }

void PgConnection::throw_failure(pg_result* result, std::string_view what) {
  std::string message = std::string(what) + ": ";
  message += result ? trimmed(PQresultErrorMessage(result)) : trimmed(PQerrorMessage(conn_));
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  ErrorCode code = ErrorCode::io_error;
  // 53100 disk_full, 53400 configuration_limit_exceeded is not; only a full disk counts.
  if (state != nullptr && std::strcmp(state, "53100") == 0) code = ErrorCode::storage_full;
  if (result) PQclear(result);
  throw PgFailure{Error{code, std::move(message)}, PQstatus(conn_) != CONNECTION_OK};
}

Rows PgConnection::exec(const std::string& sql, const Params& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  values.reserve(params.size());
  for (const auto& v : params.values_) {
    values.push_back(v.data());
    lengths.push_back(static_cast<int>(v.size()));
    formats.push_back(1);
  }
  pg_result* result = PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()),
                                   params.types_.data(), values.data(), lengths.data(),
                                   formats.data(), 1);
  const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw_failure(result, "query failed");
  return Rows(result);
}

void PgConnection::exec_script(const std::string& sql) {
  pg_result* result = PQexec(conn_, sql.c_str());
  const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw_failure(result, "statement failed");
  PQclear(result);
}

std::vector<std::string> PgConnection::take_notifications() {
  if (PQconsumeInput(conn_) == 0) throw_failure(nullptr, "LISTEN connection");
  std::vector<std::string> out;
  while (PGnotify* n = PQnotifies(conn_)) {
    out.emplace_back(n->extra ? n->extra : "");
    PQfreemem(n);
  }
  return out;
}

Pool::Lease Pool::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
  }
  return Lease(*this, std::make_unique<PgConnection>(conninfo_));
}

void Pool::give_back(std::unique_ptr<PgConnection> conn) {
  if (!conn || !conn->healthy()) return;  // a broken or mid-transaction connection is dropped
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(conn));
}

void Pool::clear() {
  std::lock_guard lock(mutex_);
  idle_.clear();
}

std::string table(std::string_view schema, std::string_view name) {
  return "\"" + std::string(schema) + "\".\"" + std::string(name) + "\"";
}

}  // namespace rembuk::store::pg
