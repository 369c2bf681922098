// PostgresListener: the thread that hears other nodes' commits.
//
// It LISTENs on the log's channel with a connection of its own; each notification carries
// the last position of one commit (on any node), which it publishes to the CommitSignal so
// that subscriptions wake and read what they miss from `events`. Notifications only wake;
// the table is the truth, so a lost notification costs latency, not events: the listener
// also reads log_head after (re)connecting and once a second.
//
// Thread safety: stop() may be called from any thread.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "commit_signal.hpp"
#include "rembuk/store/postgres_event_log.hpp"

namespace rembuk::store {

class PostgresListener {
 public:
  // REQUIRES: signal outlives this object.
  PostgresListener(const PostgresOptions& options, CommitSignal& signal);
  ~PostgresListener();
  PostgresListener(const PostgresListener&) = delete;
  PostgresListener& operator=(const PostgresListener&) = delete;
  void stop();

 private:
  void run();
  const std::string conninfo_;
  const std::string schema_;
  CommitSignal& signal_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace rembuk::store
