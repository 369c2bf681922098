// Small move-only RAII wrappers over the LMDB C API (in the spirit of lmdbxx).
//
// Failures throw LmdbError carrying LMDB's return code; the store catches it at its public
// edge and turns it into a StoreResult, so no exception leaves the library. "Not found" is
// not an error: get() and the cursor moves return false.
//
// Thread safety: a handle is used by one thread at a time. The environment is opened with
// MDB_NOTLS, so a read transaction belongs to its Txn object, not to the thread that began it.
#pragma once

#include <lmdb.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace rembuk::store::lmdb {

class LmdbError : public std::runtime_error {
 public:
  LmdbError(const char* operation, int code);
  int code() const { return code_; }

 private:
  int code_;
};

// Throws LmdbError when rc != MDB_SUCCESS.
void check(const char* operation, int rc);

inline MDB_val to_val(std::string_view bytes) {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};  // LMDB never writes input
}
inline std::string_view to_view(const MDB_val& val) {
  return {static_cast<const char*>(val.mv_data), val.mv_size};
}

class Env {
 public:
  Env();  // mdb_env_create
  ~Env();
  Env(Env&& other) noexcept;
  Env& operator=(Env&& other) noexcept;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  MDB_env* get() const { return env_; }

 private:
  MDB_env* env_ = nullptr;
};

// A transaction; aborted by the destructor unless committed.
class Txn {
 public:
  static Txn begin_read(MDB_env* env);
  static Txn begin_write(MDB_env* env);
  // Takes ownership of a transaction begun with mdb_txn_begin.
  static Txn adopt(MDB_txn* txn) { return Txn(txn); }
  ~Txn();
  Txn(Txn&& other) noexcept;
  Txn& operator=(Txn&& other) noexcept;
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  MDB_txn* get() const { return txn_; }

  // Throws LmdbError on failure; the transaction is gone either way.
  void commit();
  void abort() noexcept;

  // The value stays valid until the transaction ends (or, in a write transaction, the next
  // write). Returns false when the key is absent.
  bool get(MDB_dbi dbi, std::string_view key, std::string_view& value) const;
  void put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  // Returns false when the key was absent.
  bool del(MDB_dbi dbi, std::string_view key);

 private:
  explicit Txn(MDB_txn* txn) : txn_(txn) {}
  MDB_txn* txn_ = nullptr;
};

class Cursor {
 public:
  Cursor(const Txn& txn, MDB_dbi dbi);
  ~Cursor();
  Cursor(Cursor&& other) noexcept;
  Cursor& operator=(Cursor&& other) noexcept;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  // Moves the cursor; false when there is no such entry (MDB_NOTFOUND). For MDB_SET_RANGE
  // and MDB_SET_KEY, `key` is the input and is replaced by the key found.
  bool move(MDB_cursor_op op, std::string_view& key, std::string_view& value);
  bool move(MDB_cursor_op op) {
    std::string_view key;
    std::string_view value;
    return move(op, key, value);
  }
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }

 private:
  MDB_cursor* cursor_ = nullptr;
  std::string_view key_;
  std::string_view value_;
};

}  // namespace rembuk::store::lmdb
