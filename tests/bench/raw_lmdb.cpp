#include "raw_lmdb.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace rembuk::bench {
namespace {

void check(int rc, const char* what) {
  if (rc == MDB_SUCCESS) return;
  std::fprintf(stderr, "rembuk-bench: raw LMDB: %s: %s\n", what, mdb_strerror(rc));
  std::exit(1);
}

}  // namespace

RawLmdb::RawLmdb(const std::string& path, RawSync sync) {
  std::filesystem::create_directories(path);
  check(mdb_env_create(&env_), "mdb_env_create");
  check(mdb_env_set_mapsize(env_, std::size_t{1} << 30), "mdb_env_set_mapsize");
  check(mdb_env_set_maxdbs(env_, 2), "mdb_env_set_maxdbs");
  unsigned flags = MDB_NOTLS;  // as the log opens its environment
  if (sync == RawSync::one_sync) flags |= MDB_NOMETASYNC;
  if (sync == RawSync::none) flags |= MDB_NOSYNC;
  check(mdb_env_open(env_, path.c_str(), flags, 0644), "mdb_env_open");
  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
  check(mdb_dbi_open(txn, "events", MDB_CREATE, &dbi_), "mdb_dbi_open");
  check(mdb_txn_commit(txn), "mdb_txn_commit");
}

RawLmdb::~RawLmdb() { mdb_env_close(env_); }

double RawLmdb::commit(std::size_t count, const std::string& value) {
  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
  for (std::size_t i = 0; i < count; ++i) {
    ++written_;
    unsigned char key[8];
    for (int b = 0; b < 8; ++b) key[b] = static_cast<unsigned char>(written_ >> (56 - 8 * b));
    MDB_val k{sizeof key, key};
    MDB_val v{value.size(), const_cast<char*>(value.data())};
    check(mdb_put(txn, dbi_, &k, &v, MDB_APPEND), "mdb_put");
  }
  const auto began = std::chrono::steady_clock::now();
  check(mdb_txn_commit(txn), "mdb_txn_commit");
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - began)
      .count();
}

void RawLmdb::sync() { check(mdb_env_sync(env_, 1), "mdb_env_sync"); }

}  // namespace rembuk::bench
