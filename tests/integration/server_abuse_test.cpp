// Abuse at the connection level (docs/security.md, "Hostile clients"): a connection flood,
// slowloris on the HTTP side, and clients that never read. Each checks that the server stays
// up, its memory stays bounded and a well-behaved client keeps its latency.
//
// Short forms run by default (CI); REMBUK_ABUSE_FULL=1 runs the full sizes (5,000
// connections, 200 non-readers with more traffic), registered as the `slow` test
// server_abuse_full.
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "server_fixture.hpp"

namespace rembuk::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

bool full() { return std::getenv("REMBUK_ABUSE_FULL") != nullptr; }

// ASan's redzones and quarantine multiply what each allocation costs: the memory bounds
// below are for an uninstrumented build and are widened under the sanitizer.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kMemoryScale = 4;
#else
constexpr double kMemoryScale = 1;
#endif

// Raises the open-file limit as far as allowed; returns the limit now in force.
std::size_t raise_fd_limit() {
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
  ::getrlimit(RLIMIT_NOFILE, &rl);
  return static_cast<std::size_t>(rl.rlim_cur);
}

std::size_t rss_bytes() {
  std::ifstream in("/proc/self/statm");
  std::size_t pages = 0;
  std::size_t resident = 0;
  in >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// Median and worst ping round trip of `c` over `n` pings, in ms.
std::pair<double, double> ping_latency(WsTestClient& c, int n) {
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    if (!c.request({{"type", "ping"}}, "pong")) return {1e9, 1e9};
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.back()};
}

class Abuse : public ServerFixture {};

TEST_F(Abuse, ConnectionFloodIsAbsorbedAndCappedAndOthersKeepTheirLatency) {
  const std::size_t fd_limit = raise_fd_limit();
  // Both ends of every connection live in this process.
  const std::size_t wanted = full() ? 5000 : 1000;
  const std::size_t n = std::min(wanted, (fd_limit - 200) / 2);
  if (n < wanted) std::fprintf(stderr, "flood: %zu connections (fd limit %zu)\n", n, fd_limit);
  auto options = default_options();
  options.max_connections = n / 2 + 1;  // half the flood must be turned away
  start(options);
  auto witness = join("u-witness", {"viewer"});
  ASSERT_TRUE(witness);
  const auto rss_before = rss_bytes();

  asio::io_context ioc;
  std::vector<std::unique_ptr<websocket::stream<asio::ip::tcp::socket>>> flood;
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port_);
  const auto t0 = Clock::now();
  std::size_t handshakes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto ws = std::make_unique<websocket::stream<asio::ip::tcp::socket>>(ioc);
    beast::error_code ec;
    beast::get_lowest_layer(*ws).connect(ep, ec);
    if (!ec) ws->handshake("127.0.0.1", "/ws", ec);
    if (!ec) ++handshakes;
    flood.push_back(std::move(ws));
  }
  const double open_s = std::chrono::duration<double>(Clock::now() - t0).count();
  EXPECT_EQ(handshakes, n) << "the server refused handshakes instead of closing politely";

  // The witness still gets its answers quickly while the flood is open.
  const auto [median_ms, worst_ms] = ping_latency(*witness, 20);
  EXPECT_LT(median_ms, 200.0);
  EXPECT_LT(worst_ms, 2000.0);

  // Everything past max_connections was closed with 1013 "too many connections".
  // Read every connection at once: refused ones end with their close frame (which may
  // already sit in the stream's buffer, read along with the handshake answer); accepted ones
  // stay silent until the hello timeout.
  std::size_t refused = 0;
  std::map<std::string, int> other_outcomes;
  std::vector<beast::flat_buffer> buffers(flood.size());
  for (std::size_t i = 0; i < flood.size(); ++i) {
    flood[i]->async_read(buffers[i], [&, i](beast::error_code ec, std::size_t) {
      if (ec == websocket::error::closed && flood[i]->reason().code == 1013) {
        ++refused;
      } else if (ec != asio::error::operation_aborted) {
        ++other_outcomes[ec.message() + " / " + std::to_string(flood[i]->reason().code)];
      }
    });
  }
  const auto refuse_deadline = Clock::now() + std::chrono::seconds(8);
  while (refused < n - options.max_connections && Clock::now() < refuse_deadline) {
    ioc.run_for(milliseconds(50));
  }
  EXPECT_GE(refused, n - options.max_connections);
  for (const auto& [what, count] : other_outcomes) {
    std::fprintf(stderr, "flood: %d connections ended with %s\n", count, what.c_str());
  }
  auto metrics = http_get(port_, "/metrics");
  EXPECT_EQ(metrics.status, 200u);
  const auto rss_growth_mb = static_cast<double>(rss_bytes() - std::min(rss_bytes(), rss_before)) /
                             (1 << 20);
  std::fprintf(stderr,
               "flood: %zu connections opened in %.2f s, %zu refused with 1013, witness ping "
               "median %.2f ms worst %.2f ms, RSS +%.1f MB\n",
               n, open_s, refused, median_ms, worst_ms, rss_growth_mb);
  // Client and server side of every connection together: well under 64 KiB each.
  EXPECT_LT(rss_growth_mb, (static_cast<double>(n) * 64 / 1024 + 64) * kMemoryScale);
  for (auto& ws : flood) {
    beast::error_code ignored;
    beast::get_lowest_layer(*ws).close(ignored);
  }
  ioc.run_for(milliseconds(100));  // let the aborted reads finish before the streams go
  flood.clear();
  ASSERT_TRUE(witness->request({{"type", "ping"}}, "pong"));
}

TEST_F(Abuse, HttpRequestsOverMaxConnectionsGet503) {
  auto options = default_options();
  options.max_connections = 2;
  start(options);
  const std::string viewer = token("u-v", {"viewer"});
  EXPECT_EQ(http_get(port_, "/api/masterplans", viewer).status, 200u);  // 0 WebSockets + this one
  auto a = join("u-a");
  auto b = join("u-b");
  auto busy = http_get(port_, "/api/masterplans", viewer);
  EXPECT_EQ(busy.status, 503u);
  EXPECT_NE(busy.body.find("too many connections"), std::string::npos) << busy.body;
  // Monitoring stays open.
  EXPECT_EQ(http_get(port_, "/healthz").status, 200u);
  EXPECT_EQ(http_get(port_, "/metrics").status, 200u);
  b->close();
  // b's slot is free again once the server has seen it go.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  unsigned status = 0;
  while (Clock::now() < deadline && (status = http_get(port_, "/api/masterplans", viewer).status) != 200u) {
    std::this_thread::sleep_for(milliseconds(10));  // polling the server's session count
  }
  EXPECT_EQ(status, 200u);
}

TEST_F(Abuse, SlowlorisHeadersAreCutOffAtTheRequestTimeout) {
  auto options = default_options();
  options.http_request_timeout = milliseconds(400);
  start(options);
  asio::io_context ioc;
  asio::ip::tcp::socket slow(ioc);
  slow.connect({asio::ip::make_address("127.0.0.1"), port_});
  asio::write(slow, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  const auto t0 = Clock::now();
  bool cut = false;
  for (int i = 0; i < 100 && !cut; ++i) {
    // One header line every 50 ms: each arrives well inside any per-read timeout.
    std::this_thread::sleep_for(milliseconds(50));  // the attacker's pacing
    beast::error_code ec;
    asio::write(slow, asio::buffer(std::string("X-Drip-" + std::to_string(i) + ": 1\r\n")), ec);
    if (ec) cut = true;
    // A healthy client is served meanwhile.
    if (i == 2) {
      EXPECT_EQ(http_get(port_, "/healthz").status, 200u);
    }
  }
  // The server closed the connection (the write failed, or reading sees EOF).
  if (!cut) {
    char byte = 0;
    beast::error_code ec;
    slow.read_some(asio::buffer(&byte, 1), ec);
    cut = ec == asio::error::eof || ec == asio::error::connection_reset;
  }
  const double after_s = std::chrono::duration<double>(Clock::now() - t0).count();
  EXPECT_TRUE(cut) << "still open after " << after_s << " s";
  EXPECT_LT(after_s, 3.0);
  EXPECT_EQ(http_get(port_, "/healthz").status, 200u);
}

TEST_F(Abuse, ClientsThatNeverReadAreClosedMemoryStaysBoundedOthersKeepTheirLatency) {
  raise_fd_limit();
  const int readers_not = full() ? 200 : 50;
  auto options = default_options();
  options.send_queue_bytes = 256 * 1024;
  options.send_queue_limit = 256;
  start(options);

  asio::io_context ioc;
  std::vector<std::unique_ptr<websocket::stream<asio::ip::tcp::socket>>> sleepers;
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port_);
  const std::string hello_text = json::serialize(hello(token("u-sleeper", {"viewer"})));
  for (int i = 0; i < readers_not; ++i) {
    auto ws = std::make_unique<websocket::stream<asio::ip::tcp::socket>>(ioc);
    beast::get_lowest_layer(*ws).open(asio::ip::tcp::v4());
    // A small receive window, so the server's own queue (not the kernel) takes the backlog.
    beast::get_lowest_layer(*ws).set_option(asio::socket_base::receive_buffer_size(4096));
    beast::get_lowest_layer(*ws).connect(ep);
    ws->handshake("127.0.0.1", "/ws");
    ws->write(asio::buffer(hello_text));
    ws->write(asio::buffer(std::string(R"({"type":"subscribe","masterplan":"mp"})")));
    sleepers.push_back(std::move(ws));  // never read again
  }
  auto reader = join("u-reader", {"viewer"});
  ASSERT_TRUE(reader->request({{"type", "subscribe"}, {"masterplan", "mp"}}, "events"));
  const auto rss_before = rss_bytes();

  // 16 KB events; the reader keeps up, the sleepers fall behind.
  const std::string big(16000, 'v');
  const int rounds = full() ? 200 : 100;  // MBs per sleeper, past any kernel buffer
  std::vector<double> delivery_ms;
  std::int64_t version = 0;
  for (int round = 0; round < rounds; ++round) {
    const auto t0 = Clock::now();
    for (int i = 0; i < 4; ++i) {
      store::AppendRequest request;
      request.stream = "mp";
      request.events.push_back({"VisionSet", 1, "{\"text\":\"" + big + "\"}"});
      ASSERT_TRUE(log_->append(std::move(request)).ok());
    }
    auto got = collect_versions(*reader, "mp", version + 4);
    ASSERT_EQ(got.size(), 4u) << "round " << round;
    version += 4;
    delivery_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(delivery_ms.begin(), delivery_ms.end());
  const double p50 = delivery_ms[delivery_ms.size() / 2];
  const double worst = delivery_ms.back();
  const double growth_mb =
      static_cast<double>(rss_bytes() - std::min(rss_bytes(), rss_before)) / (1 << 20);
  auto metrics = http_get(port_, "/metrics");
  const auto at = metrics.body.find("\nrembuk_slow_clients_closed_total ");
  ASSERT_NE(at, std::string::npos);
  const int closed = std::stoi(metrics.body.substr(at + 34));
  std::fprintf(stderr,
               "non-readers: %d sleepers, %d closed as too slow, reader delivery p50 %.2f ms "
               "worst %.2f ms, RSS +%.1f MB\n",
               readers_not, closed, p50, worst, growth_mb);
  EXPECT_EQ(closed, readers_not);
  // Bounded: at most one send queue's bytes per sleeper (plus slack for the reader and the
  // allocator); without the bound every sleeper would hold every event.
  EXPECT_LT(growth_mb, (readers_not * 0.25 + 64) * kMemoryScale);
  EXPECT_LT(p50, 500.0);
}

}  // namespace
}  // namespace rembuk::testing
