// RawLmdb: LMDB with nothing of rembuk's on top — one environment, one database of u64
// big-endian keys written with MDB_APPEND. The yardstick the `append` scenario divides the
// log by, and what `lmdb-reference` measures the machine with.
//
// Thread safety: one thread at a time (the caller is the writer).
#pragma once

#include <lmdb.h>

#include <cstddef>
#include <string>

namespace rembuk::bench {

// How a commit reaches the disk.
enum class RawSync {
  two_syncs,  // LMDB's default: the data pages synced, then the meta page written O_DSYNC
  one_sync,   // MDB_NOMETASYNC: the data sync only; the meta page becomes durable with the
              // next sync of the file (as rembuk's log commits)
  none,       // MDB_NOSYNC
};

class RawLmdb {
 public:
  // Creates `path` if needed. A failure ends the bench with a message (it is not a library).
  RawLmdb(const std::string& path, RawSync sync);
  ~RawLmdb();
  RawLmdb(const RawLmdb&) = delete;
  RawLmdb& operator=(const RawLmdb&) = delete;

  // One write transaction of `count` puts of `value` under the next keys; returns the
  // microseconds spent in mdb_txn_commit (page writes and syncs).
  double commit(std::size_t count, const std::string& value);

  // fdatasync of the data file: what makes a one_sync commit's meta page durable when no
  // commit follows it.
  void sync();

  long written() const { return written_; }

 private:
  MDB_env* env_ = nullptr;
  MDB_dbi dbi_ = 0;
  long written_ = 0;
};

}  // namespace rembuk::bench
