#include "pg_client.hpp"

#include <libpq-fe.h>

#include <cstdlib>

namespace rembuk::accounts::pg {
namespace {

constexpr unsigned kInt8Oid = 20;
constexpr unsigned kByteaOid = 17;

std::string trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Params& Params::int8(std::int64_t value) {
  auto v = static_cast<std::uint64_t>(value);
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  values_.push_back(std::move(out));
  types_.push_back(kInt8Oid);
  return *this;
}

Params& Params::bytea(std::string_view bytes) {
  values_.emplace_back(bytes);
  types_.push_back(kByteaOid);
  return *this;
}

Rows::~Rows() {
  if (result_ != nullptr) PQclear(result_);
}

int Rows::count() const { return PQntuples(result_); }

int Rows::affected() const { return std::atoi(PQcmdTuples(result_)); }

bool Rows::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::int64_t Rows::int8(int row, int column) const {
  const auto b = bytes(row, column);
  if (b.size() != 8) throw PgFailure{"a bigint column is not 8 bytes"};
  std::uint64_t v = 0;
  for (const char c : b) v = (v << 8) | static_cast<std::uint8_t>(c);
  return static_cast<std::int64_t>(v);
}

std::string_view Rows::bytes(int row, int column) const {
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

PgConnection::PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    // libpq's connection messages name host, port and user, never the password.
    const std::string why = conn_ != nullptr ? trimmed(PQerrorMessage(conn_)) : "out of memory";
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
    throw PgFailure{"cannot connect to PostgreSQL: " + why};
  }
  // Notices ("relation already exists, skipping") are not errors; keep stderr quiet.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool PgConnection::reusable() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

void PgConnection::throw_failure(pg_result* result) {
  std::string message;
  if (result != nullptr && PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) != nullptr) {
    message = trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) {
      message += std::string(" (SQLSTATE ") + state + ")";
    }
  } else {
    message = trimmed(PQerrorMessage(conn_));  // no result: the connection broke
  }
  if (result != nullptr) PQclear(result);
  throw PgFailure{std::move(message)};
}

Rows PgConnection::exec(const std::string& sql, const Params& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const auto& v : params.values_) {
    values.push_back(v.data());
    lengths.push_back(static_cast<int>(v.size()));
    formats.push_back(1);
  }
  pg_result* result =
      PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), params.types_.data(),
                   values.data(), lengths.data(), formats.data(), 1);
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw_failure(result);
  return Rows(result);
}

void PgConnection::exec_script(const std::string& sql) {
  pg_result* result = PQexec(conn_, sql.c_str());
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw_failure(result);
  PQclear(result);
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
  if (!conn || !conn->reusable()) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(conn));
}

}  // namespace rembuk::accounts::pg
