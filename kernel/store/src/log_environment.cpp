#include "log_environment.hpp"

#include <sys/statvfs.h>

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "keys.hpp"
#include "store_errors.hpp"

namespace rembuk::store {

Error error_from_lmdb(const lmdb::LmdbError& e) {
  if (e.code() == ENOSPC || e.code() == EDQUOT) {
    return Error{ErrorCode::storage_full, e.what()};
  }
  return Error{ErrorCode::io_error, e.what()};
}

void ResizeGate::enter_shared() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return !resizing_; });
  ++readers_;
}

void ResizeGate::enter_shared_again() {
  std::lock_guard lock(mutex_);
  ++readers_;
}

void ResizeGate::leave_shared() {
  std::lock_guard lock(mutex_);
  if (--readers_ == 0) cv_.notify_all();
}

std::unique_ptr<LogEnvironment> LogEnvironment::open(const LmdbOptions& options) {
  std::error_code ec;
  if (!options.create_if_missing) {
    if (!std::filesystem::is_directory(options.path, ec)) {
      throw StoreException(Error{ErrorCode::io_error, "no folder " + options.path});
    }
    if (!std::filesystem::exists(std::filesystem::path(options.path) / "data.mdb", ec)) {
      throw StoreException(Error{ErrorCode::io_error, "no event log in " + options.path});
    }
  }
  std::filesystem::create_directories(options.path, ec);
  if (ec) {
    throw StoreException(Error{ec.value() == ENOSPC ? ErrorCode::storage_full : ErrorCode::io_error,
                               "cannot create " + options.path + ": " + ec.message()});
  }
  std::unique_ptr<LogEnvironment> log_env(new LogEnvironment());
  // Before LMDB touches the file: an open waits here while another one zeroes ahead of its
  // used end (FileReserve).
  log_env->open_lock_ = std::make_unique<OpenLock>(options.path);
  MDB_env* env = log_env->env_.get();
  lmdb::check("mdb_env_set_maxdbs", mdb_env_set_maxdbs(env, 8));
  // Read transactions may be begun on many threads at once (server sessions, subscriptions).
  lmdb::check("mdb_env_set_maxreaders", mdb_env_set_maxreaders(env, 1024));
  lmdb::check("mdb_env_set_mapsize", mdb_env_set_mapsize(env, options.initial_map_size));
  // MDB_NOTLS: a read transaction belongs to its object, not to the thread that began it,
  // so one thread may hold several and the slot table does not fill up with idle threads.
  unsigned flags = MDB_NOTLS;
  // Durability::sync: one sync per commit, the meta page rides on the next (GroupCommitter).
  flags |= options.durability == Durability::nosync ? MDB_NOSYNC : MDB_NOMETASYNC;
  lmdb::check("mdb_env_open", mdb_env_open(env, options.path.c_str(), flags, 0644));
  MDB_stat stat{};
  lmdb::check("mdb_env_stat", mdb_env_stat(env, &stat));
  log_env->page_size_ = stat.ms_psize;

  // Slots left behind by processes that died (kill -9) would pin old pages forever.
  int dead = 0;
  lmdb::check("mdb_reader_check", mdb_reader_check(env, &dead));

  for (;;) {
    try {
      lmdb::Txn txn = log_env->begin_write();
      auto open_db = [&](const char* name) {
        MDB_dbi dbi = 0;
        lmdb::check("mdb_dbi_open", mdb_dbi_open(txn.get(), name, MDB_CREATE, &dbi));
        return dbi;
      };
      Dbis& d = log_env->dbis_;
      d.events = open_db("events");
      d.stream_chunks = open_db("stream_chunks");
      d.heads = open_db("heads");
      d.commands = open_db("commands");
      d.snapshots = open_db("snapshots");
      d.snapshot_tails = open_db("snapshot_tails");
      d.meta = open_db("meta");
      std::string_view format;
      std::uint32_t found = keys::format_version;
      if (txn.get(d.meta, keys::format_key, format)) {
        found = format.size() == 4 ? keys::get_u32(format) : 0;
        if (found != keys::format_version && found != 1) {
          throw_corrupt("unsupported log format in " + options.path);
        }
      }
      if (found == 1) chunk_stream_index(txn, d);
      std::string value;
      keys::put_u32(value, keys::format_version);
      txn.put(d.meta, keys::format_key, value);
      txn.commit();
      return log_env;
    } catch (const lmdb::LmdbError& e) {
      // Converting a big format-1 log may not fit the map as it is: the map grows, as for
      // any write (nothing else holds a transaction yet).
      if (e.code() != MDB_MAP_FULL) throw;
      log_env->grow();
    }
  }
}

// Format 1 -> 2: the `streams` index (one entry per event) becomes chunks of 32 positions in
// `stream_chunks` plus the incomplete last chunk in each `heads` value; `streams` is deleted.
// One transaction: a crash leaves the log in format 1, converted at the next open.
void LogEnvironment::chunk_stream_index(lmdb::Txn& txn, const Dbis& d) {
  MDB_dbi old_index = 0;
  lmdb::check("mdb_dbi_open(streams)", mdb_dbi_open(txn.get(), "streams", 0, &old_index));
  std::vector<std::pair<std::string, keys::HeadValue>> heads;
  {
    lmdb::Cursor cursor(txn, d.heads);
    std::string_view key;
    std::string_view value;
    for (bool found = cursor.move(MDB_FIRST, key, value); found;
         found = cursor.move(MDB_NEXT, key, value)) {
      if (value.size() != 16) throw_corrupt("a format-1 heads entry is not 16 bytes");
      heads.emplace_back(std::string(key), keys::HeadValue{keys::get_u64(value),
                                                           keys::get_u64(value.substr(8))});
    }
  }
  for (const auto& [stream, head] : heads) {
    std::string chunk;
    chunk.reserve(keys::chunk_bytes);
    for (Revision revision = 1; revision <= head.revision; ++revision) {
      std::string_view position;
      if (!txn.get(old_index, keys::stream_revision_key(stream, revision), position) ||
          position.size() != 8) {
        throw_corrupt("the format-1 streams index has no revision " + std::to_string(revision) +
                      " of stream '" + stream + "'");
      }
      chunk.append(position);
      if (revision % keys::chunk_revisions == 0) {
        txn.put(d.stream_chunks, keys::stream_revision_key(stream, keys::chunk_of(revision)),
                chunk);
        chunk.clear();
      }
    }
    txn.put(d.heads, stream, keys::encode_head(head, chunk));
  }
  lmdb::check("mdb_drop(streams)", mdb_drop(txn.get(), old_index, 1));
}

ReadTxn LogEnvironment::begin_read() {
  for (;;) {
    gate_.enter_shared();
    MDB_txn* raw = nullptr;
    const int rc = mdb_txn_begin(env_.get(), nullptr, MDB_RDONLY, &raw);
    if (rc == MDB_SUCCESS) {
      lmdb::Txn txn = lmdb::Txn::adopt(raw);
      return ReadTxn(gate_, std::move(txn));
    }
    gate_.leave_shared();
    if (rc != MDB_MAP_RESIZED) lmdb::check("mdb_txn_begin(read)", rc);
    adopt_foreign_map_size();
  }
}

ReadTxn LogEnvironment::begin_read_beside(const ReadTxn& held) {
  if (!held.holds(gate_)) {
    throw StoreException(Error{ErrorCode::invalid_argument, "a read transaction of another log"});
  }
  gate_.enter_shared_again();
  MDB_txn* raw = nullptr;
  const int rc = mdb_txn_begin(env_.get(), nullptr, MDB_RDONLY, &raw);
  if (rc != MDB_SUCCESS) {
    gate_.leave_shared();
    lmdb::check("mdb_txn_begin(read)", rc);  // MDB_MAP_RESIZED too: `held` predates the map
  }
  return ReadTxn(gate_, lmdb::Txn::adopt(raw));
}

lmdb::Txn LogEnvironment::begin_write() {
  for (;;) {
    MDB_txn* raw = nullptr;
    const int rc = mdb_txn_begin(env_.get(), nullptr, 0, &raw);
    if (rc == MDB_SUCCESS) return lmdb::Txn::adopt(raw);
    if (rc != MDB_MAP_RESIZED) lmdb::check("mdb_txn_begin(write)", rc);
    adopt_foreign_map_size();
  }
}

// Another process grew the map: take its size (mdb_env_set_mapsize with 0).
void LogEnvironment::adopt_foreign_map_size() {
  gate_.exclusive([&] { lmdb::check("mdb_env_set_mapsize", mdb_env_set_mapsize(env_.get(), 0)); });
}

void LogEnvironment::grow() {
  gate_.exclusive([&] {
    MDB_envinfo info{};
    lmdb::check("mdb_env_info", mdb_env_info(env_.get(), &info));
    lmdb::check("mdb_env_set_mapsize", mdb_env_set_mapsize(env_.get(), info.me_mapsize * 2));
  });
}

Error LogEnvironment::write_error(const lmdb::LmdbError& e) const {
  Error error = error_from_lmdb(e);
  if (e.code() != EIO) return error;
  const char* path = nullptr;
  struct statvfs volume {};
  if (mdb_env_get_path(env_.get(), &path) != MDB_SUCCESS || path == nullptr ||
      statvfs(path, &volume) != 0) {
    return error;
  }
  const std::uint64_t free_bytes =
      static_cast<std::uint64_t>(volume.f_bavail) * static_cast<std::uint64_t>(volume.f_frsize);
  if (free_bytes < low_space_bytes) {
    error.code = ErrorCode::storage_full;
    error.message += " (the volume holding the log has " + std::to_string(free_bytes) +
                     " bytes free)";
  }
  return error;
}

std::uint64_t LogEnvironment::used_bytes() {
  MDB_envinfo info{};
  // Shared with resizing: mdb_env_info reads the map size that a resize writes.
  gate_.enter_shared();
  const int rc = mdb_env_info(env_.get(), &info);
  gate_.leave_shared();
  lmdb::check("mdb_env_info", rc);
  return (static_cast<std::uint64_t>(info.me_last_pgno) + 1) * page_size_;
}

std::string LogEnvironment::data_file() const {
  const char* path = nullptr;
  lmdb::check("mdb_env_get_path", mdb_env_get_path(env_.get(), &path));
  return (std::filesystem::path(path) / "data.mdb").string();
}

std::size_t LogEnvironment::map_size() const {
  MDB_envinfo info{};
  lmdb::check("mdb_env_info", mdb_env_info(env_.get(), &info));
  return info.me_mapsize;
}

}  // namespace rembuk::store
