// Opens a closed log's LMDB environment directly, to damage it on purpose in tests.
#pragma once

#include <gtest/gtest.h>
#include <lmdb.h>

#include <cstdint>
#include <functional>
#include <string>

namespace rembuk::store::testing {

inline std::string be64(std::uint64_t v) {
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
  return out;
}

// Runs `edit(txn)` in one write transaction of the environment at `path` (to change several
// databases at once). REQUIRES: no EventLog of this process has `path` open.
inline void edit_raw_txn(const std::string& path, const std::function<void(MDB_txn*)>& edit) {
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  ASSERT_EQ(mdb_env_set_maxdbs(env, 8), 0);
  ASSERT_EQ(mdb_env_open(env, path.c_str(), 0, 0644), 0);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
  edit(txn);
  ASSERT_EQ(mdb_txn_commit(txn), 0);
  mdb_env_close(env);
}

// Runs `edit(txn, dbi)` in one write transaction on database `db` of the environment at
// `path`. REQUIRES: no EventLog of this process has `path` open.
inline void edit_raw(const std::string& path, const char* db,
                     const std::function<void(MDB_txn*, MDB_dbi)>& edit) {
  edit_raw_txn(path, [&](MDB_txn* txn) {
    MDB_dbi dbi = 0;
    ASSERT_EQ(mdb_dbi_open(txn, db, 0, &dbi), 0);
    edit(txn, dbi);
  });
}

// Flips one byte of the value stored under `key` (offset counted from the value's start;
// negative: from its end).
inline void flip_byte(const std::string& path, const char* db, const std::string& key,
                      long offset) {
  edit_raw(path, db, [&](MDB_txn* txn, MDB_dbi dbi) {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{};
    ASSERT_EQ(mdb_get(txn, dbi, &k, &v), 0);
    std::string value(static_cast<const char*>(v.mv_data), v.mv_size);
    const auto at = offset >= 0 ? static_cast<std::size_t>(offset)
                                : value.size() - static_cast<std::size_t>(-offset);
    value[at] = static_cast<char>(value[at] ^ 0x01);
    MDB_val nv{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, dbi, &k, &nv, 0), 0);
  });
}

}  // namespace rembuk::store::testing
