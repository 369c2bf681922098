// WorkerPool: the worker processes of one isolated plugin version (private to the host).
//
// Each call takes an idle worker (or starts one: posix_spawn of `rembuk plugin worker FILE
// SHA256`, connected by a Unix socketpair on its stdin/stdout, see plugin_worker.hpp), sends
// one frame with the command and every validator of the plugin that wants it, answers the
// worker's state lookups (remote_state.hpp) and waits for the one answer frame until N ×
// budget + grace has passed since the call was sent (N validators, each with its own
// budget). A worker that answers goes back to the idle list. A worker that closes the socket
// (crashed: segfault, abort, exit) or does not answer in time (hang: killed with SIGKILL) is
// reaped and forgotten, so the next call starts a fresh one: "restarted when it dies" is
// lazy, and costs one worker start on the next call.
//
// With `follow_caller_cpu`, a call first moves its worker to the CPU of the thread making
// it (when it is not there already): the caller sleeps right after sending, so the worker
// runs at once on the CPU it leaves, and neither wake-up has to cross CPUs (on a VM an
// inter-processor interrupt, and a wait in another CPU's queue: the tail of a queue of
// editors behind one masterplan; docs/plugins.md, "Scale").
//
// The pool grows to as many workers as there are concurrent calls (one per thread deciding
// a command for this plugin), and ends them all in its destructor.
//
// Thread safety: run() may be called from any number of threads at once.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "rembuk/common/result.hpp"
#include "rembuk/plugins/loaded_plugin.hpp"
#include "rembuk/plugins/state_source.hpp"

namespace rembuk::plugins::detail {

struct WorkerSpec {
  std::string plugin;                // its name: the namespace of its violation codes
  std::vector<std::string> command;  // argv before FILE SHA256, e.g. {rembuk, plugin, worker}
  std::filesystem::path file;
  std::string sha256;
  std::filesystem::path staging_dir;
  std::chrono::nanoseconds budget{};
  std::chrono::nanoseconds grace{};
  std::chrono::milliseconds start_timeout{10'000};  // load + hello of a new worker
  bool follow_caller_cpu = false;
};

struct IsolatedRun {
  enum class Outcome {
    answered,     // `runs` holds the worker's answers, in the order of the call's validators
    crashed,      // the worker died during the call; `reason` says how
    timed_out,    // no answer within budget + grace; the worker was killed
    unavailable,  // no worker could be started; `reason` says why
  };
  Outcome outcome = Outcome::answered;
  // One per validator the worker ran: it stops after the first that failed or went over the
  // budget, so there may be fewer than the call named.
  std::vector<ValidatorRun> runs;
  std::string reason;
};

class WorkerPool {
 public:
  explicit WorkerPool(WorkerSpec spec);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Sends the command with the validators `indexes` (REQUIRES: not empty) in one frame and
  // answers the worker's lookups from `state` until it answers for all of them.
  IsolatedRun run(const std::vector<std::size_t>& indexes, const std::string& command_json,
                  std::string_view command_type, const StateSource& state);

  // Workers started so far (a restart after a crash shows here).
  std::size_t started() const noexcept { return started_.load(); }

 private:
  struct Worker {
    pid_t pid = -1;
    int fd = -1;
    int cpu = -1;  // the one CPU it may run on, -1: any
  };
  Result<Worker, std::string> spawn();
  // Moves `worker` to the calling thread's CPU (follow_caller_cpu).
  static void follow_caller(Worker& worker);
  // Ends a worker: SIGKILL unless it already exited, then reaps it. Returns how it ended.
  static std::string end(Worker& worker, std::chrono::milliseconds wait_for_exit);

  const WorkerSpec spec_;
  std::mutex mutex_;
  std::vector<Worker> idle_;  // GUARDED_BY(mutex_)
  std::atomic<std::size_t> started_{0};
};

}  // namespace rembuk::plugins::detail
