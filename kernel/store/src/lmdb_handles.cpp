#include "lmdb_handles.hpp"

#include <utility>

namespace rembuk::store::lmdb {

LmdbError::LmdbError(const char* operation, int code)
    : std::runtime_error(std::string(operation) + ": " + mdb_strerror(code)), code_(code) {}

void check(const char* operation, int rc) {
  if (rc != MDB_SUCCESS) throw LmdbError(operation, rc);
}

Env::Env() { check("mdb_env_create", mdb_env_create(&env_)); }

Env::~Env() {
  if (env_ != nullptr) mdb_env_close(env_);
}

Env::Env(Env&& other) noexcept : env_(std::exchange(other.env_, nullptr)) {}

Env& Env::operator=(Env&& other) noexcept {
  if (this != &other) {
    if (env_ != nullptr) mdb_env_close(env_);
    env_ = std::exchange(other.env_, nullptr);
  }
  return *this;
}

Txn Txn::begin_read(MDB_env* env) {
  MDB_txn* txn = nullptr;
  check("mdb_txn_begin(read)", mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn));
  return Txn(txn);
}

Txn Txn::begin_write(MDB_env* env) {
  MDB_txn* txn = nullptr;
  check("mdb_txn_begin(write)", mdb_txn_begin(env, nullptr, 0, &txn));
  return Txn(txn);
}

Txn::~Txn() { abort(); }

Txn::Txn(Txn&& other) noexcept : txn_(std::exchange(other.txn_, nullptr)) {}

Txn& Txn::operator=(Txn&& other) noexcept {
  if (this != &other) {
    abort();
    txn_ = std::exchange(other.txn_, nullptr);
  }
  return *this;
}

void Txn::commit() {
  // mdb_txn_commit frees the transaction whether or not it succeeds.
  check("mdb_txn_commit", mdb_txn_commit(std::exchange(txn_, nullptr)));
}

void Txn::abort() noexcept {
  if (txn_ != nullptr) mdb_txn_abort(std::exchange(txn_, nullptr));
}

bool Txn::get(MDB_dbi dbi, std::string_view key, std::string_view& value) const {
  MDB_val k = to_val(key);
  MDB_val v{};
  const int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return false;
  check("mdb_get", rc);
  value = to_view(v);
  return true;
}

void Txn::put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = to_val(key);
  MDB_val v = to_val(value);
  check("mdb_put", mdb_put(txn_, dbi, &k, &v, flags));
}

bool Txn::del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = to_val(key);
  const int rc = mdb_del(txn_, dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  check("mdb_del", rc);
  return true;
}

Cursor::Cursor(const Txn& txn, MDB_dbi dbi) {
  check("mdb_cursor_open", mdb_cursor_open(txn.get(), dbi, &cursor_));
}

Cursor::~Cursor() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
}

Cursor::Cursor(Cursor&& other) noexcept
    : cursor_(std::exchange(other.cursor_, nullptr)), key_(other.key_), value_(other.value_) {}

Cursor& Cursor::operator=(Cursor&& other) noexcept {
  if (this != &other) {
    if (cursor_ != nullptr) mdb_cursor_close(cursor_);
    cursor_ = std::exchange(other.cursor_, nullptr);
    key_ = other.key_;
    value_ = other.value_;
  }
  return *this;
}

bool Cursor::move(MDB_cursor_op op, std::string_view& key, std::string_view& value) {
  MDB_val k = to_val(key);
  MDB_val v{};
  const int rc = mdb_cursor_get(cursor_, &k, &v, op);
  if (rc == MDB_NOTFOUND) return false;
  check("mdb_cursor_get", rc);
  key = key_ = to_view(k);
  value = value_ = to_view(v);
  return true;
}

}  // namespace rembuk::store::lmdb
