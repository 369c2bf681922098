// LogEnvironment: the LMDB environment of one log folder, its named databases, and the
// gate that lets the writer grow the map.
//
// mdb_env_set_mapsize may only be called while this process has no live transaction
// (lmdb.h). Every read transaction therefore holds the ResizeGate shared for its (short)
// life; the writer, which owns the only write transaction, takes the gate exclusively to
// resize after aborting its own transaction. The gate prefers the resizer: once it waits, new
// readers wait too, so a steady stream of reads cannot starve map growth.
//
// Thread safety: begin_read() from any thread. begin_write() and grow() only from the one
// writer thread. Never begin a read transaction while holding another one on the same
// thread (a pending resize would wait for the first while the second waits for the resize).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "lmdb_handles.hpp"
#include "open_lock.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::store {

struct Dbis {
  MDB_dbi events = 0;
  MDB_dbi stream_chunks = 0;
  MDB_dbi heads = 0;
  MDB_dbi commands = 0;
  MDB_dbi snapshots = 0;
  MDB_dbi snapshot_tails = 0;  // the newest snapshot's tail, per stream (keys.hpp)
  MDB_dbi meta = 0;
};

class ResizeGate {
 public:
  void enter_shared();
  // Another entry by a holder of the gate: does not wait for a pending resize, which cannot
  // start while the holder's entry is in (waiting would deadlock against it).
  void enter_shared_again();
  void leave_shared();
  // Waits until no reader is inside, runs `resize` with the gate closed, reopens it.
  template <typename F>
  void exclusive(F&& resize) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return !resizing_; });
    resizing_ = true;
    cv_.wait(lock, [&] { return readers_ == 0; });
    try {
      resize();
    } catch (...) {
      resizing_ = false;
      cv_.notify_all();
      throw;
    }
    resizing_ = false;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int readers_ = 0;        // guarded by mutex_
  bool resizing_ = false;  // guarded by mutex_
};

// A read transaction that keeps the resize gate held while it lives.
class ReadTxn {
 public:
  ReadTxn(ResizeGate& gate, lmdb::Txn txn) : gate_(&gate), txn_(std::move(txn)) {}
  ~ReadTxn() {
    txn_.abort();
    if (gate_ != nullptr) gate_->leave_shared();
  }
  ReadTxn(ReadTxn&& other) noexcept
      : gate_(std::exchange(other.gate_, nullptr)), txn_(std::move(other.txn_)) {}
  ReadTxn& operator=(ReadTxn&&) = delete;
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;

  const lmdb::Txn& txn() const { return txn_; }
  bool holds(const ResizeGate& gate) const { return gate_ == &gate; }

 private:
  ResizeGate* gate_;
  lmdb::Txn txn_;
};

class LogEnvironment {
 public:
  // Creates the folder if missing, opens the environment, clears stale reader slots, and
  // creates the named databases; a log of format 1 is converted to the current format
  // (keys.hpp) in one transaction. Throws LmdbError or StoreException.
  static std::unique_ptr<LogEnvironment> open(const LmdbOptions& options);

  ReadTxn begin_read();
  // Another read transaction begun while `held` (of this environment) lives, for another
  // thread to read through (MDB_NOTLS). It sees what `held` sees, or more recent commits.
  ReadTxn begin_read_beside(const ReadTxn& held);
  lmdb::Txn begin_write();
  // Doubles the map. REQUIRES: the calling (writer) thread has no live transaction.
  void grow();
  std::size_t map_size() const;

  // Turns a failed write into the store's Error. LMDB reports a write the file system cut
  // short as EIO ("short write, filesystem full?" in mdb_page_flush) rather than ENOSPC, so an
  // EIO while the volume holding the log has less than `low_space_bytes` free is storage_full.
  Error write_error(const lmdb::LmdbError& e) const;
  static constexpr std::uint64_t low_space_bytes = 4u << 20;

  const Dbis& dbis() const { return dbis_; }
  MDB_env* env() const { return env_.get(); }

  // Where the used part of the data file ends, in bytes, as of the last commit (of any
  // process): LMDB's last page + 1. Within a write transaction: where that one starts.
  std::uint64_t used_bytes();
  std::size_t page_size() const { return page_size_; }
  std::string data_file() const;
  OpenLock& open_lock() { return *open_lock_; }

 private:
  LogEnvironment() = default;
  void adopt_foreign_map_size();
  static void chunk_stream_index(lmdb::Txn& txn, const Dbis& d);

  std::unique_ptr<OpenLock> open_lock_;  // taken before the environment is opened
  lmdb::Env env_;
  Dbis dbis_;
  ResizeGate gate_;
  std::size_t page_size_ = 0;
};

}  // namespace rembuk::store
