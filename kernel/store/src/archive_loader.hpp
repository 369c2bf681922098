// LogLoader: writes the contents of a verified archive into an empty store, for
// restore_archive(). LMDB: a folder beside the log's, moved into place by finish(), so a crash
// leaves no half-loaded log; PostgreSQL: one transaction, committed by finish().
//
// The loaders trust what they are given (the walk proved it) but the store's own constraints
// still hold (a command id twice fails the load). Failures throw StoreException, lmdb::LmdbError
// or pg::PgFailure; nothing is published unless finish() returns.
//
// Lifetime: the bytes that event() and command() are given (views) stay valid until a later
// checkpoint() returns true or finish() returns, so a loader may keep views instead of copies
// of what it has not committed yet; a loader that keeps nothing returns true.
// Thread safety: one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "rembuk/store/archive.hpp"

namespace rembuk::store::archive {

// What a loader needs of an event: the stored record's bytes and the fields its indexes use.
struct LoadedEvent {
  Position position = 0;
  Revision revision = 0;
  std::string_view stream;
  std::string_view command_id;
  std::string_view record;
};

class LogLoader {
 public:
  virtual ~LogLoader() = default;
  virtual void event(const LoadedEvent& event) = 0;
  virtual void command(std::string_view command_id, const AppendResult& range) = 0;
  // A point where the loader may commit what it holds (bounded memory). true: it keeps no
  // view of anything handed over so far, the caller may release those bytes.
  virtual bool checkpoint() { return true; }
  // Writes the heads and makes the log visible. `head`: its last event.
  virtual void finish(const Head& head) = 0;
};

// Throws invalid_argument when `path` already holds a log with events. `size_hint`: the
// archive's size in bytes (the map is sized from it).
std::unique_ptr<LogLoader> open_lmdb_loader(const std::string& path, std::uint64_t size_hint);
std::unique_ptr<LogLoader> open_postgres_loader(const PostgresOptions& options);

}  // namespace rembuk::store::archive
