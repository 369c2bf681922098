#include "ws_bench_support.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "bare_server.hpp"
#include "rembuk/engine/command_engine.hpp"
#include "rembuk/server/token.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench: %s\n", why.c_str());
  std::exit(1);
}

[[noreturn]] void run_child(const ServerProcessOptions& options, const std::string& dir,
                            const std::string& secret, int port_fd) {
  store::LmdbOptions lmdb;
  lmdb.path = dir;
  lmdb.durability = options.nosync ? store::Durability::nosync : store::Durability::sync;
  lmdb.reserve_bytes = options.reserve_bytes;
  lmdb.meta_sync = options.meta_sync;
  auto log = store::open_lmdb_event_log(lmdb);
  if (!log) {
    std::fprintf(stderr, "server child: %s\n", log.error().message.c_str());
    _exit(3);
  }
  engine::EngineOptions engine_options;
  engine_options.threads = options.engine_threads;
  engine_options.decide_on_caller = options.engine_decide_on_caller;
  engine_options.max_in_flight = options.engine_in_flight;
  engine_options.snapshot_every = options.engine_snapshot_every;
  auto engine = std::make_unique<engine::CommandEngine>(**log, nullptr, engine_options);
  {
    server::ServerOptions so = options.server;
    so.port = 0;
    so.token_secret = secret;
    so.threads = options.threads;
    so.extra_metrics = [served = log->get()] { return store::commit_metrics_text(*served); };
    server::Server server(so, **log, engine.get());
    server.handle_signals();
    auto started = server.start();
    if (!started) {
      std::fprintf(stderr, "server child: %s\n", started.error().c_str());
      _exit(4);
    }
    const std::uint16_t port = server.port();
    if (::write(port_fd, &port, sizeof port) != sizeof port) _exit(5);
    ::close(port_fd);
    server.wait();
  }
  engine.reset();
  (*log)->close();
  _exit(0);
}

}  // namespace

ServerProcess::ServerProcess(const ServerProcessOptions& options) {
  char tmpl[] = "/tmp/rembuk-bench-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) die("mkdtemp failed");
  dir_ = tmpl;
  auto secret = server::load_or_create_secret(dir_);
  if (!secret) die(secret.error());
  secret_ = *secret;
  int fds[2];
  if (::pipe(fds) != 0) die("pipe failed");
  pid_ = ::fork();
  if (pid_ < 0) die("fork failed");
  if (pid_ == 0) {
    ::close(fds[0]);
    if (options.bare) {
      run_bare_server({options.nosync, options.threads, 0}, dir_, [fd = fds[1]](std::uint16_t port) {
        if (::write(fd, &port, sizeof port) != sizeof port) _exit(5);
        ::close(fd);
      });
    }
    run_child(options, dir_, secret_, fds[1]);
  }
  ::close(fds[1]);
  if (::read(fds[0], &port_, sizeof port_) != sizeof port_) die("the server child did not start");
  ::close(fds[0]);
}

ServerProcess::~ServerProcess() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int ServerProcess::stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

std::string ServerProcess::metrics() const {
  namespace http = beast::http;
  try {
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), port_});
    http::request<http::empty_body> req{http::verb::get, "/metrics", 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(socket, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res.result() == http::status::ok ? res.body() : std::string{};
  } catch (const std::exception&) {
    return {};
  }
}

double metric_value(std::string_view text, std::string_view series) {
  std::size_t at = 0;
  while ((at = text.find(series, at)) != std::string_view::npos) {
    const bool line_start = at == 0 || text[at - 1] == '\n';
    const std::size_t after = at + series.size();
    if (line_start && after < text.size() && text[after] == ' ') {
      return std::strtod(std::string(text.substr(after + 1, 32)).c_str(), nullptr);
    }
    at = after;
  }
  return 0;
}

std::size_t ServerProcess::rss_bytes() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

namespace {

// utime + stime of a /proc/…/stat file, in seconds, and the command name it gives.
std::pair<std::string, double> stat_cpu_seconds(const std::string& path) {
  std::ifstream in(path);
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces) end at its ')'.
  const auto open = stat.find('(');
  const auto close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return {"", 0};
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) {
      stime = std::stoull(field);
      break;
    }
  }
  return {stat.substr(open + 1, close - open - 1),
          static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK))};
}

}  // namespace

double process_cpu_seconds(pid_t pid) {
  return stat_cpu_seconds("/proc/" + std::to_string(pid) + "/stat").second;
}

std::map<std::string, double> thread_cpu_seconds(pid_t pid) {
  std::map<std::string, double> by_name;
  std::error_code error;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", error)) {
    const auto [name, seconds] = stat_cpu_seconds(task.path().string() + "/stat");
    if (!name.empty()) by_name[name] += seconds;
  }
  return by_name;
}

std::map<std::string, double> thread_cpu_seconds_since(
    pid_t pid, const std::map<std::string, double>& before) {
  auto used = thread_cpu_seconds(pid);
  for (auto& [name, seconds] : used) {
    const auto it = before.find(name);
    if (it != before.end()) seconds -= it->second;
  }
  return used;
}

double ServerProcess::cpu_seconds() const { return process_cpu_seconds(pid_); }

std::string ServerProcess::token(const std::string& user,
                                 const std::vector<std::string>& roles) const {
  server::Claims c;
  c.user = user;
  c.roles = roles;
  c.issued_at = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  c.expires_at = c.issued_at + 3600;
  return server::issue_token(c, secret_);
}

BenchConnection::BenchConnection(asio::io_context& ioc) : ws_(ioc) {}

void BenchConnection::connect(const asio::ip::tcp::endpoint& endpoint,
                              std::function<void(bool)> ready) {
  auto self = shared_from_this();
  beast::get_lowest_layer(ws_).async_connect(
      endpoint, [self, ready = std::move(ready)](beast::error_code ec) mutable {
        if (ec) return ready(false);
        beast::error_code ignored;
        beast::get_lowest_layer(self->ws_).set_option(asio::ip::tcp::no_delay(true), ignored);
        self->ws_.auto_fragment(false);
        self->ws_.read_message_max(64u << 20);
        self->ws_.async_handshake("127.0.0.1", "/ws",
                                  [self, ready = std::move(ready)](beast::error_code hec) {
                                    if (hec) return ready(false);
                                    self->open_ = true;
                                    self->do_read();
                                    ready(true);
                                  });
      });
}

void BenchConnection::do_read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      self->open_ = false;
      return;
    }
    const auto data = self->buffer_.cdata();
    if (self->on_message_) {
      self->on_message_(std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
    self->buffer_.consume(self->buffer_.size());
    self->do_read();
  });
}

void BenchConnection::send(std::string text) {
  queue_.push_back(std::move(text));
  if (!writing_) do_write();
}

void BenchConnection::do_write() {
  if (queue_.empty() || !open_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  ws_.async_write(asio::buffer(queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->queue_.pop_front();
                    if (ec) {
                      self->open_ = false;
                      self->writing_ = false;
                      return;
                    }
                    self->do_write();
                  });
}

void BenchConnection::close() {
  if (!open_) return;
  ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {});
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1));
  return values[index];
}

std::string_view json_string_field(std::string_view text, std::string_view key) {
  std::string pattern = "\"";
  pattern += key;
  pattern += "\":\"";
  const auto at = text.find(pattern);
  if (at == std::string_view::npos) return {};
  const auto start = at + pattern.size();
  const auto end = text.find('"', start);
  if (end == std::string_view::npos) return {};
  return text.substr(start, end - start);
}

bool seed_masterplan(asio::io_context& ioc, const asio::ip::tcp::endpoint& ep,
                     const std::string& token, const std::vector<std::string>& masterplans) {
  auto conn = std::make_shared<BenchConnection>(ioc);
  std::vector<std::string> script;
  for (const auto& mp : masterplans) {
    auto submit = [&](const std::string& id, const std::string& command) {
      script.push_back(R"({"type":"submit","commandId":")" + mp + "-" + id +
                       R"(","masterplan":")" + mp + R"(","command":)" + command + "}");
    };
    submit("create", R"({"type":"CreateMasterplan","cityName":"Bench","regionCode":"13.71",)"
                     R"("startYear":2019,"endYear":2023})");
    submit("opd", R"({"type":"RegisterOpd","opdId":"diskominfo","name":"Dinas Kominfo"})");
    submit("p1", R"({"type":"AddProgram","programId":"p1","title":"Program","dimension":"governance",)"
                 R"("element":"public_service","leadOpd":"diskominfo","startYear":2019,"endYear":2023})");
  }
  std::size_t next = 0;
  bool ok = true;
  bool done = false;
  conn->on_message([&](std::string_view text) {
    const auto type = json_string_field(text, "type");
    if (type == "welcome" || type == "ack" || type == "reject") {
      if (type == "reject") {
        const auto code = json_string_field(text, "code");
        if (code != "masterplan.exists" && code != "opd.id_taken" && code != "program.id_taken") {
          std::fprintf(stderr, "seed rejected: %.*s\n", static_cast<int>(text.size()), text.data());
          ok = false;
        }
      }
      if (next < script.size()) {
        conn->send(script[next++]);
      } else {
        done = true;
        conn->close();
      }
    }
  });
  conn->connect(ep, [&](bool connected) {
    if (!connected) {
      ok = false;
      done = true;
      return;
    }
    conn->send(R"({"type":"hello","token":")" + token + "\"}");
  });
  while (!done && ioc.run_one() > 0) {
  }
  ioc.restart();
  ioc.run_for(std::chrono::milliseconds(50));
  ioc.restart();
  return ok && done;
}

}  // namespace rembuk::bench
