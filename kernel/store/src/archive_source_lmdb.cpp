// The LMDB snapshot for a backup: one read transaction of the log's environment, opened
// beside a running server (LMDB serves many processes; the server's writer is not blocked), or
// of the environment of a log this process has open (LMDB forbids opening one environment
// twice in a process). The read transaction holds the resize gate (log_environment.hpp) for
// the whole backup, as a verify does: the writer keeps committing but cannot grow the map
// until the backup ends.
#include <memory>

#include "archive_source.hpp"
#include "keys.hpp"
#include "log_environment.hpp"
#include "log_reader.hpp"

namespace rembuk::store::archive {
namespace {

class LmdbSource final : public ArchiveSource {
 public:
  // `owned` may be null when `env` belongs to an open log of this process.
  LmdbSource(std::unique_ptr<LogEnvironment> owned, LogEnvironment& env)
      : owned_(std::move(owned)), env_(&env), txn_(env_->begin_read()),
        reader_(txn_.txn(), env_->dbis()) {}

  std::string_view kind() const override { return "lmdb"; }
  Head head() override { return reader_.head(); }
  std::vector<StreamInfo> streams() override { return reader_.streams(); }
  std::uint64_t command_count() override {
    MDB_stat stat{};
    lmdb::check("mdb_stat", mdb_stat(txn_.txn().get(), env_->dbis().commands, &stat));
    return stat.ms_entries;
  }
  void each_record(const std::function<void(std::string_view)>& each) override {
    lmdb::Cursor cursor(txn_.txn(), env_->dbis().events);
    std::string_view key;
    std::string_view value;
    for (bool found = cursor.move(MDB_FIRST, key, value); found;
         found = cursor.move(MDB_NEXT, key, value)) {
      each(value);
    }
  }
  std::optional<AppendResult> command(std::string_view command_id, Position) override {
    return reader_.command(command_id);
  }

 private:
  std::unique_ptr<LogEnvironment> owned_;
  LogEnvironment* env_;
  ReadTxn txn_;
  LogReader reader_;
};

}  // namespace

std::unique_ptr<ArchiveSource> open_lmdb_source(const std::string& path) {
  LmdbOptions options;
  options.path = path;
  options.create_if_missing = false;
  auto env = LogEnvironment::open(options);
  LogEnvironment& ref = *env;
  return std::make_unique<LmdbSource>(std::move(env), ref);
}

std::unique_ptr<ArchiveSource> open_lmdb_source(LogEnvironment& env) {
  return std::make_unique<LmdbSource>(nullptr, env);
}

}  // namespace rembuk::store::archive
