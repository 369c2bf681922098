// EventLog: rembuk's append-only, hash-chained log of events, grouped into streams.
//
// A stream is one masterplan (any name of 1..200 bytes, no NUL). Every event has a global
// position (1, 2, 3, … with no gaps, in commit order) and a revision within its stream
// (1, 2, 3, …). Position 0 and revision 0 mean "before the first event". Every event carries
// SHA-256(previous event's hash ‖ canonical bytes of this record), so the whole log, across
// streams, is one chain that `verify` can recompute (docs/event-record.md).
//
// The store knows no domain: event types and JSON payloads are opaque to it.
//
// This is an interface with two intended implementations: LMDB (embedded, the default,
// lmdb_event_log.hpp) and PostgreSQL (several nodes). Both pass the same contract tests.
//
// Thread safety: every member function may be called from any thread at the same time.
// Append callbacks and subscription handlers run on threads owned by the log; they must
// not block for long (post the work elsewhere) and must not call `close()`.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/common/result.hpp"

namespace rembuk::store {

using Position = std::uint64_t;
using Revision = std::uint64_t;
using Hash = std::array<std::uint8_t, 32>;

// Lower-case hex of a hash (64 characters).
std::string to_hex(const Hash& hash);

// What the stream must look like for an append to go ahead (optimistic concurrency).
class ExpectedRevision {
 public:
  enum class Kind { any, no_stream, exact };

  static ExpectedRevision any() { return {Kind::any, 0}; }
  static ExpectedRevision no_stream() { return {Kind::no_stream, 0}; }
  // exact(0) is the same as no_stream().
  static ExpectedRevision exact(Revision revision) { return {Kind::exact, revision}; }

  Kind kind() const { return kind_; }
  Revision revision() const { return revision_; }

 private:
  ExpectedRevision(Kind kind, Revision revision) : kind_(kind), revision_(revision) {}
  Kind kind_;
  Revision revision_;
};

// The limits an append must keep (breaking one fails it with ErrorCode::invalid_argument
// before it is queued). The payload limits are additions to the original contract: the
// store never parses JSON, but refuses a payload that cannot be an object (its first and
// last non-blank characters must be `{` and `}`) and one too large for a transaction.
inline constexpr std::size_t max_stream_bytes = 200;

// Streams whose name starts with '$' belong to rembuk itself (the audit's signed checkpoints,
// `$checkpoints/<masterplan>`): no masterplan has such an id, and the command path and the
// protocol refuse one, so no client can write into them.
inline bool is_system_stream(std::string_view stream) {
  return !stream.empty() && stream.front() == '$';
}
inline constexpr std::size_t max_type_bytes = 128;
inline constexpr std::size_t max_events_per_append = 10'000;
inline constexpr std::size_t max_command_id_bytes = 128;
inline constexpr std::size_t max_actor_bytes = 256;
inline constexpr std::size_t max_payload_bytes = 16u << 20;         // one event
inline constexpr std::size_t max_append_payload_bytes = 64u << 20;  // all events of one append

// One event as the caller hands it in.
struct EventData {
  std::string type;               // 1..128 bytes, e.g. "ProgramAdded"
  std::uint32_t schema_version = 1;
  std::string payload;            // a JSON text (an object); stored as given
};

struct AppendRequest {
  std::string stream;
  ExpectedRevision expected = ExpectedRevision::any();
  std::vector<EventData> events;  // 1..10,000 events, appended contiguously, in order
  std::string command_id;         // 0..128 bytes; empty = no idempotency
  std::string actor;              // who caused it (user id), 0..256 bytes
  // Not empty: the stream's last event must also have been appended with this command id,
  // or the append fails with wrong_expected_revision. A writer that sends an append before
  // the previous one committed (the engine's pipeline) names that one here, so that when it
  // failed and another writer took its revisions, this one fails too instead of landing on
  // a state it was not decided against. An addition to the original contract.
  std::string expected_last_command_id;
};

// Where an append landed. All events of one append are contiguous in the log.
struct AppendResult {
  Position first_position = 0;
  Position last_position = 0;
  Revision first_revision = 0;
  Revision last_revision = 0;
  bool duplicate = false;  // true: the command id was already in the log; nothing written
};

enum class ErrorCode {
  wrong_expected_revision,  // Error::actual_revision holds the stream's revision
  invalid_argument,         // the request breaks a limit above; message says which
  storage_full,             // the disk (not the map) is full; nothing was written
  io_error,                 // the storage failed; nothing was written
  corrupt,                  // stored bytes do not decode; see verify()
  closed,                   // the log was closed before the operation ran
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
  Revision actual_revision = 0;  // set with wrong_expected_revision
};

template <typename T>
using StoreResult = rembuk::Result<T, Error>;

// One event as stored.
struct RecordedEvent {
  Position position = 0;
  std::string stream;
  Revision revision = 0;
  std::string type;
  std::uint32_t schema_version = 1;
  std::int64_t time_us = 0;  // commit time, microseconds since the Unix epoch (UTC)
  std::string actor;
  std::string command_id;
  std::string payload;
  Hash prev_hash{};
  Hash hash{};
};

struct Head {
  Position position = 0;  // last position in the log; 0 when empty
  Hash hash{};            // hash of that event; all zero when empty
};

struct StreamInfo {
  std::string stream;
  Revision revision = 0;        // last revision
  Position last_position = 0;   // position of that revision
};

struct Snapshot {
  Revision revision = 0;  // the stream revision the state reflects
  std::string bytes;      // opaque to the store
};

// Receives what verify() finds. The first problem ends the walk.
struct VerifyReport {
  bool ok = true;
  Position events_checked = 0;
  Position bad_position = 0;  // first position that fails, when !ok (0: an index problem)
  std::string reason;         // why, in one sentence
};

// A running subscription. Destroying it (or calling cancel()) stops delivery; once
// cancel() returns, the handler is not running and will not be called again.
class Subscription {
 public:
  virtual ~Subscription() = default;
  virtual void cancel() = 0;
};

// Gets events in position order, each exactly once: first those already in the log
// (catch-up), then new ones as they commit (live), with no gap and no duplicate at the
// switch. Called on a thread owned by the log, one call at a time per subscription.
using SubscriptionHandler = std::function<void(const std::vector<RecordedEvent>& batch)>;

using AppendCallback = std::function<void(StoreResult<AppendResult>)>;

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends the request's events to its stream once `expected` holds, after every append
  // queued before it. `done` runs once, on a thread owned by the log (the LMDB log has one
  // completion thread: callbacks run one at a time, in commit order), after the transaction
  // holding these events committed (durably, unless the log was opened with nosync), or with
  // the error that stopped it; on error nothing of the request was written.
  // A command id already in the log makes `done` receive the first append's result with
  // `duplicate = true`, and writes nothing.
  // After close(), `done` runs on the calling thread, with ErrorCode::closed, before append()
  // returns (there is no writer thread left).
  virtual void append(AppendRequest request, AppendCallback done) = 0;

  // Blocking convenience over append(). REQUIRES: not called from an append callback or a
  // subscription handler (it would wait for the thread it runs on).
  StoreResult<AppendResult> append(AppendRequest request);

  // Events of `stream` with revision >= from_revision, ascending, at most `max`.
  virtual StoreResult<std::vector<RecordedEvent>> read_stream(std::string_view stream,
                                                              Revision from_revision,
                                                              std::size_t max) = 0;
  // Events of `stream` with revision <= to_revision (0: the last), descending, at most `max`.
  virtual StoreResult<std::vector<RecordedEvent>> read_stream_backward(std::string_view stream,
                                                                       Revision to_revision,
                                                                       std::size_t max) = 0;
  // Events with position >= from_position, ascending, at most `max`.
  virtual StoreResult<std::vector<RecordedEvent>> read_all(Position from_position,
                                                           std::size_t max) = 0;
  // Events with position <= to_position (0: the last), descending, at most `max`.
  virtual StoreResult<std::vector<RecordedEvent>> read_all_backward(Position to_position,
                                                                    std::size_t max) = 0;

  virtual StoreResult<Head> head() = 0;
  // The stream's last revision and its position; nullopt when the stream has no events.
  virtual StoreResult<std::optional<StreamInfo>> stream_info(std::string_view stream) = 0;
  // Every stream, by name.
  virtual StoreResult<std::vector<StreamInfo>> streams() = 0;
  // The result of the append that carried `command_id`, if any.
  virtual StoreResult<std::optional<AppendResult>> find_command(std::string_view command_id) = 0;

  // Delivers every event with position > after_position to `handler` (see
  // SubscriptionHandler). The returned object owns the subscription.
  virtual std::unique_ptr<Subscription> subscribe(Position after_position,
                                                  SubscriptionHandler handler) = 0;
  // As subscribe(), for a follower that need not see each commit at once (the audit
  // checkpoints): once caught up, it reads again only `pace` after its last read, so a busy
  // log wakes it once per pace with everything committed meanwhile instead of once per
  // commit. cancel() does not wait out the pace. This default ignores the pace. An addition
  // to the contract.
  virtual std::unique_ptr<Subscription> subscribe_paced(Position after_position,
                                                        std::chrono::milliseconds pace,
                                                        SubscriptionHandler handler) {
    (void)pace;
    return subscribe(after_position, std::move(handler));
  }

  // Stores a snapshot of `stream` at `revision`, replacing one at the same revision.
  //
  // Only a stream's newest snapshot is kept whole: the bytes after its first
  // `lasting_bytes` (its tail) are dropped once a newer snapshot of the stream is stored,
  // and a snapshot older than the newest is stored without its tail. Its first
  // `lasting_bytes` are kept for as long as the snapshot. For a state snapshot the lasting
  // part is its content and the tail its bookkeeping, which only the newest (the one a
  // writer loads from) needs: time travel reads the content alone, and the bookkeeping is
  // nine tenths of a long-lived masterplan's snapshot. lasting_bytes >= bytes.size() keeps
  // the snapshot whole.
  virtual StoreResult<Unit> put_snapshot(std::string_view stream, Revision revision,
                                         std::string_view bytes, std::size_t lasting_bytes) = 0;
  // The same, kept whole.
  StoreResult<Unit> put_snapshot(std::string_view stream, Revision revision,
                                 std::string_view bytes) {
    return put_snapshot(stream, revision, bytes, bytes.size());
  }
  // The snapshot of `stream` with the highest revision <= max_revision, if any: whole when
  // it is the stream's newest (or was stored whole), else its lasting part alone.
  virtual StoreResult<std::optional<Snapshot>> get_snapshot(std::string_view stream,
                                                            Revision max_revision) = 0;
  // Drops every snapshot (of every stream), e.g. before a rebuild.
  virtual StoreResult<Unit> clear_snapshots() = 0;

  // Walks the whole log: recomputes every hash and link, checks positions are dense, each
  // stream's revisions contiguous, and the stream and command indexes agree with the events.
  virtual VerifyReport verify() = 0;

  // Stops accepting appends, lets queued ones finish, stops subscriptions. Idempotent;
  // also done by the destructor. Appends after close() fail with ErrorCode::closed.
  virtual void close() = 0;
};

}  // namespace rembuk::store
