// edits: C clients over D documents, closed loop (see runs.hpp).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "command_ids.hpp"
#include "runs.hpp"

namespace rembuk::loadgen {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1));
  return values[index];
}

namespace {

struct EditingClient {
  std::unique_ptr<Session> session;
  std::string document;
  std::mt19937_64 random;  // for this client's edit ids
  std::string outstanding;  // id of the edit waiting for its ack
  Clock::time_point sent_at;
};

}  // namespace

void run_edits(const Target& target, const EditsOptions& options, const std::string& prefix) {
  asio::io_context ioc(1);
  std::vector<std::string> documents;
  for (int i = 0; i < options.documents; ++i) documents.push_back(prefix + "-" + std::to_string(i));
  if (!seed_documents(ioc, target, documents)) die("seeding the documents failed");

  std::vector<EditingClient> clients(static_cast<std::size_t>(options.clients));
  std::vector<double> latencies_ms;
  latencies_ms.reserve(1 << 20);
  long acked = 0;
  long rejected = 0;
  int subscribed = 0;
  bool running = false;
  Clock::time_point start;
  Clock::time_point end;

  auto submit = [&](EditingClient& c) {
    // As rembuk's clients name commands (time, then 48 random bits): unique across runs
    // against one server, and the order the log's command index is built for.
    c.outstanding = bench::client_command_id(c.random);
    c.sent_at = Clock::now();
    c.session->send(c.session->protocol().edit(c.document, c.outstanding));
  };
  auto begin = [&] {
    start = Clock::now();
    end = start + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double>(options.seconds));
    running = true;
    for (auto& c : clients) submit(c);
  };

  for (int i = 0; i < options.clients; ++i) {
    auto& c = clients[static_cast<std::size_t>(i)];
    c.document = documents[static_cast<std::size_t>(i % options.documents)];
    c.random.seed(std::random_device{}() ^ (static_cast<std::uint64_t>(::getpid()) << 20) ^
                  static_cast<std::uint64_t>(i));
    c.session = std::make_unique<Session>(ioc, target);
    c.session->start([&, ci = &c](Session& s, const Incoming& in) {
      switch (in.kind) {
        case Incoming::Kind::ready:
          s.send(s.protocol().subscribe(ci->document));
          return;
        case Incoming::Kind::subscribed:
          if (++subscribed == options.clients) begin();
          return;
        case Incoming::Kind::ack:
        case Incoming::Kind::reject: {
          if (in.id != ci->outstanding || ci->outstanding.empty()) return;
          ci->outstanding.clear();
          const auto now = Clock::now();
          if (now <= end) {
            latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(now - ci->sent_at).count());
            if (in.kind == Incoming::Kind::ack) {
              ++acked;
            } else {
              if (rejected++ == 0) std::fprintf(stderr, "rembuk-loadgen: rejected: %s\n", in.detail.c_str());
            }
          }
          if (running && now < end) submit(*ci);
          return;
        }
        default:
          return;
      }
    });
  }
  while (!running) {
    if (ioc.run_one() == 0) die("the clients stopped before they all subscribed");
  }
  // The window, then up to 5 s for the last acknowledgements (they do not count).
  ioc.run_until(end);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const auto drain_until = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < drain_until &&
         std::any_of(clients.begin(), clients.end(),
                     [](const EditingClient& c) { return !c.outstanding.empty(); })) {
    ioc.run_for(std::chrono::milliseconds(10));
  }
  for (auto& c : clients) c.session->close();
  ioc.run_for(std::chrono::milliseconds(100));

  std::printf(
      "{\"system\":\"%s\",\"scenario\":\"edits\",\"clients\":%d,\"documents\":%d,"
      "\"edits_per_s\":%.0f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"acked\":%ld,\"rejected\":%ld,"
      "\"seconds\":%.2f}\n",
      target.system.c_str(), options.clients, options.documents,
      static_cast<double>(acked) / elapsed, percentile(latencies_ms, 50),
      percentile(latencies_ms, 99), acked, rejected, elapsed);
  std::fflush(stdout);
  if (rejected > 0) std::exit(3);  // a workload the system refuses measures nothing
}

}  // namespace rembuk::loadgen
