// The backup archive: one portable file holding a whole log, from LMDB or PostgreSQL, that can
// be proven whole offline and loaded into either store (docs/backup-format.md; the grammar is
// at the top of kernel/store/src/archive_codec.cpp).
//
// - write_archive() reads one consistent snapshot of a live log (LMDB: one read transaction;
//   PostgreSQL: one REPEATABLE READ transaction) and streams it to a temporary file beside
//   `out_path`, which is fsynced and renamed into place only when complete (mode 0600). A
//   failure (full disk, the log unreadable) removes the temporary file and leaves `out_path`
//   and the log untouched.
// - verify_archive() checks, offline and streaming: every frame's running hash (any flipped
//   or missing byte), the whole hash chain, positions and revisions, the stream and
//   command-id indexes against the events, and (through `check_checkpoint`) each signed
//   checkpoint's signature. The first problem ends the walk and is named.
// - restore_archive() verifies first, refuses a target that holds events, then loads the log
//   (up to `until`), so that the result passes EventLog::verify() and reads the same.
//
// Memory stays bounded by the largest frame (a few MiB) plus one entry per stream, whatever
// the number of events. Snapshots (a cache) are not archived; the engine rebuilds them.
//
// Thread safety: free functions; each call uses its own connections and transactions, so they
// may run beside a server writing to the same log (another process or this one).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "rembuk/store/event_log.hpp"
#include "rembuk/store/postgres_event_log.hpp"

namespace rembuk::store {

// The newest archive format this build writes and reads.
inline constexpr std::uint32_t archive_format_version = 1;

// Where a log lives, for backup and restore.
struct ArchiveStore {
  std::string lmdb_path;                   // the LMDB folder, when `postgres` is empty
  std::optional<PostgresOptions> postgres;  // a PostgreSQL log (its conninfo and schema)
};

struct ArchiveManifest {
  std::uint32_t format = archive_format_version;
  std::string rembuk_version;
  std::int64_t created_at_us = 0;  // when the snapshot was taken, microseconds since 1970 (UTC)
  std::string source;              // "lmdb" or "postgres"
  Head head;                       // the last event of the snapshot
  std::uint64_t events = 0;
  std::uint64_t streams = 0;
  std::uint64_t masterplans = 0;   // streams that are not system streams ('$…')
  std::uint64_t commands = 0;      // entries of the command-id index
  std::uint64_t checkpoints = 0;   // signed checkpoints (events of `$checkpoints/…` streams)
  bool with_secrets = false;       // the token secret and the audit signing key are inside
};

// What travels beside the log's own tables. The audit public key (raw 32 bytes) always goes
// in when known; the two secrets only when `with_secrets`.
struct ArchiveKeys {
  std::string audit_public_key;
  bool with_secrets = false;
  std::string token_secret;    // DATA/secret, as stored
  std::string audit_key_pem;   // DATA/audit-key, as stored
};

struct ArchiveProgress {
  std::uint64_t events_done = 0;
  std::uint64_t events_total = 0;
  std::uint64_t bytes_done = 0;  // archive bytes written or read so far
};
using ArchiveProgressFn = std::function<void(const ArchiveProgress&)>;

struct BackupOptions {
  std::string rembuk_version;
  ArchiveKeys keys;
  ArchiveProgressFn progress;  // called every few MiB on the calling thread; may be empty
};

// Writes the archive; returns its manifest. storage_full when the disk fills (the message
// says where), io_error for other failures; either way `out_path` was not created.
StoreResult<ArchiveManifest> write_archive(const ArchiveStore& from, const std::string& out_path,
                                           const BackupOptions& options);

// The same from a log this process has open (`rembuk serve --backup-every`): LMDB forbids
// opening one environment twice in a process, so the snapshot is a read transaction of the
// open log's own environment. Only for LMDB logs (open_lmdb_event_log); another log fails with
// invalid_argument (back a PostgreSQL log up through its ArchiveStore: that is a connection of
// its own). While it runs the log keeps appending but cannot grow its map.
StoreResult<ArchiveManifest> write_archive(EventLog& log, const std::string& out_path,
                                           const BackupOptions& options);

// Why an archive was refused.
enum class ArchiveFault {
  none,
  unreadable,    // the file cannot be opened or read
  not_archive,   // it does not start like an archive
  newer_format,  // written by a newer rembuk (format above archive_format_version)
  truncated,     // it ends early
  damaged,       // a byte differs from what was written (a frame's hash or header)
  inconsistent,  // the frames are whole but the log inside is not (chain, index, signature)
};
std::string_view to_string(ArchiveFault fault);

struct ArchiveReport {
  ArchiveFault fault = ArchiveFault::none;
  bool ok() const { return fault == ArchiveFault::none; }
  std::string reason;           // one sentence naming the place (frame, byte offset, position)
  std::uint64_t offset = 0;     // byte offset of the damaged frame, when known
  Position bad_position = 0;    // first event that fails, when the fault is about one
  Position events_checked = 0;  // events proven sound before the fault
  std::optional<ArchiveManifest> manifest;  // once the manifest frame was read
  ArchiveKeys keys;             // what the archive carries
};

// Checks one signed checkpoint event against the archive's audit public key (raw 32 bytes,
// empty when the archive has none); `hash_at` gives the record hash of any earlier position,
// so the check can hold the checkpoint's `headHash` against the chain (what anchors the
// history: a forger who rewrites the chain cannot re-sign). Returns why it fails, or nullopt
// when it is sound. The store knows no signatures: the audit module supplies this (rembuk's
// CLI does). The walk keeps one hash per event for `hash_at` (32 MB per million events).
using HashAt = std::function<std::optional<Hash>(Position)>;
using CheckpointCheck = std::function<std::optional<std::string>(
    const RecordedEvent&, std::string_view public_key, const HashAt& hash_at)>;

struct VerifyArchiveOptions {
  CheckpointCheck check_checkpoint;  // empty: checkpoints are counted, not checked
  ArchiveProgressFn progress;
};

ArchiveReport verify_archive(const std::string& path, const VerifyArchiveOptions& options);

struct RestoreOptions {
  Position until = 0;  // 0: everything; else the log as it stood at this position
  CheckpointCheck check_checkpoint;
  ArchiveProgressFn progress;
};

struct RestoreResult {
  ArchiveReport report;      // the verification that ran first (with the manifest and keys)
  Head restored;             // the head of the loaded log
  std::uint64_t events = 0;  // events loaded
};

// Verifies `path`, then loads it into `to`, which must hold no events. An LMDB target is
// built in a folder beside DIR/data.mdb and moved into place when complete, so a crash leaves
// no half-loaded log; a PostgreSQL target is loaded in one transaction. Fails with
// invalid_argument when the archive is refused (report.reason in the message), when the
// target holds events, or when `until` is past the head or inside one append.
StoreResult<RestoreResult> restore_archive(const std::string& path, const ArchiveStore& to,
                                           const RestoreOptions& options);

// The stream name prefix and event type of signed checkpoints (as in rembuk/audit).
inline constexpr std::string_view archive_checkpoint_stream_prefix = "$checkpoints/";
inline constexpr std::string_view archive_checkpoint_type = "CheckpointSigned";

}  // namespace rembuk::store
