// Support for the WebSocket scenarios (ws-edits, fanout, idle): a rembuk server in a child
// process (so its RSS and CPU are its own), and a light asynchronous Beast client that runs
// many connections on one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "rembuk/engine/command_engine.hpp"
#include "rembuk/server/server.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::bench {

struct ServerProcessOptions {
  bool nosync = false;       // LMDB durability (default: durable)
  store::MetaSync meta_sync = store::MetaSync::next_commit;  // LmdbOptions::meta_sync
  std::size_t reserve_bytes = store::LmdbOptions{}.reserve_bytes;  // LmdbOptions::reserve_bytes
  unsigned threads = 0;      // server io threads; 0 = one per core
  unsigned engine_threads = 2;
  bool engine_decide_on_caller = engine::EngineOptions{}.decide_on_caller;
  std::size_t engine_in_flight = 32;  // EngineOptions::max_in_flight (1: no pipelining)
  std::uint64_t engine_snapshot_every = 1000;  // EngineOptions::snapshot_every
  server::ServerOptions server;  // limits; port/secret are filled in
  bool bare = false;  // the bare server (bare_server.hpp) instead of rembuk's: the floor
};

// CPU time (user + system) process `pid` has used so far, in seconds (0 when it is gone).
double process_cpu_seconds(pid_t pid);
// The same per thread name (threads of one name summed), for a breakdown of where it went.
// Threads that ended are not counted.
std::map<std::string, double> thread_cpu_seconds(pid_t pid);
// What each thread name used since `before` (an earlier thread_cpu_seconds of the same pid).
std::map<std::string, double> thread_cpu_seconds_since(pid_t pid,
                                                       const std::map<std::string, double>& before);

// A `rembuk serve` equivalent forked from the bench (before it starts any thread), or the
// bare server (ServerProcessOptions::bare), which has no /metrics.
class ServerProcess {
 public:
  explicit ServerProcess(const ServerProcessOptions& options);
  ~ServerProcess();  // SIGTERM, wait, remove the data folder

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& secret() const { return secret_; }
  // Resident set size of the server process, in bytes.
  std::size_t rss_bytes() const;
  // CPU time (user + system) the server process has used so far, in seconds.
  double cpu_seconds() const;
  // Stops it (SIGTERM) and returns its exit status.
  int stop();
  // GET /metrics (Prometheus text); empty if the request failed.
  std::string metrics() const;

  // A token for `user` with `roles`, valid for an hour.
  std::string token(const std::string& user, const std::vector<std::string>& roles) const;

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string dir_;
  std::string secret_;
};

// One client connection; all callbacks run on the io_context's (single) thread.
class BenchConnection : public std::enable_shared_from_this<BenchConnection> {
 public:
  using OnMessage = std::function<void(std::string_view)>;

  explicit BenchConnection(boost::asio::io_context& ioc);

  // Connects, does the WebSocket handshake, then calls `ready(ok)`.
  void connect(const boost::asio::ip::tcp::endpoint& endpoint, std::function<void(bool)> ready);
  void on_message(OnMessage handler) { on_message_ = std::move(handler); }
  void send(std::string text);
  bool open() const { return open_; }
  void close();

 private:
  void do_read();
  void do_write();

  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool open_ = false;
  OnMessage on_message_;
};

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p);

// The value of the first sample of `series` (a metric name with its labels, exactly as
// written, e.g. `rembuk_log_ack_phase_seconds_total{phase="queue"}`) in Prometheus text; 0 if
// absent.
double metric_value(std::string_view text, std::string_view series);

// Value of a JSON string field in a flat message, e.g. json_string_field(text, "type").
std::string_view json_string_field(std::string_view text, std::string_view key);

// Seeds `masterplan`: created, one OPD, one program "p1" (led by it). Blocks: it
// runs `ioc` until done; returns false on any reject.
bool seed_masterplan(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& ep,
                     const std::string& token, const std::vector<std::string>& masterplans);

}  // namespace rembuk::bench
