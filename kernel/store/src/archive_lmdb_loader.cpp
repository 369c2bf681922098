// Loading an archive into an LMDB folder. The log is built in DIR/.restore-<pid>/ with
// transactions of a few MB and no syncs (nothing reads it yet), synced once, and its data.mdb
// then moved to DIR/data.mdb with a rename that refuses to replace a file: DIR gets the whole
// log or none, and a crash leaves only the hidden folder (removed by the next restore into DIR).
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <vector>

#include "archive_loader.hpp"
#include "keys.hpp"
#include "log_environment.hpp"
#include "log_reader.hpp"
#include "store_errors.hpp"

namespace rembuk::store::archive {
namespace {

namespace fs = std::filesystem;

// Every this many commits the disk is asked to start writing what they left in the page cache
// (sync_file_range, not waiting), so the one sync at the end finds little left to write.
constexpr std::uint64_t writeback_commits = 16;

// A transaction is committed once it holds this many record bytes. Small enough that the
// dirty pages LMDB allocates for it, which it keeps and reuses for the next one, stay in the
// CPU's cache and are faulted in once: a restore of a million events took about a third less
// CPU on the loading thread than with 64 MB transactions (docs/hardening.md).
constexpr std::size_t chunk_bytes = 4u << 20;

struct StreamState {
  Revision revision = 0;
  Position position = 0;
  std::string tail;      // positions of the revisions after the last complete chunk
  bool touched = false;  // by the transaction in progress (its head is written at commit)
};

using Streams = std::map<std::string, StreamState, std::less<>>;

// What the transaction in progress holds, kept to write it again after the map grew. Views
// into the pipeline's batches, valid until checkpoint() returns true (archive_loader.hpp).
struct PendingEvent {
  Position position;
  Revision revision;
  std::string_view stream;
  std::string_view record;
};

struct PendingCommand {
  std::string_view id;
  AppendResult range;
};

[[noreturn]] void refuse(std::string message) {
  throw StoreException(Error{ErrorCode::invalid_argument, std::move(message)});
}

void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

class LmdbLoader final : public LogLoader {
 public:
  LmdbLoader(const std::string& path, std::uint64_t size_hint) : target_(path) {
    std::error_code ec;
    if (fs::exists(target_ / "data.mdb", ec)) {
      Position held = 0;
      try {
        LmdbOptions options;
        options.path = path;
        options.create_if_missing = false;
        auto env = LogEnvironment::open(options);
        ReadTxn txn = env->begin_read();
        held = LogReader(txn.txn(), env->dbis()).head().position;
      } catch (const std::exception&) {
        refuse(path + " already holds a data.mdb that does not open as a log; restore into a "
                      "new folder");
      }
      if (held > 0) {
        refuse(path + " already holds an event log with " + std::to_string(held) +
               " events; restore into an empty folder");
      }
      refuse(path + " already holds an (empty) event log; remove its data.mdb and lock.mdb "
                    "(with no server running on it) or restore into a new folder");
    }
    fs::create_directories(target_, ec);
    if (ec) {
      throw StoreException(Error{ec.value() == ENOSPC ? ErrorCode::storage_full : ErrorCode::io_error,
                                 "cannot create " + path + ": " + ec.message()});
    }
    // A folder left by a restore that was killed.
    for (const auto& entry : fs::directory_iterator(target_, ec)) {
      if (entry.path().filename().string().rfind(".restore-", 0) == 0) {
        fs::remove_all(entry.path(), ec);
      }
    }
    work_ = target_ / (".restore-" + std::to_string(::getpid()));
    LmdbOptions options;
    options.path = work_.string();
    options.durability = Durability::nosync;
    options.reserve_bytes = 0;
    std::size_t map = (64u << 20) + static_cast<std::size_t>(size_hint) * 2;
    map = (map + (1u << 20) - 1) & ~static_cast<std::size_t>((1u << 20) - 1);
    options.initial_map_size = map;
    env_ = LogEnvironment::open(options);
    begin();
  }

  ~LmdbLoader() override {
    txn_.abort();
    env_.reset();
    if (!work_.empty()) {
      std::error_code ec;
      fs::remove_all(work_, ec);
    }
  }

  void event(const LoadedEvent& e) override {
    pending_bytes_ += e.record.size();
    events_.push_back(PendingEvent{e.position, e.revision, e.stream, e.record});
    apply(events_.back());
  }

  void command(std::string_view id, const AppendResult& range) override {
    commands_.push_back(PendingCommand{id, range});
    apply(commands_.back());
  }

  bool checkpoint() override {
    if (pending_bytes_ < chunk_bytes) return false;
    commit();
    if (++commits_ % writeback_commits == 0) start_writeback();
    return true;
  }

  void finish(const Head& head) override {
    commit(false);
    lmdb::check("mdb_env_sync", mdb_env_sync(env_->env(), 1));
    {
      ReadTxn txn = env_->begin_read();
      const Head loaded = LogReader(txn.txn(), env_->dbis()).head();
      if (loaded.position != head.position || loaded.hash != head.hash) {
        throw_corrupt("the loaded log does not end at the archive's head");
      }
    }
    env_.reset();
    const fs::path from = work_ / "data.mdb";
    const fs::path to = target_ / "data.mdb";
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
      const int e = errno;
      if (e == EEXIST) refuse(target_.string() + " got a data.mdb while the restore ran");
      throw StoreException(Error{ErrorCode::io_error, "cannot move the restored log into " +
                                                          target_.string() + ": " +
                                                          std::strerror(e)});
    }
    sync_folder(target_);
    std::error_code ec;
    fs::remove_all(work_, ec);
    work_.clear();
  }

 private:
  void begin() {
    txn_ = env_->begin_write();
    saved_streams_ = streams_;
  }

  // Runs `op` and, when the map is full, grows it and replays what this transaction held.
  template <typename Op>
  void guarded_write(Op&& op) {
    try {
      op();
    } catch (const lmdb::LmdbError& e) {
      if (e.code() == MDB_KEYEXIST) {
        throw_corrupt("the archive holds a command id twice");
      }
      if (e.code() != MDB_MAP_FULL) throw StoreException(env_->write_error(e));
      replay_after_growth();
    }
  }

  void apply(const PendingEvent& e) {
    guarded_write([&] { put_event(e); });
  }
  void apply(const PendingCommand& c) {
    guarded_write([&] { put_command(c); });
  }

  void put_event(const PendingEvent& e) {
    const Dbis& d = env_->dbis();
    txn_.put(d.events, keys::position_key(e.position), e.record, MDB_APPEND);
    auto it = streams_.find(e.stream);
    if (it == streams_.end()) it = streams_.emplace(std::string(e.stream), StreamState{}).first;
    StreamState& s = it->second;
    if (!s.touched) {
      s.touched = true;
      touched_.push_back(&*it);
    }
    s.revision = e.revision;
    s.position = e.position;
    keys::put_u64(s.tail, e.position);
    if (e.revision % keys::chunk_revisions == 0) {
      txn_.put(d.stream_chunks, keys::stream_revision_key(e.stream, keys::chunk_of(e.revision)),
               s.tail);
      s.tail.clear();
    }
  }

  void put_command(const PendingCommand& c) {
    txn_.put(env_->dbis().commands, c.id, keys::encode_append_result(c.range), MDB_NOOVERWRITE);
  }

  void put_heads() {
    for (const auto* touched : touched_) {
      const StreamState& s = touched->second;
      txn_.put(env_->dbis().heads, touched->first,
               keys::encode_head({s.revision, s.position}, s.tail));
    }
  }

  void replay_after_growth() {
    for (;;) {
      txn_.abort();
      env_->grow();
      txn_ = env_->begin_write();
      streams_ = saved_streams_;
      touched_.clear();
      try {
        // Both lists in the order they came: each command precedes its events, and the
        // two databases are independent, so applying all commands first changes nothing.
        for (const auto& c : commands_) put_command(c);
        for (const auto& e : events_) put_event(e);
        return;
      } catch (const lmdb::LmdbError& e) {
        if (e.code() != MDB_MAP_FULL) throw StoreException(env_->write_error(e));
      }
    }
  }

  // `reopen`: begin the next transaction (not at the end: the head is read next).
  void commit(bool reopen = true) {
    guarded_write([&] { put_heads(); });
    try {
      txn_.commit();
    } catch (const lmdb::LmdbError& e) {
      if (e.code() != MDB_MAP_FULL) throw StoreException(env_->write_error(e));
      // The commit itself needed more room: grow and redo the whole transaction.
      replay_after_growth();
      put_heads();
      txn_.commit();
    }
    events_.clear();
    commands_.clear();
    for (auto* touched : touched_) touched->second.touched = false;
    touched_.clear();
    pending_bytes_ = 0;
    if (reopen) begin();
  }

  // Starts writing the data file's dirty pages; failures are left to the final sync.
  void start_writeback() {
    int fd = -1;
    if (mdb_env_get_fd(env_->env(), &fd) == MDB_SUCCESS) {
      ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    }
  }

  fs::path target_;
  fs::path work_;
  std::uint64_t commits_ = 0;
  std::unique_ptr<LogEnvironment> env_;
  lmdb::Txn txn_ = lmdb::Txn::adopt(nullptr);
  Streams streams_;
  Streams saved_streams_;  // as they were when the transaction in progress began
  std::vector<Streams::value_type*> touched_;  // streams_ entries with touched set
  std::vector<PendingEvent> events_;
  std::vector<PendingCommand> commands_;
  std::size_t pending_bytes_ = 0;
};

}  // namespace

std::unique_ptr<LogLoader> open_lmdb_loader(const std::string& path, std::uint64_t size_hint) {
  return std::make_unique<LmdbLoader>(path, size_hint);
}

}  // namespace rembuk::store::archive
