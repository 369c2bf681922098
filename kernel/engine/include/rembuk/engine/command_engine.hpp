// CommandEngine: the one command path of rembuk, shared by the WebSocket server and
// `rembuk import`. It turns a CommandEnvelope into an Outcome:
//
//   envelope → idempotency check (EventLog::find_command: a known command id returns the
//   first ack, `duplicate = true`, nothing written) → load the masterplan (latest snapshot
//   + later events, cached afterwards) → schema check + model::decide → append the events
//   with ExpectedRevision::exact(state.version), the command id and the actor → after the
//   commit: apply the events to the cached state → callback.
//
// A rejected command writes nothing. If the append fails with wrong_expected_revision
// (another writer, e.g. another node, appended to the stream), the engine folds the new
// events into its state and decides again, until the append lands; after 64 lost races in a
// row the command is refused with code "storage_error". Masterplan ids starting with '$'
// (store::is_system_stream) are refused at once (violation "masterplan.reserved_id").
//
// Ordering: commands for one masterplan are decided, committed and answered in the order
// submit() was called (per-masterplan serial order); different masterplans proceed in
// parallel (see Threads below). Pipelining (EngineOptions::max_in_flight): command
// N+1 is decided on the state that includes N's events before N is durable, and appended
// expecting the revision after N and N's command id (AppendRequest::expected_last_command_id,
// so it cannot land on another writer's events); it is acknowledged only after its own
// commit, and outcomes are delivered in order. If N's append fails (or turns out a
// duplicate), every command decided after it is decided again on the committed state.
//
// Threads: a command is decided on the thread that calls submit() when that is quick and
// bounded (EngineOptions::decide_on_caller: its masterplan idle, loaded, without plugins),
// otherwise on an engine worker. The outcome of an append is settled on the thread on which
// the log reports the commit (the LMDB log's completion thread). So per edit the threads are
// the caller's, the log's writer and the log's completion thread, and no hand-off between.
//
// Thread safety: every member function may be called from any thread at the same time.
// Callbacks run after the commit (or the rejection) on one of those threads: the log's,
// an engine worker, or the caller of submit() (a rejection decided there runs its callback
// before submit() returns). They must not block for long, must not wait for another
// command (submit_sync) and must not destroy the engine.
//
// Lifetime: the EventLog and the Extensions (may be null) must outlive the engine. The
// destructor waits for every submitted command to finish (its callback has run).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "rembuk/common/result.hpp"
#include "rembuk/model/command.hpp"
#include "rembuk/model/extensions.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::engine {

// What a client submits (docs/commands.md, "The envelope"):
//   {"masterplan":…, "commandId":…, "actor":{"user":…,"roles":[…],"opd":…},
//    "baseVersion":…, "command":{"type":…, …}}
// The server builds `actor` from the authenticated session, never from the client's text.
struct CommandEnvelope {
  std::string masterplan;                       // stream name, 1..200 bytes
  std::string command_id;                       // 1..128 bytes, unique forever
  model::Actor actor;
  std::optional<model::Version> base_version;   // nullopt: the current version
  boost::json::object command;                  // with "type"
};

// Decodes an envelope without throwing (`rembuk import` reads one per line). A malformed
// envelope is a Rejection with code "schema" and a JSON-pointer path.
Result<CommandEnvelope, model::Rejection> parse_envelope(const boost::json::value& json);
Result<CommandEnvelope, model::Rejection> parse_envelope_text(std::string_view json_text);

// One event the command committed.
struct CommittedEvent {
  store::Position position = 0;
  store::Revision revision = 0;
  std::string type;
  std::uint32_t schema_version = 1;
  boost::json::object payload;
};

struct Outcome {
  std::string command_id;
  bool accepted = false;
  bool duplicate = false;     // accepted earlier; nothing written now (events empty)
  model::Version version = 0; // accepted: the masterplan version after the command
  // Rejected: a stable code ("auth.forbidden", "conflict", "submission.incomplete",
  // "schema", "storage_error", "storage_full" (the disk is full), …), a message, and every
  // violation found.
  std::string code;
  std::string message;
  std::vector<model::Violation> violations;
  std::vector<CommittedEvent> events;  // accepted and not duplicate: what was appended
};

// The wire/CLI form: {"commandId","status":"ack","version"} or
// {"commandId","status":"reject","code","message","violations":[{code,path,messageId,
// messageEn,detail?}]}.
boost::json::object to_json(const Outcome& outcome);
boost::json::object to_json(const model::Violation& violation);

struct EngineOptions {
  unsigned threads = 2;                  // worker threads deciding commands
  std::uint64_t snapshot_every = 1000;   // store a snapshot every N versions (0: never)
  std::function<std::int64_t()> clock;   // microseconds since epoch; empty: system clock
  // Appends one masterplan may have in flight (decided, not yet committed). Above 1, the next
  // command is decided against the state that includes the events in flight, so one group
  // commit carries many edits of one masterplan. Safe with other writers (processes, nodes):
  // each append names the one it follows. 1: one command at a time per masterplan.
  std::size_t max_in_flight = 32;
  // Decide a command on the thread that calls submit() when its masterplan is idle, loaded
  // and has no plugin enabled (a decision is then a few microseconds of CPU, less than
  // waking a worker for it); otherwise, and when false, a worker decides.
  bool decide_on_caller = true;
  // A masterplan that no command and no state() has used for this long is let go: its states
  // are freed, and its next use loads it again from the log (its latest snapshot and the
  // events after it; 46 ms at the median for a city masterplan). A node that serves every
  // city then holds the masterplans in use, not every one used since it started. Checked by
  // a thread of the engine every quarter of this time (at most every minute). 0: never.
  std::chrono::milliseconds unload_idle_after{std::chrono::minutes(10)};
};

class CommandEngine {
 public:
  // REQUIRES: `log` (and `extensions`, when not null) outlive the engine.
  CommandEngine(store::EventLog& log, const model::Extensions* extensions,
                EngineOptions options = {});
  ~CommandEngine();
  CommandEngine(const CommandEngine&) = delete;
  CommandEngine& operator=(const CommandEngine&) = delete;

  // Queues the command; `done` runs once with its outcome, after the commit.
  void submit(CommandEnvelope envelope, std::function<void(Outcome)> done);

  // Blocking convenience over submit().
  Outcome submit_sync(CommandEnvelope envelope);

  // The current state of a masterplan (loading it if needed), or nullptr when the stream
  // has no events. The returned state is immutable and stays valid as long as it is held;
  // later commands produce new states. It may be read-only (has_bookkeeping = false: the
  // content without decide's bookkeeping), which is what views and the server read.
  store::StoreResult<std::shared_ptr<const model::MasterplanState>> state(
      std::string_view masterplan);

  // Calls `read` with the current content of a masterplan (nullptr when the stream has no
  // events) without copying it, when the masterplan is loaded already and not behind another
  // writer; false, and `read` not called, otherwise. For a glance at a few fields (is this
  // user a member?) on every command, where state() would copy a megabyte after each commit,
  // and of every masterplan of the log, which must not load them all. `read` runs under the
  // masterplan's lock: it must be quick and must not call the engine.
  bool read_loaded_state(std::string_view masterplan,
                         const std::function<void(const model::MasterplanState*)>& read);

  // Lets go of every loaded masterplan with nothing queued, in flight or being delivered that
  // no command and no state() has used for at least `idle_for`; returns how many. A snapshot
  // that was due and not yet taken is handed to the snapshot writer first. States already
  // handed out by state() stay valid. The engine calls it itself (unload_idle_after).
  std::size_t unload_idle(std::chrono::milliseconds idle_for);

  // How many masterplans have their state in memory.
  std::size_t loaded_masterplans();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rembuk::engine
