// fanout: one writer submits edits to one masterplan at --rate edits/s; S subscribers
// receive each as a live `events` message. Latency = from the writer's send to the receipt
// at each subscriber (same clock: all clients run in this process, on one thread).
//
// Output: {"scenario":"fanout","p50_ms":…,"p99_ms":…,"subscribers":…,"deliveries":…,…}
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "scenarios.hpp"
#include "ws_bench_support.hpp"

namespace rembuk::bench {
namespace {

namespace asio = boost::asio;

struct FanoutArgs {
  int subscribers = 1000;
  double seconds = 5;
  double rate = 20;
  bool nosync = false;
};

void run(const FanoutArgs& args) {
  ServerProcessOptions options;
  options.nosync = args.nosync;
  options.server.max_connections = 100000;
  options.server.commands_per_second = 1e9;
  ServerProcess server(options);

  asio::io_context ioc(1);
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), server.port());
  const std::string mp = "fanout";
  if (!seed_masterplan(ioc, ep, server.token("bench-admin", {"admin"}), {mp})) {
    std::fprintf(stderr, "rembuk-bench fanout: seeding failed\n");
    std::exit(1);
  }
  const std::string viewer = server.token("bench-viewer", {"viewer"});
  std::unordered_map<std::string, Clock::time_point> sent_at;  // commandId → send time
  std::vector<double> latencies_ms;
  latencies_ms.reserve(static_cast<std::size_t>(args.subscribers * args.rate * args.seconds) + 16);
  long deliveries = 0;
  int subscribed = 0;
  int connecting = 0;
  std::vector<std::shared_ptr<BenchConnection>> subs;
  const std::string subscribe =
      R"({"type":"subscribe","masterplan":")" + mp + R"(","fromVersion":0})";

  // Subscribers, connected at most 200 at a time.
  int next_sub = 0;
  std::function<void()> connect_more = [&] {
    while (connecting < 200 && next_sub < args.subscribers) {
      ++connecting;
      ++next_sub;
      auto conn = std::make_shared<BenchConnection>(ioc);
      subs.push_back(conn);
      conn->on_message([&, c = conn.get()](std::string_view text) {
        const auto type = json_string_field(text, "type");
        if (type == "welcome") {
          c->send(subscribe);
          return;
        }
        if (type != "events") return;
        if (text.find("\"catchUp\":true") != std::string_view::npos) {
          ++subscribed;
          --connecting;
          connect_more();
          return;
        }
        const auto now = Clock::now();
        std::size_t pos = 0;
        while ((pos = text.find("\"commandId\":\"", pos)) != std::string_view::npos) {
          pos += 13;
          const auto end = text.find('"', pos);
          auto it = sent_at.find(std::string(text.substr(pos, end - pos)));
          if (it != sent_at.end()) {
            latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
            ++deliveries;
          }
          pos = end;
        }
      });
      conn->connect(ep, [&, c = conn.get()](bool ok) {
        if (!ok) {
          std::fprintf(stderr, "rembuk-bench fanout: connect failed\n");
          std::exit(1);
        }
        c->send(R"({"type":"hello","token":")" + viewer + "\"}");
      });
    }
  };
  connect_more();
  while (subscribed < args.subscribers) ioc.run_one();

  auto writer = std::make_shared<BenchConnection>(ioc);
  bool writer_ready = false;
  long acked = 0;
  writer->on_message([&](std::string_view text) {
    const auto type = json_string_field(text, "type");
    if (type == "welcome") writer_ready = true;
    if (type == "ack") ++acked;
  });
  writer->connect(ep, [&](bool ok) {
    if (!ok) std::exit(1);
    writer->send(R"({"type":"hello","token":")" + server.token("bench-writer", {"tim_pelaksana"}) +
                 "\"}");
  });
  while (!writer_ready) ioc.run_one();

  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(args.seconds));
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / args.rate));
  asio::steady_timer timer(ioc, start);
  long edits = 0;
  std::function<void()> tick = [&] {
    timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec || Clock::now() >= end) return;
      const std::string id = "f" + std::to_string(edits);
      sent_at.emplace(id, Clock::now());
      writer->send(R"({"type":"submit","commandId":")" + id + R"(","masterplan":")" + mp +
                   R"(","command":{"type":"SetProgramBudget","programId":"p1","year":2020,)"
                   R"("source":"APBD","amount":)" + std::to_string(edits) + "}}");
      ++edits;
      timer.expires_at(timer.expiry() + interval);
      tick();
    });
  };
  tick();
  ioc.run_until(end + std::chrono::seconds(3));
  const auto server_rss = server.rss_bytes();
  for (auto& s : subs) s->close();
  writer->close();
  ioc.run_for(std::chrono::milliseconds(200));
  server.stop();
  const long expected = edits * args.subscribers;
  std::printf(
      "{\"scenario\":\"fanout\",\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"subscribers\":%d,"
      "\"edits\":%ld,\"acked\":%ld,\"deliveries\":%ld,\"missing\":%ld,\"rate\":%.0f,"
      "\"deliveries_per_s\":%.0f,\"server_rss_mb\":%.1f}\n",
      percentile(latencies_ms, 50), percentile(latencies_ms, 99), args.subscribers, edits, acked,
      deliveries, expected - deliveries, args.rate,
      static_cast<double>(deliveries) / args.seconds, static_cast<double>(server_rss) / (1 << 20));
}

}  // namespace

void add_fanout_scenario(CLI::App& app) {
  auto* command = app.add_subcommand("fanout", "One writer, many subscribers on one masterplan");
  auto args = std::make_shared<FanoutArgs>();
  command->add_option("--subscribers", args->subscribers)->capture_default_str();
  command->add_option("--seconds", args->seconds)->capture_default_str();
  command->add_option("--rate", args->rate, "Edits/s by the writer")->capture_default_str();
  command->add_flag("--nosync", args->nosync, "LMDB without fsync (not durable)");
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
