// Checkpointer: records a signed checkpoint (checkpoint.hpp) of a masterplan every `every`
// events of it and at each status change (submit, review, approve, reopen).
//
// It is a subscriber of the log, not a step of the command path: it sees every committed
// event in position order (paced: it reads once per `pace`, not once per commit), keeps each
// masterplan's digest chain, and appends a "CheckpointSigned" event to
// `$checkpoints/<masterplan>` when one is due. So a command's
// ack never waits for signing, a checkpoint names exactly the event it follows (its
// revision, position and record hash), whenever it is written, and writers other than the
// engine (`rembuk import`) are covered too.
//
// At start it takes each masterplan's digest chain from its last checkpoint (after checking
// that the event it names is the one in the log) and reads the log from the oldest of those
// positions; when a masterplan has no checkpoint it reads from position 1 and rebuilds every
// digest. When it reaches the head it was started at, it writes the checkpoints that are
// due but missing (events written while no checkpointer ran), then one "seal" checkpoint at
// the head of each masterplan that has unsigned events. After that it is live. Resumed, the
// count towards the next "every" checkpoint starts again at the checkpoint resumed from.
//
// Checkpoints of one masterplan are appended in revision order. A checkpoint that fails to
// append (full disk, closed log) is counted in stats().failures and not retried: the next
// one covers its events, since every checkpoint signs the whole prefix.
//
// Thread safety: flush(), stats() and stop() may be called from any thread. The work runs on
// a thread of its own while it reads the last checkpoints, then on the log's subscription
// thread and its completion thread.
// Lifetime: the log must outlive the Checkpointer; destroy (or stop()) it before closing
// the log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rembuk/audit/checkpoint.hpp"
#include "rembuk/audit/errors.hpp"
#include "rembuk/audit/signing_key.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::audit {

struct CheckpointOptions {
  // Events of one masterplan between two checkpoints; 0: only at status changes and at start.
  std::uint64_t every = 100;
  // How often the checkpointer reads what was committed (EventLog::subscribe_paced): once
  // per pace with everything since, not once per commit. 0: every commit.
  std::chrono::milliseconds pace{50};
  // Signing time, microseconds since the Unix epoch; empty: the system clock.
  std::function<std::int64_t()> clock;
};

struct CheckpointStats {
  std::uint64_t written = 0;   // checkpoints committed
  std::uint64_t failures = 0;  // checkpoints the log refused
  std::string last_error;      // why the last one was refused
  // Where the start read the log from: after this position (0: from the first event).
  store::Position resumed_after = 0;
};

class Checkpointer {
 public:
  // Subscribes to `log` (see above for where from), after reading the last checkpoints on a
  // thread of its own. storage_error when the log's head cannot be read.
  static AuditResult<std::unique_ptr<Checkpointer>> start(store::EventLog& log, SigningKey key,
                                                          CheckpointOptions options = {});
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Returns once every event committed before the call has been seen and every checkpoint
  // those events called for has committed (or failed). For tests, the CLI and shutdown.
  // REQUIRES: not called from a log callback or handler.
  void flush();

  CheckpointStats stats() const;

  // Stops the subscription and waits for checkpoints in flight. Idempotent.
  void stop();

 private:
  struct StreamTrail {
    store::Revision revision = 0;        // last event seen
    store::Position position = 0;        // its position
    store::Hash head_hash{};             // its record hash
    store::Hash digest{};                // digest(revision)
    store::Revision checkpointed = 0;    // highest revision with a checkpoint in the log
    store::Revision emitted = 0;         // highest revision this process asked to sign
    std::uint64_t since = 0;             // events since the last due checkpoint
    std::vector<Checkpoint> pending;     // due while catching up, not yet in the log
  };

  Checkpointer(store::EventLog& log, SigningKey key, CheckpointOptions options,
               store::Position start_head);
  // The trail as the masterplan's last checkpoint left it, if that checkpoint is readable
  // and names an event the log holds.
  std::optional<StreamTrail> trail_from_last_checkpoint(const std::string& masterplan);
  // Seeds the trails from the checkpoints; the position to read the log after (0: all).
  store::Position resume_from_checkpoints();
  void on_batch(const std::vector<store::RecordedEvent>& batch);
  void note_checkpoint_event(const store::RecordedEvent& event);
  void note_masterplan_event(const store::RecordedEvent& event, std::vector<Checkpoint>& out);
  void finish_catch_up(std::vector<Checkpoint>& out);
  void emit(std::vector<Checkpoint> due);

  store::EventLog& log_;
  const SigningKey key_;
  const CheckpointOptions options_;
  const store::Position start_head_;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, StreamTrail, std::less<>> trails_;  // GUARDED_BY(mu_)
  store::Position seen_ = 0;                                // GUARDED_BY(mu_)
  bool caught_up_ = false;                                  // GUARDED_BY(mu_)
  std::uint64_t in_flight_ = 0;                             // GUARDED_BY(mu_)
  CheckpointStats stats_;                                   // GUARDED_BY(mu_)
  std::mutex start_mu_;
  bool stopping_ = false;  // GUARDED_BY(start_mu_)
  // Set by starter_ (under start_mu_), read by stop() once starter_ has been joined.
  std::unique_ptr<store::Subscription> subscription_;
  std::thread starter_;  // resumes from the checkpoints, then subscribes
};

}  // namespace rembuk::audit
