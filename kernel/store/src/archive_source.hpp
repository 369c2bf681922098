// ArchiveSource: one consistent snapshot of a log, as the archive writer reads it.
// LMDB: one read transaction. PostgreSQL: one REPEATABLE READ, READ ONLY transaction.
// Everything a source returns comes from that one snapshot, however long the backup takes
// and whatever the server commits meanwhile.
//
// Failures throw (StoreException, lmdb::LmdbError, pg::PgFailure); write_archive catches them.
// Thread safety: one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "rembuk/store/archive.hpp"

namespace rembuk::store {
class LogEnvironment;
}

namespace rembuk::store::archive {

class ArchiveSource {
 public:
  virtual ~ArchiveSource() = default;
  virtual std::string_view kind() const = 0;  // "lmdb" or "postgres"
  virtual Head head() = 0;
  // Every stream, in byte order of the names.
  virtual std::vector<StreamInfo> streams() = 0;
  // Entries of the command-id index.
  virtual std::uint64_t command_count() = 0;
  // Calls `each` with every stored record in position order; the bytes live for the call.
  virtual void each_record(const std::function<void(std::string_view record)>& each) = 0;
  // The command-id index entry of `command_id`, whose append begins at `position` (the
  // records are read in order, so `position` only grows from call to call).
  virtual std::optional<AppendResult> command(std::string_view command_id, Position position) = 0;
};

std::unique_ptr<ArchiveSource> open_lmdb_source(const std::string& path);
// REQUIRES: `env` outlives the source.
std::unique_ptr<ArchiveSource> open_lmdb_source(LogEnvironment& env);
// The environment of an open LMDB log; nullptr for any other log.
LogEnvironment* lmdb_environment_of(EventLog& log);
std::unique_ptr<ArchiveSource> open_postgres_source(const PostgresOptions& options);

}  // namespace rembuk::store::archive
