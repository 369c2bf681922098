// Server::Impl: the io_contexts and their threads, the listener, the sweeper (timeouts and
// presence expiry), signal handling and the graceful shutdown sequence.
//
// One io_context per io thread, each connection on one of them (round robin by the
// listener): a handler posted on the connection's own thread stays in that thread's queue,
// where a shared io_context would wake the other thread for it (a futex or an epoll_ctl and a
// context switch, dearer on a virtual machine than the handler). Context 0 also runs the
// listener, the timers and the signals.
#include "rembuk/server/server.hpp"

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "hub.hpp"
#include "listener.hpp"
#include "projection_views.hpp"
#include "rembuk/accounts/account_store.hpp"
#include "rembuk/common/thread_name.hpp"
#include "websocket_session.hpp"

namespace rembuk::server {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

class Server::Impl {
 public:
  Impl(ServerOptions options, store::EventLog& log, engine::CommandEngine* engine,
       ViewSource* views)
      : default_views_(views == nullptr ? make_projection_views(log, options.extensions) : nullptr),
        hub_(std::move(options), log, make_command_path(log, engine),
             views != nullptr ? views : default_views_.get()),
        ioc_(1),
        work_(asio::make_work_guard(ioc_)),
        blocking_work_(asio::make_work_guard(blocking_)),
        sweeper_(ioc_),
        accounts_watch_(ioc_),
        shutdown_timer_(ioc_) {
    hub_.set_blocking_pool(
        [this](std::function<void()> task) { asio::post(blocking_, std::move(task)); });
    unsigned n = hub_.options().threads;
    if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
    contexts_.push_back(&ioc_);
    for (unsigned i = 1; i < n; ++i) {
      more_contexts_.push_back(std::make_unique<asio::io_context>(1));
      more_work_.push_back(asio::make_work_guard(*more_contexts_.back()));
      contexts_.push_back(more_contexts_.back().get());
    }
    for (auto* context : contexts_) {
      // Keyed as the sessions find it: asio::query(executor, asio::execution::context).
      hub_.add_io_context(
          static_cast<asio::execution_context*>(context),
          [context](std::function<void()> task) { asio::post(*context, std::move(task)); });
    }
  }

  ~Impl() {
    stop();
    wait();
    // Outcomes still owed by the engine post into the (stopped) io contexts; wait for them
    // so that no callback touches a destroyed Hub.
    while (hub_.in_flight() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    hub_.discard_io_handoffs();  // their sessions go while the io contexts still exist
    hub_.stop_feed();
  }

  Result<Unit, std::string> start() {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(hub_.options().listen_address, ec);
    if (ec) return fail("bad listen address '" + hub_.options().listen_address + "'");
    if (hub_.options().token_secret.empty()) return fail(std::string("no token secret"));
    if (auto tls = make_tls(); !tls) return tls;
    if (auto oidc = hub_.start_oidc(); !oidc) return oidc;
    listener_ = std::make_shared<Listener>(ioc_, contexts_, hub_, tls_ ? &*tls_ : nullptr);
    if (auto opened = listener_->open({address, hub_.options().port}); !opened) return opened;
    if (auto fed = hub_.start_feed(); !fed) return fed;
    listener_->run();
    schedule_sweep();
    if (auto* accounts = hub_.options().accounts) {
      accounts_seen_ = accounts->change_counter();
      watch_accounts();
    }
    for (auto* context : contexts_) {
      threads_.emplace_back([context] {
        name_this_thread("rembuk-io");
        context->run();
      });
    }
    for (unsigned i = 0; i < std::max<std::size_t>(2, contexts_.size()); ++i) {
      blocking_threads_.emplace_back([this] {
        name_this_thread("rembuk-http");
        blocking_.run();
      });
    }
    started_ = true;
    return Unit{};
  }

  std::uint16_t port() const { return listener_ ? listener_->port() : 0; }
  const char* scheme() const { return tls_ ? "https" : "http"; }

  void handle_signals() {
    signals_.emplace(ioc_, SIGINT, SIGTERM);
    signals_->async_wait([this](const boost::system::error_code& ec, int) {
      if (!ec) stop();
    });
  }

  void stop() {
    if (stop_requested_.exchange(true)) return;
    if (!started_) {
      end_io();
      return;
    }
    asio::post(ioc_, [this] {
      hub_.begin_stop();
      if (listener_) listener_->stop();
      if (signals_) signals_->cancel();
      sweeper_.cancel();
      accounts_watch_.cancel();
      drain_deadline_ = Clock::now() + hub_.options().shutdown_grace;
      wait_for_commits();
    });
  }

  void wait() {
    std::lock_guard lock(wait_mutex_);
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    // Requests still being answered finish; their answers go nowhere (the sockets are shut).
    blocking_work_.reset();
    for (auto& t : blocking_threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  // The TLS context from the configured PEM files: TLS 1.2 or later, no compression, the
  // key checked against the certificate, so a bad pair fails start() instead of every
  // handshake.
  Result<Unit, std::string> make_tls() {
    const auto& o = hub_.options();
    if (o.tls_cert_file.empty() && o.tls_key_file.empty()) return Unit{};
    if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
      return fail(std::string("TLS needs both a certificate and a key file"));
    }
    tls_.emplace(asio::ssl::context::tls_server);
    tls_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::no_compression |
                      asio::ssl::context::single_dh_use);
    boost::system::error_code ec;
    tls_->use_certificate_chain_file(o.tls_cert_file, ec);
    if (ec) {
      tls_.reset();
      return fail("cannot use the TLS certificate " + o.tls_cert_file + ": " + ec.message());
    }
    tls_->use_private_key_file(o.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) {
      tls_.reset();
      return fail("cannot use the TLS key " + o.tls_key_file + ": " + ec.message());
    }
    if (SSL_CTX_check_private_key(tls_->native_handle()) != 1) {
      tls_.reset();
      return fail("the TLS key " + o.tls_key_file + " does not match the certificate " +
                  o.tls_cert_file);
    }
    return Unit{};
  }

  void schedule_sweep() {
    const auto& o = hub_.options();
    auto period = std::min({o.idle_timeout, o.hello_timeout, o.presence_ttl}) / 4;
    period = std::clamp(period, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
    sweeper_.expires_after(period);
    sweeper_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stop_requested_) return;
      const auto now = Clock::now();
      for (const auto& session : hub_.sessions()) session->sweep(now);
      for (const auto& room : hub_.rooms()) room->expire_presence(now, hub_.options().presence_ttl);
      schedule_sweep();
    });
  }

  // Disabling an account or ending a session (here, over HTTP, or by `rembuk user disable` in
  // another process) moves the store's change counter; then every person's connection
  // re-checks its account, so a disabled one is closed within accounts_poll.
  void watch_accounts() {
    accounts_watch_.expires_after(hub_.options().accounts_poll);
    accounts_watch_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stop_requested_) return;
      const auto counter = hub_.options().accounts->change_counter();
      if (counter != accounts_seen_) {
        accounts_seen_ = counter;
        for (const auto& session : hub_.sessions()) session->recheck_account();
      }
      watch_accounts();
    });
  }

  // Step 1 of shutdown: let commits already handed to the engine finish (their acks are
  // posted to the sessions before we close them).
  void wait_for_commits() {
    if (hub_.in_flight() > 0 && Clock::now() < drain_deadline_) {
      shutdown_timer_.expires_after(std::chrono::milliseconds(2));
      shutdown_timer_.async_wait([this](const boost::system::error_code&) { wait_for_commits(); });
      return;
    }
    for (const auto& session : hub_.sessions()) session->shutdown();
    close_deadline_ = Clock::now() + std::chrono::seconds(6);
    wait_for_sessions();
  }

  // Step 2: every socket closed with 1001 (or the deadline passed); then end the threads.
  void wait_for_sessions() {
    if (hub_.session_count() > 0 && Clock::now() < close_deadline_) {
      shutdown_timer_.expires_after(std::chrono::milliseconds(2));
      shutdown_timer_.async_wait([this](const boost::system::error_code&) { wait_for_sessions(); });
      return;
    }
    end_io();
  }

  void end_io() {
    work_.reset();
    for (auto& work : more_work_) work.reset();
    for (auto* context : contexts_) context->stop();
  }

  std::unique_ptr<ViewSource> default_views_;  // kernel/projections, when none is given
  Hub hub_;  // declared before the io contexts: destroyed after every session
  // Contexts 1..n-1, declared before context 0 so that they are destroyed after it: the
  // listener's pending accept, which context 0 destroys with itself, holds a socket of the
  // context that was to get the next connection.
  std::vector<std::unique_ptr<asio::io_context>> more_contexts_;
  asio::io_context ioc_;  // context 0
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> more_work_;
  std::vector<asio::io_context*> contexts_;  // every one, context 0 first
  // HTTP requests that may take long (Hub::run_blocking), off the I/O threads. Declared
  // after hub_ and the io contexts, so destroyed before them: a task it never ran holds a
  // session, which needs hub_, and a task's answer is posted to the session's io context.
  asio::io_context blocking_;
  asio::executor_work_guard<asio::io_context::executor_type> blocking_work_;
  std::vector<std::thread> blocking_threads_;
  std::optional<asio::ssl::context> tls_;  // declared before the listener that borrows it
  std::shared_ptr<Listener> listener_;
  asio::steady_timer sweeper_;
  asio::steady_timer accounts_watch_;
  std::uint64_t accounts_seen_ = 0;  // only touched by watch_accounts' handler chain
  asio::steady_timer shutdown_timer_;
  std::optional<asio::signal_set> signals_;
  std::vector<std::thread> threads_;
  std::mutex wait_mutex_;
  std::atomic<bool> stop_requested_{false};
  bool started_ = false;
  Clock::time_point drain_deadline_;
  Clock::time_point close_deadline_;
};

Server::Server(ServerOptions options, store::EventLog& log, engine::CommandEngine* engine,
               ViewSource* views)
    : impl_(std::make_unique<Impl>(std::move(options), log, engine, views)) {}

Server::~Server() = default;

Result<Unit, std::string> Server::start() { return impl_->start(); }
std::uint16_t Server::port() const { return impl_->port(); }
const char* Server::scheme() const { return impl_->scheme(); }
void Server::stop() { impl_->stop(); }
void Server::wait() { impl_->wait(); }
void Server::handle_signals() { impl_->handle_signals(); }

}  // namespace rembuk::server
