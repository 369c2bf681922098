// fanout: one writer, S subscribers on one document (see runs.hpp).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "runs.hpp"

namespace rembuk::loadgen {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

struct EditInFlight {
  Clock::time_point sent_at;
  int received = 0;
  double last_ms = 0;  // receipt at the last subscriber so far
};

}  // namespace

void run_fanout(const Target& target, const FanoutOptions& options, const std::string& prefix) {
  asio::io_context ioc(1);
  const std::string document = prefix + "-fanout";
  if (!seed_documents(ioc, target, {document})) die("seeding the document failed");

  const std::string run = "f" + std::to_string(::getpid()) + "-";
  std::unordered_map<std::string, EditInFlight> edits;
  std::vector<double> deliveries_ms;
  deliveries_ms.reserve(static_cast<std::size_t>(options.subscribers * options.rate *
                                                 options.seconds) + 16);
  long deliveries = 0;
  int subscribed = 0;
  int connecting = 0;
  int next_subscriber = 0;
  bool all_subscribed = false;
  std::vector<std::unique_ptr<Session>> subscribers;

  // Subscribers, at most 100 handshakes at a time (a burst of thousands is another benchmark).
  std::function<void()> connect_more = [&] {
    while (connecting < 100 && next_subscriber < options.subscribers) {
      ++connecting;
      ++next_subscriber;
      subscribers.push_back(std::make_unique<Session>(ioc, target));
      subscribers.back()->start([&](Session& s, const Incoming& in) {
        if (in.kind == Incoming::Kind::ready) {
          s.send(s.protocol().subscribe(document));
          return;
        }
        if (in.kind == Incoming::Kind::subscribed) {
          --connecting;
          if (++subscribed == options.subscribers) all_subscribed = true;
          connect_more();
        }
        if (in.seen.empty()) return;
        const auto now = Clock::now();
        for (const auto& id : in.seen) {
          auto it = edits.find(id);
          if (it == edits.end()) continue;
          const double ms = std::chrono::duration<double, std::milli>(now - it->second.sent_at).count();
          deliveries_ms.push_back(ms);
          ++deliveries;
          ++it->second.received;
          it->second.last_ms = ms;
        }
      });
    }
  };
  connect_more();
  while (!all_subscribed) {
    if (ioc.run_one() == 0) die("the subscribers stopped before they all subscribed");
  }

  Session writer(ioc, target);
  bool writer_ready = false;
  long acked = 0;
  // The writer subscribes too, as an editor does: ShareDB needs the version to submit at.
  writer.start([&](Session& s, const Incoming& in) {
    if (in.kind == Incoming::Kind::ready) s.send(s.protocol().subscribe(document));
    if (in.kind == Incoming::Kind::subscribed) writer_ready = true;
    if (in.kind == Incoming::Kind::ack) ++acked;
    if (in.kind == Incoming::Kind::reject) die("the writer's edit was rejected: " + in.detail);
  });
  while (!writer_ready) {
    if (ioc.run_one() == 0) die("the writer stopped before it was ready");
  }

  // Open loop: edits on a fixed schedule, whatever the server's speed.
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / options.rate));
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(options.seconds));
  long sent = 0;
  asio::steady_timer timer(ioc);
  std::function<void()> tick = [&] {
    if (Clock::now() >= end) return;
    const std::string id = run + std::to_string(sent++);
    edits[id].sent_at = Clock::now();
    writer.send(writer.protocol().edit(document, id));
    timer.expires_at(start + interval * sent);
    timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) tick();
    });
  };
  tick();
  ioc.run_until(end);
  // Let the last edits arrive everywhere (at most 5 s).
  const long expected = sent * options.subscribers;
  const auto drain_until = Clock::now() + std::chrono::seconds(5);
  while (deliveries < expected && Clock::now() < drain_until) {
    ioc.run_for(std::chrono::milliseconds(10));
  }
  std::vector<double> all_ms;
  for (const auto& [id, e] : edits) {
    if (e.received == options.subscribers) all_ms.push_back(e.last_ms);
  }
  writer.close();
  for (auto& s : subscribers) s->close();
  ioc.run_for(std::chrono::milliseconds(100));

  std::printf(
      "{\"system\":\"%s\",\"scenario\":\"fanout\",\"subscribers\":%d,\"rate\":%.1f,"
      "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"all_p50_ms\":%.3f,\"all_p99_ms\":%.3f,"
      "\"edits\":%ld,\"acked\":%ld,\"deliveries\":%ld,\"missing\":%ld}\n",
      target.system.c_str(), options.subscribers, options.rate, percentile(deliveries_ms, 50),
      percentile(deliveries_ms, 99), percentile(all_ms, 50), percentile(all_ms, 99), sent, acked,
      deliveries, expected - deliveries);
  std::fflush(stdout);
  if (deliveries < expected) std::exit(3);  // a lost delivery is a failure, not a latency
}

}  // namespace rembuk::loadgen
