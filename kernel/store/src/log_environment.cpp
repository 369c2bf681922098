#include "log_environment.hpp"

#include <sys/statvfs.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

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

  // Slots left behind by processes that died (kill -9) would pin old pages forever.
  int dead = 0;
  lmdb::check("mdb_reader_check", mdb_reader_check(env, &dead));

  lmdb::Txn txn = log_env->begin_write();
  auto open_db = [&](const char* name) {
    MDB_dbi dbi = 0;
    lmdb::check("mdb_dbi_open", mdb_dbi_open(txn.get(), name, MDB_CREATE, &dbi));
    return dbi;
  };
  Dbis& d = log_env->dbis_;
  d.events = open_db("events");
  d.streams = open_db("streams");
  d.heads = open_db("heads");
  d.commands = open_db("commands");
  d.snapshots = open_db("snapshots");
  d.meta = open_db("meta");
  std::string_view format;
  if (txn.get(d.meta, keys::format_key, format)) {
    if (format.size() != 4 || keys::get_u32(format) != keys::format_version) {
      throw_corrupt("unsupported log format in " + options.path);
    }
  } else {
    std::string value;
    keys::put_u32(value, keys::format_version);
    txn.put(d.meta, keys::format_key, value);
  }
  txn.commit();
  return log_env;
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

std::size_t LogEnvironment::map_size() const {
  MDB_envinfo info{};
  lmdb::check("mdb_env_info", mdb_env_info(env_.get(), &info));
  return info.me_mapsize;
}

}  // namespace rembuk::store
