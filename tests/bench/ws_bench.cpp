// ws-edits: C clients, spread over M masterplans, submit valid edits over real WebSocket
// connections to a rembuk server in another process (durable LMDB unless --nosync).
// Closed loop (each client waits for its ack before the next edit; --pipeline N keeps N in
// flight per client, as a client that does not wait for each ack would) unless --rate R, which
// offers R edits/s in total on a fixed schedule (open loop) to measure latency under load.
//
// --subscribe first subscribes each client to its masterplan, as an editor's browser is (and
// as compare.sh's clients are): every edit then also goes out as a live `events` message to
// every client of its masterplan, its author included.
//
// Output: {"scenario":"ws-edits","edits_per_s":…,"p50_ms":…,"p99_ms":…, then extra keys}
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "command_ids.hpp"
#include "scenarios.hpp"
#include "ws_bench_support.hpp"
#include "ws_targets.hpp"

namespace rembuk::bench {
namespace {

namespace asio = boost::asio;

struct EditsArgs {
  int clients = 64;
  int masterplans = 16;
  double seconds = 10;
  double rate = 0;  // total offered edits/s; 0 = closed loop
  int pipeline = 1;  // closed loop: edits each client keeps in flight
  bool nosync = false;
  std::string meta_sync = "next-commit";  // or "at-once" (LmdbOptions::meta_sync)
  std::size_t reserve_mib = store::LmdbOptions{}.reserve_bytes >> 20;
  unsigned server_threads = 0;
  std::size_t engine_in_flight = 32;
  unsigned engine_threads = ServerProcessOptions{}.engine_threads;
  bool engine_decide_on_caller = ServerProcessOptions{}.engine_decide_on_caller;
  std::uint64_t engine_snapshot_every = 1000;
  std::string targets;  // external nodes (ws_targets.hpp); empty: fork one server
  std::string secret;
  std::string route = "client";  // with --targets: spread by client, or by masterplan
  std::string command_ids = "client";  // client (time-ordered), random, or per-client
  bool bare_server = false;  // the floor (bare_server.hpp) instead of rembuk's server
  bool subscribe = false;    // each client subscribed to its masterplan before the window
};

struct Client {
  std::shared_ptr<BenchConnection> conn;
  std::string masterplan;
  int index = 0;
  long sent = 0;
  std::unordered_map<std::string, Clock::time_point> outstanding;
  bool subscribed = false;  // --subscribe: its catch-up has arrived
  std::unique_ptr<asio::steady_timer> timer;
  std::mt19937_64 random;
};

std::string command_id(const EditsArgs& args, Client& c, long n) {
  if (args.command_ids == "client") return client_command_id(c.random);
  if (args.command_ids == "random") return random_command_id(c.random);
  // per-client: "e<client>-<n>", each client's ids in a key range of their own
  return "e" + std::to_string(c.index) + "-" + std::to_string(n);
}

// The server's CPU per acked edit by thread name (threads of one name summed; those that
// ended during the window left out), as a JSON object of µs: where
// `server_cpu_us_per_edit` went.
std::string thread_breakdown(const std::map<std::string, double>& used, long acked) {
  std::string out = "{";
  for (const auto& [name, seconds] : used) {
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, "%s\"%s\":%.1f", out.size() > 1 ? "," : "",
                  name.c_str(), seconds * 1e6 / static_cast<double>(acked));
    out += buffer;
  }
  return out + "}";
}

// Where the server's time per acked edit went during the window, as a JSON object of mean
// microseconds: `engine` from the command's arrival at the engine to its outcome
// (rembuk_commit_latency_seconds), and within it the log's phases (queue for the writer,
// commit with its data sync, hold until a later sync covers the meta page, handoff to the
// completion thread: rembuk_log_ack_phase_seconds_total). What the client measures beyond
// `engine` is the WebSocket, parsing and scheduling on both sides.
std::string ack_breakdown(const std::string& before, const std::string& after) {
  const auto delta = [&](std::string_view series) {
    return metric_value(after, series) - metric_value(before, series);
  };
  const double commands = delta("rembuk_commit_latency_seconds_count");
  const double appends = delta("rembuk_log_timed_appends_total");
  if (commands <= 0 || appends <= 0) return "null";
  const auto phase_us = [&](const char* phase) {
    return delta(std::string("rembuk_log_ack_phase_seconds_total{phase=\"") + phase + "\"}") *
           1e6 / appends;
  };
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                "{\"engine\":%.1f,\"queue\":%.1f,\"commit\":%.1f,\"hold\":%.1f,"
                "\"handoff\":%.1f,\"appends_per_commit\":%.2f}",
                delta("rembuk_commit_latency_seconds_sum") * 1e6 / commands, phase_us("queue"),
                phase_us("commit"), phase_us("hold"), phase_us("handoff"),
                appends / std::max(1.0, delta("rembuk_log_commits_total")));
  return buffer;
}

std::string edit(const EditsArgs& args, Client& c) {
  const long n = c.sent++;
  std::string id = command_id(args, c, n);
  std::string text = R"({"type":"submit","commandId":")" + id + R"(","masterplan":")" +
                     c.masterplan +
                     R"(","command":{"type":"SetProgramBudget","programId":"p1","year":)" +
                     std::to_string(2019 + n % 5) + R"(,"source":"APBD","amount":)" +
                     std::to_string(1000 + n) + "}}";
  c.outstanding.emplace(std::move(id), Clock::now());
  return text;
}

void run(const EditsArgs& args) {
  ServerProcessOptions options;
  options.nosync = args.nosync;
  options.meta_sync =
      args.meta_sync == "at-once" ? store::MetaSync::at_once : store::MetaSync::next_commit;
  options.reserve_bytes = args.reserve_mib << 20;
  options.threads = args.server_threads;
  options.engine_in_flight = args.engine_in_flight;
  options.engine_threads = args.engine_threads;
  options.engine_decide_on_caller = args.engine_decide_on_caller;
  options.engine_snapshot_every = args.engine_snapshot_every;
  options.server.commands_per_second = 1e9;
  options.server.max_connections = 100000;
  options.bare = args.bare_server;
  ExternalTargets external;
  std::unique_ptr<ServerProcess> own;
  if (args.targets.empty()) {
    own = std::make_unique<ServerProcess>(options);
  } else {
    auto parsed = parse_targets(args.targets, args.secret);
    if (!parsed) {
      std::fprintf(stderr, "rembuk-bench ws-edits: %s\n", parsed.error().c_str());
      std::exit(2);
    }
    external = std::move(parsed.value());
  }
  auto mint = [&](const std::string& user, const std::vector<std::string>& roles) {
    return own ? own->token(user, roles) : external.token(user, roles);
  };

  asio::io_context ioc(1);
  const asio::ip::tcp::endpoint ep =
      own ? asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), own->port())
          : external.endpoints.at(0);
  std::vector<std::string> mps;
  for (int i = 0; i < args.masterplans; ++i) mps.push_back("bench-" + std::to_string(i));
  if (!seed_masterplan(ioc, ep, mint("bench-admin", {"admin"}), mps)) {
    std::fprintf(stderr, "rembuk-bench ws-edits: seeding failed\n");
    std::exit(1);
  }

  std::vector<Client> clients(static_cast<std::size_t>(args.clients));
  std::vector<double> latencies_ms;
  latencies_ms.reserve(1 << 20);
  long acked = 0;
  long rejected = 0;
  std::map<std::string, long> reject_codes;  // why, so a figure with rejections is explained
  int ready = 0;  // clients welcomed (and with --subscribe, caught up)
  bool running = false;
  Clock::time_point start;
  Clock::time_point end;
  double server_cpu_at_start = 0;  // seconds of the server process's CPU (own server only)
  std::map<std::string, double> threads_at_start;  // the same by thread name
  std::string metrics_at_start;     // the server's /metrics when the window opened (own only)
  const std::string token = mint("bench-editor", {"tim_pelaksana"});
  const double per_client_interval_s = args.rate > 0 ? args.clients / args.rate : 0;

  std::function<void(Client&)> schedule = [&](Client& c) {
    c.timer->expires_at(c.timer->expiry() +
                        std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(per_client_interval_s)));
    c.timer->async_wait([&, ci = &c](const boost::system::error_code& ec) {
      if (ec || !running || Clock::now() >= end) return;
      ci->conn->send(edit(args, *ci));
      schedule(*ci);
    });
  };
  auto begin = [&] {
    if (own) {
      if (!args.bare_server) metrics_at_start = own->metrics();
      server_cpu_at_start = own->cpu_seconds();
      threads_at_start = thread_cpu_seconds(own->pid());
    }
    start = Clock::now();
    end = start + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double>(args.seconds));
    running = true;
    for (auto& c : clients) {
      if (args.rate > 0) {
        c.timer = std::make_unique<asio::steady_timer>(ioc);
        // Spread the clients' schedules evenly over one interval.
        c.timer->expires_at(start + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(
                                            per_client_interval_s * c.index / args.clients)));
        schedule(c);
      } else {
        for (int k = 0; k < args.pipeline; ++k) c.conn->send(edit(args, c));
      }
    }
  };

  for (int i = 0; i < args.clients; ++i) {
    auto& c = clients[static_cast<std::size_t>(i)];
    c.index = i;
    c.random.seed(static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL + 1);
    c.masterplan = mps[static_cast<std::size_t>(i % args.masterplans)];
    c.conn = std::make_shared<BenchConnection>(ioc);
    c.conn->on_message([&, ci = &c](std::string_view text) {
      const auto type = json_string_field(text, "type");
      if (type == "welcome") {
        if (!args.subscribe) {
          if (++ready == args.clients) begin();
          return;
        }
        ci->conn->send(R"({"type":"subscribe","masterplan":")" + ci->masterplan +
                       R"(","fromVersion":0})");
        return;
      }
      if (type == "events" && !ci->subscribed &&
          text.find("\"catchUp\":true") != std::string_view::npos) {
        ci->subscribed = true;
        if (++ready == args.clients) begin();
        return;
      }
      if (type != "ack" && type != "reject") return;
      const auto id = json_string_field(text, "commandId");
      auto it = ci->outstanding.find(std::string(id));
      if (it == ci->outstanding.end()) return;
      const auto now = Clock::now();
      if (now <= end) {
        latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
        if (type == "ack") {
          ++acked;
        } else {
          ++rejected;
          ++reject_codes[std::string(json_string_field(text, "code"))];
        }
      }
      ci->outstanding.erase(it);
      if (args.rate <= 0 && running && now < end) ci->conn->send(edit(args, *ci));
    });
    // By client: client i edits masterplan i % M, and its k-th client (k = i / M) goes to
    // node (i + k) % N, so one masterplan's clients sit on different nodes, which race for
    // its stream. By masterplan: all its clients on node (i % M) % N (a load balancer hashing
    // the masterplan), so nodes share the database but not streams.
    const int spread =
        args.route == "masterplan" ? i % args.masterplans : i + i / args.masterplans;
    const auto& target =
        own ? ep
            : external.endpoints[static_cast<std::size_t>(spread) % external.endpoints.size()];
    c.conn->connect(target, [&, ci = &c](bool ok) {
      if (!ok) {
        std::fprintf(stderr, "rembuk-bench ws-edits: connect failed\n");
        std::exit(1);
      }
      ci->conn->send(R"({"type":"hello","token":")" + token + "\"}");
    });
  }
  // Run until the window ends and the last outstanding outcomes arrive (or 5 s more).
  while (!running) ioc.run_one();
  ioc.run_until(end + std::chrono::seconds(5));
  const double elapsed = std::chrono::duration<double>(end - start).count();
  for (auto& c : clients) c.conn->close();
  ioc.run_for(std::chrono::milliseconds(200));
  const auto server_rss = own ? own->rss_bytes() : 0;
  const std::string ack_phases =
      own && !args.bare_server ? ack_breakdown(metrics_at_start, own->metrics()) : "null";
  // The server's CPU per acked edit: from /proc, user + system of all its threads; the edits
  // still outstanding when the window closed are counted in the CPU but not in `acked` (at
  // most one per client, a bias of clients/acked). Nodes started elsewhere report null.
  std::string server_cpu_us_per_edit = "null";
  std::string server_thread_cpu_us = "null";
  if (own && acked > 0) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f",
                  (own->cpu_seconds() - server_cpu_at_start) * 1e6 / static_cast<double>(acked));
    server_cpu_us_per_edit = buffer;
    server_thread_cpu_us =
        thread_breakdown(thread_cpu_seconds_since(own->pid(), threads_at_start), acked);
  }
  if (own) own->stop();

  std::string codes = "{";
  for (const auto& [code, n] : reject_codes) {
    if (codes.size() > 1) codes += ",";
    codes += "\"" + code + "\":" + std::to_string(n);
  }
  codes += "}";
  std::printf(
      "{\"scenario\":\"ws-edits\",\"edits_per_s\":%.0f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
      "\"clients\":%d,\"masterplans\":%d,\"seconds\":%.1f,\"mode\":\"%s\",\"offered_per_s\":%.0f,"
      "\"pipeline\":%d,\"acked\":%ld,\"rejected\":%ld,\"durable\":%s,\"server_rss_mb\":%.1f,"
      "\"nodes\":%zu,\"route\":\"%s\",\"engine_in_flight\":%zu,\"engine_threads\":%u,\"engine_snapshot_every\":%llu,\"command_ids\":\"%s\","
      "\"reject_codes\":%s,\"reserve_mib\":%zu,\"engine_decide_on_caller\":%s,"
      "\"server_cpu_us_per_edit\":%s,\"server_ack_us\":%s,\"meta_sync\":\"%s\","
      "\"server\":\"%s\",\"subscribed\":%s,\"server_thread_cpu_us\":%s}\n",
      static_cast<double>(acked) / elapsed, percentile(latencies_ms, 50),
      percentile(latencies_ms, 99), args.clients, args.masterplans, args.seconds,
      args.rate > 0 ? "open-loop" : "closed-loop", args.rate, args.pipeline, acked, rejected,
      args.nosync ? "false" : "true", static_cast<double>(server_rss) / (1 << 20),
      own ? std::size_t{1} : external.endpoints.size(), own ? "own" : args.route.c_str(),
      args.engine_in_flight, args.engine_threads,
      static_cast<unsigned long long>(args.engine_snapshot_every),
      args.command_ids.c_str(), codes.c_str(), args.reserve_mib,
      args.engine_decide_on_caller ? "true" : "false", server_cpu_us_per_edit.c_str(),
      ack_phases.c_str(), args.meta_sync.c_str(),
      !own ? "external" : args.bare_server ? "bare" : "rembuk",
      args.subscribe ? "true" : "false", server_thread_cpu_us.c_str());
}

}  // namespace

void add_ws_edits_scenario(CLI::App& app) {
  auto* command = app.add_subcommand("ws-edits", "Clients submitting edits over WebSocket");
  auto args = std::make_shared<EditsArgs>();
  command->add_option("--clients", args->clients)->capture_default_str();
  command->add_option("--masterplans", args->masterplans)->capture_default_str();
  command->add_option("--seconds", args->seconds)->capture_default_str();
  command->add_option("--rate", args->rate, "Offered edits/s in total (open loop); 0 = closed loop")
      ->capture_default_str();
  command->add_option("--pipeline", args->pipeline,
                      "Closed loop: edits each client keeps in flight (1 = wait for each ack)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  command->add_flag("--nosync", args->nosync, "LMDB without fsync (not durable)");
  command->add_option("--meta-sync", args->meta_sync,
                      "next-commit: a commit's meta page made durable by the next commit's sync; "
                      "at-once: by a sync of its own right after it")
      ->check(CLI::IsMember({"next-commit", "at-once"}))
      ->capture_default_str();
  command->add_option("--reserve-mib", args->reserve_mib,
                      "MiB of the log's file written ahead of its use (0: none)")
      ->capture_default_str();
  command->add_option("--server-threads", args->server_threads, "0 = one per core");
  command->add_option("--engine-snapshot-every", args->engine_snapshot_every,
                      "EngineOptions::snapshot_every (0: the engine stores no snapshots)")
      ->capture_default_str();
  command->add_option("--engine-threads", args->engine_threads,
                      "EngineOptions::threads: the engine's threads deciding commands")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  command->add_option("--engine-decide-on-caller", args->engine_decide_on_caller,
                      "EngineOptions::decide_on_caller: 1 decides an idle masterplan's command "
                      "on the io thread that read it, 0 hands every command to a worker")
      ->capture_default_str();
  command->add_option("--engine-in-flight", args->engine_in_flight,
                      "appends in flight per masterplan in the engine (1: no pipelining)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  command->add_flag("--bare-server", args->bare_server,
                    "Fork the bare server instead of rembuk's: Beast, JSON and raw LMDB only, "
                    "the floor of server_cpu_us_per_edit and the latencies (bare_server.hpp)");
  command->add_flag("--subscribe", args->subscribe,
                    "Subscribe each client to its masterplan first: every edit also goes out "
                    "live to the masterplan's clients, its author included");
  command->add_option("--targets", args->targets,
                      "HOST:PORT,… of running nodes instead of forking a server");
  command->add_option("--secret", args->secret, "The running nodes' token secret file");
  command->add_option("--route", args->route,
                      "With --targets: spread clients round-robin by client or by masterplan")
      ->capture_default_str()
      ->check(CLI::IsMember({"client", "masterplan"}));
  command->add_option("--command-ids", args->command_ids,
                      "client (time-ordered, as rembuk's clients make them), random, or "
                      "per-client (e<client>-<n>)")
      ->capture_default_str()
      ->check(CLI::IsMember({"client", "random", "per-client"}));
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
