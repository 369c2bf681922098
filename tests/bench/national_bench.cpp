// national: the whole programme on one node: every kota/kabupaten's masterplan, years of
// history each, served by one `rembuk serve`.
//
//   1. Fixture (built in --data when it holds no log, reused after; not measured): --events
//      over --masterplans city-profile masterplans, as city_fixture.hpp builds them, with
//      snapshots where the engine writes them. --fixture-threads decide masterplans at once.
//   2. verify_events_per_s: the whole log's hash chain checked (`rembuk verify`'s
//      verify_lmdb_log) on every core; bytes_per_event: the data folder's allocated size over
//      its events (events, snapshots, indexes).
//   3. restart_ready_ms: the real `rembuk serve --data` (--rembuk, default the build's own)
//      started a second time (the first start makes the accounts, key and secret): from
//      fork until GET /healthz answers 200 on its port. Masterplans load on first use.
//      rss_idle_mb: its resident set then.
//   4. Load: --editors WebSocket connections (service tokens, tim_pelaksana) spread over
//      --active masterplans. The first subscribe of each active masterplan is sent alone,
//      from its current version (what a client that has just fetched the state asks):
//      cold_subscribe_p99_ms. cold_state_p99_ms: the first GET /api/masterplans/{id} of
//      each, which loads its latest snapshot and the events after it. Then every editor
//      subscribes, and they add comments at --edits-per-s in all while one HTTP client asks
//      --requests GET /api/masterplans/{id} (active masterplans at random: state_p99_ms) and
//      --requests GET /api/overview (the ministry's page, after its first request has
//      caught up with the whole log: overview_first_ms; overview_p99_ms), spread over
//      --seconds.
//      rss_loaded_mb: the server's resident set at the end of the load (and *_anon_mb: its
//      heap alone, without the log's mapped pages). server_cpu_s: the server's CPU time over
//      the load's load_s seconds (edits, reads and the overview's catching up);
//      server_cpu_us_per_edit: that over the acked edits; server_cpu_by_thread: that per
//      thread name ({"rembuk-follow":…,…}, threads that ended during the load left out).
//   With --unload-idle-after S the server lets masterplans go after S idle seconds; after
//   the load the bench reads how many are loaded (loaded_after_load: fewer than --active
//   when S was shorter than the warm-up), waits until none is (unload_ms) and reads the
//   resident set 15 s later (rss_unloaded_mb, rss_unloaded_anon_mb).
//   With --memory-limit-mb N the server runs in a memory cgroup limited to N MB
//   (memory_cgroup.hpp), as a container or a systemd unit's MemoryMax= would hold it; the
//   log's pages are evicted from the page cache before the restart, so that every page the
//   server reads is charged to it. Extra keys: memory_limit_mb, memory_peak_mb (the most the
//   cgroup was charged: heap, page cache, kernel), oom_kills (the run dies if the server
//   does).
//
// Output: {"scenario":"national","masterplans":…,"events":…,"restart_ready_ms":…,
//          "rss_idle_mb":…,"rss_loaded_mb":…,"cold_subscribe_p99_ms":…,"state_p99_ms":…,
//          "overview_p99_ms":…,"bytes_per_event":…,"verify_events_per_s":…, then extra keys}
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "city_fixture.hpp"
#include "memory_cgroup.hpp"
#include "percentile.hpp"
#include "rembuk/server/token.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#include "scenarios.hpp"
#include "ws_bench_support.hpp"
#include "ws_targets.hpp"

namespace rembuk::bench {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

struct NationalArgs {
  std::string data;
  std::uint64_t events = 25'000'000;
  int masterplans = 514;
  unsigned fixture_threads = 0;  // 0: one per core
  int editors = 5000;
  int active = 200;
  double edits_per_s = 200;
  int requests = 400;
  double seconds = 30;  // the load lasts at least this long; the requests spread over it
  bool build_only = false;
  std::uint64_t memory_limit_mb = 0;  // 0: no cgroup
  std::string rembuk;  // the rembuk binary; empty: the one built beside this bench
  int unload_idle_after_s = 0;  // passed to the server when > 0; then the unload is measured
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench national: %s\n", why.c_str());
  std::exit(1);
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double p99(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return sorted_percentile(samples, 0.99);
}

double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return sorted_percentile(samples, 0.5);
}

// Drops the file's clean pages from the page cache (those no process maps), so that the next
// reader reads them from the disk and is charged for them.
void evict_from_page_cache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) die("cannot open " + path);
  ::fdatasync(fd);
  const int advised = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
  if (advised != 0) die("posix_fadvise(DONTNEED) failed on " + path);
}

// The rembuk binary of the build this bench belongs to.
std::string default_rembuk() {
#ifdef REMBUK_BENCH_REMBUK
  return REMBUK_BENCH_REMBUK;
#else
  return "rembuk";
#endif
}

// Bytes the folder takes on disk (allocated blocks, so a sparse map file counts as written).
std::uint64_t allocated_bytes(const std::filesystem::path& folder) {
  std::uint64_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    struct stat st {};
    if (entry.is_regular_file() && ::stat(entry.path().c_str(), &st) == 0) {
      total += static_cast<std::uint64_t>(st.st_blocks) * 512;
    }
  }
  return total;
}

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    die("cannot find a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

// One keep-alive HTTP/1.1 connection to the server, blocking.
class HttpProbe {
 public:
  explicit HttpProbe(std::uint16_t port) : port_(port) {}

  // The status of GET `target` (0 when the connection failed); the body in `body`.
  int get(const std::string& target, const std::string& token, std::string* body = nullptr) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!socket_.is_open()) socket_.connect({asio::ip::make_address("127.0.0.1"), port_});
        http::request<http::empty_body> request{http::verb::get, target, 11};
        request.set(http::field::host, "127.0.0.1");
        if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
        http::write(socket_, request);
        http::response_parser<http::string_body> parser;
        parser.body_limit(std::uint64_t{1} << 30);  // a big masterplan's state is megabytes
        quick_ack();
        http::read(socket_, buffer_, parser);
        auto response = parser.release();
        if (!response.keep_alive()) socket_.close();
        if (body != nullptr) *body = std::move(response.body());
        return response.result_int();
      } catch (const std::exception&) {
        boost::system::error_code ignored;
        socket_.close(ignored);  // a closed keep-alive connection: once more on a new one
      }
    }
    return 0;
  }

 private:
  // A city's state is about a megabyte, far more than the receive window a loopback
  // connection starts with. When this client delays its ACKs, the server's answer, already
  // written, waits for the window to open: in about a third of the runs 3 % of the fetches
  // then took 120-140 ms although the server had written them within 30 ms, and `ss` showed
  // the server window-limited for 32-44 % of its sending time (3-8 % with this). So each
  // answer starts in quick-ACK mode: the figure is the server's, not this client's timer.
  void quick_ack() {
    const int one = 1;
    ::setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
  }

  std::uint16_t port_;
  asio::io_context ioc_;
  asio::ip::tcp::socket socket_{ioc_};
  boost::beast::flat_buffer buffer_;
};

// `rembuk serve` in a child process.
class Served {
 public:
  // `cgroup_procs`: when not empty, the child moves itself into that cgroup before exec.
  Served(const std::string& rembuk, const std::string& data, const std::string& config,
         const std::string& stderr_file, const std::string& cgroup_procs = {},
         int unload_idle_after_s = 0)
      : port_(free_port()), stderr_file_(stderr_file) {
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    // The flag only when asked for: a build from before it (--rembuk) refuses it.
    std::vector<std::string> args{rembuk, "serve", "--data", data, "--listen", listen,
                                  "--config", config};
    if (unload_idle_after_s > 0) {
      args.insert(args.end(), {"--unload-idle-after", std::to_string(unload_idle_after_s) + "s"});
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    started_ = Clock::now();
    pid_ = ::fork();
    if (pid_ < 0) die("fork failed");
    if (pid_ == 0) {
      if (!cgroup_procs.empty()) {
        const int procs = ::open(cgroup_procs.c_str(), O_WRONLY);
        if (procs < 0 || ::write(procs, "0", 1) != 1) _exit(126);
        ::close(procs);
      }
      const int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (err >= 0) {
        ::dup2(err, 2);
        ::dup2(err, 1);
      }
      ::execv(rembuk.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Served() { stop(); }

  // Milliseconds from the fork until GET /healthz answered 200 (dies after 120 s).
  double wait_ready() {
    HttpProbe probe(port_);
    for (;;) {
      if (probe.get("/healthz", "") == 200) return ms_since(started_);
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 126) {
          die("rembuk serve could not enter its memory cgroup");
        }
        if (WIFSIGNALED(status)) {
          die("rembuk serve was killed by signal " + std::to_string(WTERMSIG(status)) +
              " before it was ready");
        }
        die("rembuk serve exited before it was ready; see " + stderr_file_);
      }
      if (ms_since(started_) > 120'000) die("rembuk serve not ready after 120 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  // A line of /proc/<pid>/status in bytes: "VmRSS:" (all resident), "RssAnon:" (the heap),
  // "RssFile:" (mapped files: the log's pages the process has touched, which the kernel
  // may drop and read again).
  std::size_t status_bytes(const std::string& field = "VmRSS:") const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(field, 0) == 0) return std::stoull(line.substr(field.size())) * 1024;
    }
    return 0;
  }

  // Stops the server; dies when it had already ended (a crash, or the kernel's OOM killer
  // under --memory-limit-mb), since then the figures measured a server that was not there.
  void stop() {
    if (pid_ <= 0) return;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      die(WIFSIGNALED(status) ? "rembuk serve was killed by signal " + std::to_string(WTERMSIG(status))
                              : "rembuk serve exited during the run; see " + stderr_file_);
    }
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::uint16_t port() const { return port_; }
  double cpu_seconds() const { return process_cpu_seconds(pid_); }
  std::map<std::string, double> thread_cpu_seconds() const { return bench::thread_cpu_seconds(pid_); }
  std::map<std::string, double> thread_cpu_seconds_since(
      const std::map<std::string, double>& before) const {
    return bench::thread_cpu_seconds_since(pid_, before);
  }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_;
  std::string stderr_file_;
  Clock::time_point started_;
};

struct Editor {
  std::shared_ptr<BenchConnection> connection;
  std::string masterplan;
  bool welcomed = false;
  bool subscribed = false;
};

struct LoadFigures {
  std::vector<double> cold_subscribe_ms;
  std::vector<double> cold_state_ms;
  std::vector<double> state_ms;
  std::vector<double> overview_ms;
  double overview_first_ms = 0;
  std::size_t rss_loaded = 0;
  std::size_t rss_loaded_anon = 0;
  std::string slowest_state;  // the masterplan of the slowest GET under load
  double slowest_state_ms = 0;
  double server_cpu_s = 0;  // the server's CPU time (user + system) over the load
  double load_s = 0;
  std::map<std::string, double> server_cpu_by_thread;  // thread name -> CPU s over the load
  int connected = 0;
  int failed = 0;
  std::uint64_t edits_sent = 0;
  std::uint64_t acked = 0;
  std::uint64_t rejected = 0;
  std::uint64_t state_errors = 0;
  std::uint64_t overview_errors = 0;
};

// Ids unique across runs on the same fixture: a reused id would be a duplicate, not an edit.
std::string comment_submit(const std::string& masterplan, const std::string& run,
                           std::uint64_t serial) {
  const std::string id = "nat-" + run + "-" + std::to_string(serial);
  return R"({"type":"submit","commandId":")" + id + R"(","masterplan":")" + masterplan +
         R"(","command":{"type":"AddComment","commentId":")" + id +
         R"(","target":"masterplan","text":"Mohon dicek kembali target tahun ini."}})";
}

LoadFigures run_load(const NationalArgs& args, Served& served, const std::string& secret,
                     const std::vector<std::pair<std::string, std::uint64_t>>& active) {
  LoadFigures figures;
  ExternalTargets minter;  // mints tokens with the node's secret
  minter.secret = secret;
  const auto mint = [&](const std::string& user, const std::vector<std::string>& roles) {
    return minter.token(user, roles);
  };
  const std::string editor_token = mint("bench-editor", {"tim_pelaksana"});
  const std::string ministry_token = mint("bench-kementerian", {"kementerian"});

  asio::io_context ioc(1);
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), served.port());
  std::vector<Editor> editors(static_cast<std::size_t>(args.editors));
  for (std::size_t i = 0; i < editors.size(); ++i) editors[i].masterplan = active[i % active.size()].first;

  // Connect and say hello, 256 at a time.
  int in_flight = 0;
  std::size_t next = 0;
  int answered = 0;
  Clock::time_point subscribe_sent;
  bool cold_answered = false;
  std::function<void()> connect_more = [&] {
    while (in_flight < 256 && next < editors.size()) {
      Editor& editor = editors[next++];
      ++in_flight;
      editor.connection = std::make_shared<BenchConnection>(ioc);
      editor.connection->on_message([&, e = &editor](std::string_view text) {
        const auto type = json_string_field(text, "type");
        if (type == "welcome") {
          e->welcomed = true;
          ++figures.connected;
          ++answered;
          --in_flight;
          connect_more();
        } else if (type == "events" && !e->subscribed) {
          e->subscribed = true;
          cold_answered = true;
        } else if (type == "ack") {
          ++figures.acked;
        } else if (type == "reject") {
          ++figures.rejected;
          if (figures.rejected <= 3) {
            std::fprintf(stderr, "national: a rejected edit: %.*s\n", static_cast<int>(text.size()),
                         text.data());
          }
        } else if (type == "error" && !e->welcomed) {
          ++figures.failed;
          ++answered;
          --in_flight;
          connect_more();
        }
      });
      editor.connection->connect(ep, [&, e = &editor](bool ok) {
        if (!ok) {
          ++figures.failed;
          ++answered;
          --in_flight;
          connect_more();
          return;
        }
        e->connection->send(R"({"type":"hello","token":")" + editor_token + "\"}");
      });
    }
  };
  connect_more();
  while (answered < args.editors) ioc.run_one();
  std::fprintf(stderr, "national: %d editors connected (%d failed)\n", figures.connected,
               figures.failed);
  if (figures.connected < args.editors) die("not every editor could connect");

  const auto subscribe_text = [](const std::string& masterplan, std::uint64_t version) {
    return R"({"type":"subscribe","masterplan":")" + masterplan + R"(","fromVersion":)" +
           std::to_string(version) + "}";
  };
  // Cold: the first editor of each active masterplan subscribes alone, then fetches the state.
  HttpProbe probe(served.port());
  for (std::size_t a = 0; a < active.size(); ++a) {
    Editor& first = editors[a];
    cold_answered = false;
    subscribe_sent = Clock::now();
    first.connection->send(subscribe_text(first.masterplan, active[a].second));
    while (!cold_answered) ioc.run_one();
    figures.cold_subscribe_ms.push_back(ms_since(subscribe_sent));
    const auto started = Clock::now();
    const int status = probe.get("/api/masterplans/" + first.masterplan, ministry_token);
    if (status != 200) die("GET /api/masterplans/" + first.masterplan + " answered " + std::to_string(status));
    figures.cold_state_ms.push_back(ms_since(started));
  }
  // Everyone else subscribes.
  for (std::size_t i = active.size(); i < editors.size(); ++i) {
    editors[i].connection->send(
        subscribe_text(editors[i].masterplan, active[i % active.size()].second));
  }
  const auto subscribed = [&] {
    return std::all_of(editors.begin(), editors.end(), [](const Editor& e) { return e.subscribed; });
  };
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (!subscribed() && Clock::now() < deadline) ioc.run_for(std::chrono::milliseconds(20));
  if (!subscribed()) die("not every editor's subscribe was answered within 60 s");
  std::fprintf(stderr, "national: every editor subscribed\n");

  // The overview's first request starts its projection over the whole log.
  {
    const auto started = Clock::now();
    HttpProbe overview(served.port());
    for (;;) {
      const int status = overview.get("/api/overview", ministry_token);
      if (status == 200) break;
      if (status != 503 || ms_since(started) > 300'000) {
        die("GET /api/overview answered " + std::to_string(status));
      }
    }
    figures.overview_first_ms = ms_since(started);
    std::fprintf(stderr, "national: the overview caught up in %.0f ms\n", figures.overview_first_ms);
  }

  // The load: edits at a steady rate on the io thread; HTTP requests on another thread.
  std::atomic<bool> requests_done{false};
  std::thread reader([&] {
    HttpProbe client(served.port());
    std::mt19937 random(7);
    const char* sorts[] = {"city", "status", "budgetTotal", "lastActivity", "programs"};
    const auto began = Clock::now();
    const auto spacing = std::chrono::duration<double>(args.seconds / std::max(1, args.requests));
    for (int r = 0; r < args.requests; ++r) {
      std::this_thread::sleep_until(began + std::chrono::duration_cast<Clock::duration>(spacing * r));
      const auto& masterplan = active[random() % active.size()].first;
      auto started = Clock::now();
      if (client.get("/api/masterplans/" + masterplan, ministry_token) == 200) {
        figures.state_ms.push_back(ms_since(started));
        if (figures.state_ms.back() > figures.slowest_state_ms) {
          figures.slowest_state_ms = figures.state_ms.back();
          figures.slowest_state = masterplan;
        }
      } else {
        ++figures.state_errors;
      }
      started = Clock::now();
      const std::string target = std::string("/api/overview?sort=") + sorts[r % 5];
      if (client.get(target, ministry_token) == 200) {
        figures.overview_ms.push_back(ms_since(started));
      } else {
        ++figures.overview_errors;
      }
    }
    requests_done = true;
  });
  const auto load_started = Clock::now();
  const double cpu_at_start = served.cpu_seconds();
  const auto threads_at_start = served.thread_cpu_seconds();
  const auto interval = std::chrono::duration<double>(1.0 / std::max(1.0, args.edits_per_s));
  std::uint64_t serial = 0;
  const std::string run = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  std::size_t who = 0;
  auto next_edit = Clock::now();
  while (!requests_done) {
    const auto now = Clock::now();
    while (next_edit <= now) {
      Editor& editor = editors[who++ % editors.size()];
      editor.connection->send(comment_submit(editor.masterplan, run, ++serial));
      ++figures.edits_sent;
      next_edit += std::chrono::duration_cast<Clock::duration>(interval);
    }
    ioc.run_for(std::chrono::milliseconds(2));
  }
  reader.join();
  figures.server_cpu_s = served.cpu_seconds() - cpu_at_start;
  figures.load_s = ms_since(load_started) / 1000;
  figures.server_cpu_by_thread = served.thread_cpu_seconds_since(threads_at_start);
  figures.rss_loaded = served.status_bytes();
  figures.rss_loaded_anon = served.status_bytes("RssAnon:");
  const auto drain = Clock::now() + std::chrono::seconds(10);
  while (figures.acked + figures.rejected < figures.edits_sent && Clock::now() < drain) {
    ioc.run_for(std::chrono::milliseconds(20));
  }
  std::fprintf(stderr, "national: %llu edits in %.1f s, %llu acked\n",
               static_cast<unsigned long long>(figures.edits_sent), ms_since(load_started) / 1000,
               static_cast<unsigned long long>(figures.acked));
  for (auto& editor : editors) editor.connection->close();
  ioc.run_for(std::chrono::milliseconds(500));
  return figures;
}

// After the load, with every editor gone: waits until the server's /metrics shows no
// masterplan loaded (unload_ms, from the end of the load), then 15 s more for the allocator
// to hand the freed pages back, and reads the resident set (rss_unloaded_mb, *_anon_mb).
std::string measure_unload(const NationalArgs& args, Served& served) {
  HttpProbe probe(served.port());
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::seconds(args.unload_idle_after_s + 120);
  long loaded = -1;
  long loaded_after_load = -1;  // fewer than --active: some were let go during the load
  while (Clock::now() < deadline) {
    std::string metrics;
    if (probe.get("/metrics", "", &metrics) == 200) {
      const std::string name = "\nrembuk_masterplans_loaded ";
      const auto at = metrics.find(name);
      if (at == std::string::npos) die("the server's /metrics has no rembuk_masterplans_loaded");
      loaded = std::atol(metrics.c_str() + at + name.size());
      if (loaded_after_load < 0) loaded_after_load = loaded;
      if (loaded == 0) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (loaded != 0) die("masterplans still loaded " + std::to_string(args.unload_idle_after_s + 120) + " s after the load");
  const double unload_ms = ms_since(started);
  std::this_thread::sleep_for(std::chrono::seconds(15));
  char keys[256];
  std::snprintf(keys, sizeof keys,
                ",\"unload_idle_after_s\":%d,\"loaded_after_load\":%ld,\"unload_ms\":%.0f,"
                "\"rss_unloaded_mb\":%.1f,\"rss_unloaded_anon_mb\":%.1f",
                args.unload_idle_after_s, loaded_after_load, unload_ms,
                static_cast<double>(served.status_bytes()) / (1 << 20),
                static_cast<double>(served.status_bytes("RssAnon:")) / (1 << 20));
  return keys;
}

void run(const NationalArgs& args) {
  if (args.data.empty()) die("--data is required: the log is built there once and reused");
  if (args.active < 1 || args.active > args.masterplans) die("--active must be 1..--masterplans");
  if (args.editors < args.active) die("--editors must be at least --active");
  const std::string rembuk = args.rembuk.empty() ? default_rembuk() : args.rembuk;
  if (::access(rembuk.c_str(), X_OK) != 0) die("no rembuk binary at " + rembuk + " (--rembuk)");

  // 1. The fixture.
  CityFixtureSpec spec;
  spec.events = args.events;
  spec.masterplans = args.masterplans;
  spec.snapshots = "engine";
  spec.threads = args.fixture_threads != 0 ? args.fixture_threads
                                           : std::max(1u, std::thread::hardware_concurrency());
  const double build_s = ensure_city_fixture("national", args.data, spec);
  if (args.build_only) {
    std::fprintf(stderr, "national: the fixture in %s is ready (%.0f s)\n", args.data.c_str(), build_s);
    return;
  }

  // 2. Verify; the versions the active masterplans are at.
  std::uint64_t events = 0;
  double verify_s = 0;
  std::vector<std::pair<std::string, std::uint64_t>> active;
  {
    auto log = open_fixture_log(args.data);
    store::VerifyOptions options;  // every core
    const auto started = Clock::now();
    const auto report = store::verify_lmdb_log(*log, options);
    verify_s = ms_since(started) / 1000;
    if (!report.ok) die("the log does not verify: " + report.reason);
    events = report.events_checked;
    // The active ones: spread over the programme, the big masterplan 0 among them.
    for (int a = 0; a < args.active; ++a) {
      const int index = static_cast<int>(static_cast<std::int64_t>(a) * args.masterplans / args.active);
      const std::string id = fixture_masterplan_id(index);
      auto info = log->stream_info(id);
      if (!info || !info->has_value()) die("no " + id + " in the log");
      active.emplace_back(id, (*info)->revision);
    }
  }
  const std::uint64_t data_bytes = allocated_bytes(args.data);

  // 3. Restart.
  auto secret = server::load_or_create_secret(args.data);
  if (!secret) die(secret.error());
  const std::string config = (std::filesystem::path(args.data) / "national-bench-config.json").string();
  {
    std::ofstream out(config, std::ios::trunc);
    // Room for every editor; an editor idle through the cold phase and the overview's
    // catching up is not closed for it.
    out << R"({"maxConnections":)" << args.editors + 1000 << R"(,"idleTimeoutMs":3600000})" << "\n";
  }
  const std::string server_log = (std::filesystem::path(args.data) / "national-bench-serve.log").string();
  {
    Served first(rembuk, args.data, config, server_log);
    first.wait_ready();
  }
  std::unique_ptr<MemoryCgroup> cgroup;
  if (args.memory_limit_mb != 0) {
    std::string why;
    cgroup = MemoryCgroup::create("rembuk-bench-national-" + std::to_string(::getpid()),
                                  args.memory_limit_mb << 20, why);
    if (!cgroup) die("--memory-limit-mb: " + why);
    evict_from_page_cache((std::filesystem::path(args.data) / "data.mdb").string());
  }
  Served served(rembuk, args.data, config, server_log, cgroup ? cgroup->procs_file() : "",
                args.unload_idle_after_s);
  const double restart_ready_ms = served.wait_ready();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const std::size_t rss_idle = served.status_bytes();
  const std::size_t rss_idle_anon = served.status_bytes("RssAnon:");

  // 4. Load.
  const LoadFigures load = run_load(args, served, *secret, active);
  std::string unload_keys;
  if (args.unload_idle_after_s > 0) unload_keys = measure_unload(args, served);
  served.stop();
  std::string cgroup_keys;
  if (cgroup) {
    cgroup_keys = ",\"memory_limit_mb\":" + std::to_string(args.memory_limit_mb) +
                  ",\"memory_peak_mb\":" + std::to_string(cgroup->peak_bytes() >> 20) +
                  ",\"oom_kills\":" + std::to_string(cgroup->oom_kills());
    if (cgroup->oom_kills() != 0) die("the server was killed for lack of memory" + cgroup_keys);
  }

  std::string by_thread;
  for (const auto& [name, seconds] : load.server_cpu_by_thread) {
    char entry[96];
    std::snprintf(entry, sizeof entry, "%s\"%s\":%.2f", by_thread.empty() ? "" : ",",
                  name.c_str(), seconds);
    by_thread += entry;
  }
  std::printf(
      "{\"scenario\":\"national\",\"masterplans\":%d,\"events\":%llu,"
      "\"restart_ready_ms\":%.1f,\"rss_idle_mb\":%.1f,\"rss_loaded_mb\":%.1f,"
      "\"cold_subscribe_p99_ms\":%.3f,\"state_p99_ms\":%.3f,\"overview_p99_ms\":%.3f,"
      "\"bytes_per_event\":%.1f,\"verify_events_per_s\":%.0f,"
      "\"editors\":%d,\"active\":%d,\"cold_subscribe_p50_ms\":%.3f,\"cold_state_p99_ms\":%.3f,"
      "\"cold_state_p50_ms\":%.3f,\"state_p50_ms\":%.3f,\"overview_p50_ms\":%.3f,"
      "\"overview_first_ms\":%.1f,\"requests\":%zu,\"request_errors\":%llu,"
      "\"edits_sent\":%llu,\"edits_acked\":%llu,\"edits_rejected\":%llu,"
      "\"data_gb\":%.2f,\"fixture_build_s\":%.1f,\"verify_s\":%.1f,"
      "\"rss_idle_anon_mb\":%.1f,\"rss_loaded_anon_mb\":%.1f,\"state_max_ms\":%.1f,"
      "\"state_max_masterplan\":\"%s\",\"server_cpu_s\":%.2f,\"load_s\":%.1f,"
      "\"server_cpu_us_per_edit\":%.0f,\"server_cpu_by_thread\":{%s}%s}\n",
      args.masterplans, static_cast<unsigned long long>(events), restart_ready_ms,
      static_cast<double>(rss_idle) / (1 << 20), static_cast<double>(load.rss_loaded) / (1 << 20),
      p99(load.cold_subscribe_ms), p99(load.state_ms), p99(load.overview_ms),
      events > 0 ? static_cast<double>(data_bytes) / static_cast<double>(events) : 0.0,
      verify_s > 0 ? static_cast<double>(events) / verify_s : 0.0, args.editors, args.active,
      median(load.cold_subscribe_ms), p99(load.cold_state_ms), median(load.cold_state_ms),
      median(load.state_ms), median(load.overview_ms), load.overview_first_ms,
      load.state_ms.size() + load.overview_ms.size(),
      static_cast<unsigned long long>(load.state_errors + load.overview_errors),
      static_cast<unsigned long long>(load.edits_sent), static_cast<unsigned long long>(load.acked),
      static_cast<unsigned long long>(load.rejected), static_cast<double>(data_bytes) / 1e9,
      build_s, verify_s, static_cast<double>(rss_idle_anon) / (1 << 20),
      static_cast<double>(load.rss_loaded_anon) / (1 << 20), load.slowest_state_ms,
      load.slowest_state.c_str(), load.server_cpu_s, load.load_s,
      load.acked > 0 ? load.server_cpu_s * 1e6 / static_cast<double>(load.acked) : 0.0,
      by_thread.c_str(),
      (cgroup_keys + unload_keys).c_str());
}

}  // namespace

void add_national_scenario(CLI::App& app) {
  auto* command = app.add_subcommand(
      "national", "Every masterplan of the programme on one node: restart, memory, latency, verify");
  auto args = std::make_shared<NationalArgs>();
  command->add_option("--data", args->data, "Folder of the log (built when empty, reused after)")
      ->required();
  command->add_option("--events", args->events, "Events in the log")->default_val(25'000'000);
  command->add_option("--masterplans", args->masterplans, "Masterplans")->default_val(514);
  command->add_option("--fixture-threads", args->fixture_threads,
                      "Threads building the fixture (0: one per core)")
      ->default_val(0);
  command->add_option("--editors", args->editors, "WebSocket editors connected")->default_val(5000);
  command->add_option("--active", args->active, "Masterplans the editors work on")->default_val(200);
  command->add_option("--edits-per-s", args->edits_per_s, "Comments added per second, in all")
      ->default_val(200);
  command->add_option("--requests", args->requests,
                      "GET /api/masterplans/{id} and GET /api/overview requests, each")
      ->default_val(400);
  command->add_option("--seconds", args->seconds,
                      "The load lasts at least this long; the requests are spread over it")
      ->default_val(30);
  command->add_flag("--build-only", args->build_only, "Build (or check) the fixture, measure nothing");
  command->add_option("--memory-limit-mb", args->memory_limit_mb,
                      "Run the server in a memory cgroup limited to this (0: none)")
      ->default_val(0);
  command->add_option("--rembuk", args->rembuk, "The rembuk binary (default: the build's own)");
  command->add_option("--unload-idle-after", args->unload_idle_after_s,
                      "Seconds: the server's --unload-idle-after; then measure the unload")
      ->default_val(0);
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
