// idle: N connections say hello (authenticated) and then stay idle; reports the server
// process's resident memory before and after.
//
// Output: {"scenario":"idle","connections":…,"server_rss_mb":…,"per_connection_kb":…,…}
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "scenarios.hpp"
#include "ws_bench_support.hpp"

namespace rembuk::bench {
namespace {

namespace asio = boost::asio;

struct IdleArgs {
  int connections = 10000;
  bool subscribe = false;
};

void run(const IdleArgs& args) {
  ServerProcessOptions options;
  options.server.max_connections = static_cast<std::size_t>(args.connections) + 100;
  ServerProcess server(options);
  asio::io_context ioc(1);
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), server.port());
  const std::string token = server.token("bench-idle", {"viewer"});
  const std::size_t baseline = server.rss_bytes();

  std::vector<std::shared_ptr<BenchConnection>> conns;
  conns.reserve(static_cast<std::size_t>(args.connections));
  int ready = 0;
  int in_flight = 0;
  int next = 0;
  int failed = 0;
  std::function<void()> connect_more = [&] {
    while (in_flight < 256 && next < args.connections) {
      ++in_flight;
      ++next;
      auto conn = std::make_shared<BenchConnection>(ioc);
      conns.push_back(conn);
      conn->on_message([&, c = conn.get()](std::string_view text) {
        const auto type = json_string_field(text, "type");
        if (type == "welcome" && args.subscribe) {
          c->send(R"({"type":"subscribe","masterplan":"idle","fromVersion":0})");
          return;
        }
        if (type == "welcome" || type == "events") {
          ++ready;
          --in_flight;
          connect_more();
        }
      });
      conn->connect(ep, [&, c = conn.get()](bool ok) {
        if (!ok) {
          ++failed;
          --in_flight;
          connect_more();
          return;
        }
        c->send(R"({"type":"hello","token":")" + token + "\"}");
      });
    }
  };
  connect_more();
  while (ready + failed < args.connections) ioc.run_one();
  ioc.run_for(std::chrono::milliseconds(1000));  // let the server settle
  const std::size_t rss = server.rss_bytes();
  for (auto& c : conns) c->close();
  ioc.run_for(std::chrono::milliseconds(500));
  server.stop();
  std::printf(
      "{\"scenario\":\"idle\",\"connections\":%d,\"authenticated\":%d,\"failed\":%d,"
      "\"server_rss_mb\":%.1f,\"baseline_rss_mb\":%.1f,\"per_connection_kb\":%.1f,"
      "\"subscribed\":%s}\n",
      args.connections, ready, failed, static_cast<double>(rss) / (1 << 20),
      static_cast<double>(baseline) / (1 << 20),
      ready > 0 ? static_cast<double>(rss - baseline) / 1024.0 / ready : 0.0,
      args.subscribe ? "true" : "false");
}

}  // namespace

void add_idle_scenario(CLI::App& app) {
  auto* command = app.add_subcommand("idle", "Server memory with many idle connections");
  auto args = std::make_shared<IdleArgs>();
  command->add_option("--connections", args->connections)->capture_default_str();
  command->add_flag("--subscribe", args->subscribe, "Each connection also subscribes");
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
