// Hub: what every session of one Server shares — options, the log, the command path,
// the rooms, the registry of live sessions, metrics — and the live event feed from the
// log to the rooms.
//
// Live feed: one store subscription per server. Each committed batch is split by
// masterplan, serialised once per masterplan into one `events` Frame, and handed to that
// masterplan's Room (if anyone subscribed).
//
// Thread safety: every member may be called from any thread.
// Lifetime: owned by Server::Impl, outlives every session (sessions hold a reference).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "command_path.hpp"
#include "io_handoff.hpp"
#include "rembuk/accounts/oidc_verifier.hpp"
#include "rembuk/accounts/password.hpp"
#include "rembuk/accounts/sign_in_limiter.hpp"
#include "metrics.hpp"
#include "overview_route.hpp"
#include "rembuk/server/server.hpp"
#include "rembuk/server/view_source.hpp"
#include "rembuk/store/event_log.hpp"
#include "room.hpp"

namespace rembuk::server {

class WebsocketSession;

class Hub {
 public:
  Hub(ServerOptions options, store::EventLog& log, std::unique_ptr<CommandPath> commands,
      ViewSource* views);
  ~Hub();

  const ServerOptions& options() const { return options_; }
  store::EventLog& log() { return log_; }
  CommandPath& commands() { return *commands_; }
  ViewSource* views() { return views_; }
  Overview& overview() { return *overview_; }
  Metrics& metrics() { return metrics_; }

  std::int64_t now_s() const;

  // Sign-in limits (docs/security.md, "Signing in"): keys "user:<id>" and "address:<ip>".
  accounts::SignInLimiter& account_limiter() { return account_limiter_; }
  accounts::SignInLimiter& address_limiter() { return address_limiter_; }
  accounts::PasswordCost password_cost() const;

  // The city's identity provider, when configured (null otherwise). start_oidc() reads its
  // key set; call once before serving.
  accounts::OidcVerifier* oidc() { return oidc_.get(); }
  Result<Unit, std::string> start_oidc();

  // Starts the live feed after the log's current head.
  Result<Unit, std::string> start_feed();
  void stop_feed();

  // Rooms.
  std::shared_ptr<Room> join(const std::string& masterplan, std::uint64_t session_id,
                             std::weak_ptr<WebsocketSession> session);
  void leave(const std::string& masterplan, std::uint64_t session_id);
  std::vector<std::shared_ptr<Room>> rooms() const;

  // Sessions. register_session fails (false) when max_connections is reached.
  std::uint64_t next_session_id() { return next_session_id_.fetch_add(1) + 1; }
  bool register_session(std::uint64_t id, std::weak_ptr<WebsocketSession> session);
  void unregister_session(std::uint64_t id);
  std::vector<std::shared_ptr<WebsocketSession>> sessions() const;
  std::size_t session_count() const;

  // Connections still in their HTTP phase (HttpSession alive). With session_count() they
  // are held against max_connections: over it, HTTP requests get 503.
  void http_session_opened() { http_sessions_.fetch_add(1, std::memory_order_relaxed); }
  void http_session_closed() { http_sessions_.fetch_sub(1, std::memory_order_relaxed); }
  std::int64_t http_sessions() const { return http_sessions_.load(std::memory_order_relaxed); }

  // Shutdown: after begin_stop(), submits are refused with `unavailable`.
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  void begin_stop() { stopping_.store(true, std::memory_order_release); }

  // Runs `task` where it may take long (a masterplan's first load, the overview catching up
  // with the log, an export, a password hash) without holding an I/O thread, whose other
  // connections would wait for it: on the server's pool (set_blocking_pool), or inline
  // when none is set.
  void run_blocking(std::function<void()> task) {
    if (blocking_pool_) {
      blocking_pool_(std::move(task));
    } else {
      task();
    }
  }
  // REQUIRES: called before serving.
  void set_blocking_pool(std::function<void(std::function<void()>)> post) {
    blocking_pool_ = std::move(post);
  }

  // Runs `task` on the thread of the io context `context` (an asio::io_context), batched with
  // the tasks handed over meanwhile (io_handoff.hpp): how an outcome told on the log's
  // completion thread reaches its connection. Inline for a context never added.
  void hand_to_io(const void* context, std::function<void()> task) {
    for (auto& [added, handoff] : io_handoffs_) {
      if (added == context) return handoff->hand_over(std::move(task));
    }
    task();
  }
  // REQUIRES: called before serving, once per io context. `post` queues a function on it.
  void add_io_context(const void* context, std::function<void(std::function<void()>)> post) {
    io_handoffs_.emplace_back(context, std::make_unique<IoHandoff>(std::move(post)));
  }
  // Drops what was handed over and never ran (the io threads have stopped).
  void discard_io_handoffs() {
    for (auto& entry : io_handoffs_) entry.second->discard();
  }

  // Commands handed to the engine whose outcome has not come back yet.
  void submit_started() { in_flight_.fetch_add(1, std::memory_order_acq_rel); }
  void submit_finished() { in_flight_.fetch_sub(1, std::memory_order_acq_rel); }
  std::int64_t in_flight() const { return in_flight_.load(std::memory_order_acquire); }

 private:
  void on_committed(const std::vector<store::RecordedEvent>& batch);

  const ServerOptions options_;
  store::EventLog& log_;
  std::unique_ptr<CommandPath> commands_;
  ViewSource* views_;
  std::unique_ptr<Overview> overview_;  // GET /api/overview
  Metrics metrics_;
  accounts::SignInLimiter account_limiter_;
  accounts::SignInLimiter address_limiter_;
  std::unique_ptr<accounts::OidcVerifier> oidc_;

  mutable std::mutex rooms_mutex_;
  std::unordered_map<std::string, std::shared_ptr<Room>> rooms_;  // GUARDED_BY(rooms_mutex_)

  mutable std::mutex sessions_mutex_;
  // GUARDED_BY(sessions_mutex_)
  std::unordered_map<std::uint64_t, std::weak_ptr<WebsocketSession>> sessions_;

  std::atomic<std::uint64_t> next_session_id_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::int64_t> http_sessions_{0};
  std::unique_ptr<store::Subscription> feed_;
  std::function<void(std::function<void()>)> blocking_pool_;
  // One per io context; set before serving, read-only after.
  std::vector<std::pair<const void*, std::unique_ptr<IoHandoff>>> io_handoffs_;
};

}  // namespace rembuk::server
