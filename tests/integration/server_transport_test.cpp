// End-to-end tests of the transport: hello/auth, subscribe (catch-up → live without gap or
// duplicate), presence, malformed messages, limits, HTTP, shutdown. Events are appended
// straight to the log, so these run with or without the command engine.
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "server_fixture.hpp"

namespace rembuk::testing {
namespace {

using std::chrono::milliseconds;

json::object subscribe(const std::string& mp, std::int64_t from = 0) {
  return {{"type", "subscribe"}, {"masterplan", mp}, {"fromVersion", from}};
}

class Transport : public ServerFixture {};

TEST_F(Transport, HelloIsRequiredAndWelcomeDescribesTheSession) {
  start();
  auto c = connect();
  ASSERT_TRUE(c);
  auto pong = c->request({{"type", "ping"}, {"id", 1}}, "pong");
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->at("id").as_int64(), 1);

  auto refused = c->request(subscribe("padang"), "error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->at("code").as_string(), "not_authenticated");

  auto bad = c->request(hello("not.a.token"), "error");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->at("code").as_string(), "invalid_token");

  auto forged = c->request(hello(token("u-rina", {"admin"}) + "x"), "error");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->at("code").as_string(), "invalid_token");

  auto expired = c->request(hello(token("u-rina", {"admin"}, "", {}, -10)), "error");
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->at("code").as_string(), "token_expired");

  // The connection stayed usable: a valid hello now works.
  auto welcome = c->request(hello(token("u-rina", {"opd_editor"}, "diskominfo", {"padang"})),
                            "welcome");
  ASSERT_TRUE(welcome);
  EXPECT_EQ(welcome->at("user").as_string(), "u-rina");
  EXPECT_EQ(welcome->at("roles").as_array().at(0).as_string(), "opd_editor");
  EXPECT_EQ(welcome->at("opd").as_string(), "diskominfo");
  EXPECT_FALSE(welcome->at("session").as_string().empty());
  EXPECT_TRUE(welcome->at("server").as_object().contains("version"));

  auto again = c->request(hello(token("u-rina", {"admin"})), "error");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->at("code").as_string(), "already_authenticated");
}

TEST_F(Transport, SubscribeCatchesUpThenGoesLive) {
  append("padang", 5);
  start();
  auto c = join("u-rina");
  auto first = c->request({{"type", "subscribe"}, {"masterplan", "padang"}, {"fromVersion", 2},
                           {"id", "s1"}},
                          "events");
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->at("catchUp").as_bool());
  EXPECT_EQ(first->at("id").as_string(), "s1");
  EXPECT_EQ(first->at("version").as_int64(), 5);
  const auto& events = first->at("events").as_array();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("version").as_int64(), 3);
  EXPECT_EQ(events[0].at("type").as_string(), "VisionSet");
  EXPECT_TRUE(events[0].at("payload").is_object());

  append("padang", 2);
  expect_exactly(collect_versions(*c, "padang", 7), 6, 7);

  // An empty masterplan: an empty catch-up at version 0.
  auto empty = c->request(subscribe("nobody"), "events");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->at("version").as_int64(), 0);
  EXPECT_TRUE(empty->at("events").as_array().empty());

  auto ahead = c->request(subscribe("padang", 99), "error");
  ASSERT_TRUE(ahead);
  EXPECT_EQ(ahead->at("code").as_string(), "invalid_field");
}

TEST_F(Transport, NoGapNoDuplicateWhileSubscribingDuringWrites) {
  start();
  constexpr int kEvents = 400;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < kEvents; ++i) append("busy", 1);
    done = true;
  });
  std::vector<std::unique_ptr<WsTestClient>> clients;
  std::vector<std::int64_t> starts;
  for (int i = 0; i < 6; ++i) {
    auto c = join("u-" + std::to_string(i));
    // Subscribe from wherever the log is now (a little behind, as a reconnecting client).
    auto head_now = static_cast<std::int64_t>(head());
    const std::int64_t from = std::max<std::int64_t>(0, head_now - 3);
    c->send(subscribe("busy", from));
    starts.push_back(from);
    clients.push_back(std::move(c));
    std::this_thread::yield();
  }
  writer.join();
  ASSERT_TRUE(done);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    expect_exactly(collect_versions(*clients[i], "busy", kEvents), starts[i] + 1, kEvents);
  }
}

TEST_F(Transport, TwoClientsSeeEachOthersEventsAndReconnectMissesNothing) {
  start();
  auto a = join("u-a");
  auto b = join("u-b");
  ASSERT_TRUE(a->request(subscribe("mp"), "events"));
  ASSERT_TRUE(b->request(subscribe("mp"), "events"));
  append("mp", 3);
  expect_exactly(collect_versions(*a, "mp", 3), 1, 3);
  expect_exactly(collect_versions(*b, "mp", 3), 1, 3);

  // b disconnects at version 3; the log moves on; b comes back from 3.
  b->close();
  append("mp", 4);
  expect_exactly(collect_versions(*a, "mp", 7), 4, 7);
  auto b2 = join("u-b");
  b2->send(subscribe("mp", 3));
  expect_exactly(collect_versions(*b2, "mp", 7), 4, 7);
  append("mp", 1);
  expect_exactly(collect_versions(*b2, "mp", 8), 8, 8);
}

TEST_F(Transport, PresenceIsSharedNeverStoredAndExpires) {
  auto options = default_options();
  // Long enough that a newcomer joining on a loaded machine still finds u-a present.
  options.presence_ttl = milliseconds(1000);
  start(options);
  const auto before = head();
  auto a = join("u-a");
  auto b = join("u-b");
  ASSERT_TRUE(a->request(subscribe("mp"), "events"));
  ASSERT_TRUE(b->request(subscribe("mp"), "events"));

  a->send(json::object{{"type", "presence"}, {"masterplan", "mp"},
                       {"focus", {{"entity", "program/p1"}, {"field", "title"}}}});
  auto seen = b->next_of_type("presence");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->at("user").as_string(), "u-a");
  EXPECT_EQ(seen->at("state").as_string(), "active");
  EXPECT_EQ(seen->at("focus").at("field").as_string(), "title");
  EXPECT_TRUE(a->quiet_for(milliseconds(100)));  // no echo to the sender

  // A newcomer learns who is already there.
  auto c = join("u-c");
  c->send(subscribe("mp"));
  auto current = c->next_of_type("presence");
  ASSERT_TRUE(current);
  EXPECT_EQ(current->at("user").as_string(), "u-a");

  // a goes quiet: after the TTL everybody hears "left". Presence frames are states, not
  // deltas: a repeat of u-a's "active" before that is allowed (seen once under TSan), so
  // skip those and wait for the "left".
  auto left = b->next_of_type("presence", milliseconds(6000));
  for (int repeats = 0; left && left->at("state").as_string() == "active" &&
                        left->at("user").as_string() == "u-a" && repeats < 3;
       ++repeats) {
    left = b->next_of_type("presence", milliseconds(6000));
  }
  ASSERT_TRUE(left);
  EXPECT_EQ(left->at("user").as_string(), "u-a");
  EXPECT_EQ(left->at("state").as_string(), "left");

  // b shows presence, then disconnects: a hears "left" at once.
  b->send(json::object{{"type", "presence"}, {"masterplan", "mp"}, {"focus", nullptr}});
  auto b_active = a->next_of_type("presence");
  ASSERT_TRUE(b_active);
  b->close();
  auto b_left = a->next_of_type("presence");
  ASSERT_TRUE(b_left);
  EXPECT_EQ(b_left->at("user").as_string(), "u-b");
  EXPECT_EQ(b_left->at("state").as_string(), "left");

  auto not_subscribed = a->request(
      json::object{{"type", "presence"}, {"masterplan", "other"}, {"focus", 1}}, "error");
  ASSERT_TRUE(not_subscribed);
  EXPECT_EQ(not_subscribed->at("code").as_string(), "not_subscribed");
  EXPECT_EQ(head(), before);
}

TEST_F(Transport, EachMalformedMessageGetsItsErrorAndTheLogIsUnchanged) {
  append("mp", 2);
  start();
  const auto before = head();
  auto c = join("u-a");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"{oops", "bad_json"},
      {"[1,2,3]", "not_an_object"},
      {R"({"hello":1})", "missing_type"},
      {R"({"type":"teleport"})", "unknown_type"},
      {R"({"type":"subscribe"})", "missing_field"},
      {R"({"type":"subscribe","masterplan":42})", "invalid_field"},
      {R"({"type":"subscribe","masterplan":"mp","fromVersion":-3})", "invalid_field"},
      {R"({"type":"submit","masterplan":"mp","command":{"type":"SetVision"}})", "missing_field"},
      {R"({"type":"submit","commandId":"c","masterplan":"mp"})", "missing_field"},
      {R"({"type":"submit","commandId":"c","masterplan":"mp","command":"SetVision"})",
       "invalid_field"},
      {R"({"type":"submit","commandId":"c","masterplan":"mp","command":{"text":"x"}})",
       "missing_field"},
      {R"({"type":"submit","commandId":"c","masterplan":"mp","baseVersion":"1","command":{"type":"SetVision"}})",
       "invalid_field"},
      {R"({"type":"presence","masterplan":"mp","focus":")" + std::string(4000, 'x') + "\"}",
       "invalid_field"},
      {R"({"type":"hello","token":"a.b.c"})", "already_authenticated"},
  };
  for (const auto& [text, code] : cases) {
    c->send(text);
    auto error = c->next_of_type("error");
    ASSERT_TRUE(error) << text;
    EXPECT_EQ(error->at("code").as_string(), code) << text;
    EXPECT_FALSE(error->at("message").as_string().empty()) << text;
  }
  c->send_binary("\x01\x02");
  auto binary = c->next_of_type("error");
  ASSERT_TRUE(binary);
  EXPECT_EQ(binary->at("code").as_string(), "binary_not_supported");
  // Still usable.
  ASSERT_TRUE(c->request({{"type", "ping"}}, "pong"));
  EXPECT_EQ(head(), before);
}

TEST_F(Transport, TokenMasterplansClaimLimitsSubscribeAndSubmit) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->request(hello(token("u-a", {"tim_pelaksana"}, "", {"padang"})), "welcome"));
  ASSERT_TRUE(c->request(subscribe("padang"), "events"));
  auto refused = c->request(subscribe("pariaman"), "error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->at("code").as_string(), "forbidden");
  auto reject = c->request({{"type", "submit"}, {"commandId", "c-1"}, {"masterplan", "pariaman"},
                            {"command", {{"type", "SetVision"}, {"text", "x"}}}},
                           "reject");
  ASSERT_TRUE(reject);
  EXPECT_EQ(reject->at("code").as_string(), "forbidden");
  EXPECT_EQ(reject->at("commandId").as_string(), "c-1");
  EXPECT_EQ(head(), 0u);
}

TEST_F(Transport, FrameLargerThanTheLimitClosesWith1009) {
  auto options = default_options();
  options.max_frame_bytes = 1024;
  start(options);
  auto c = join("u-a");
  c->send(R"({"type":"ping","pad":")" + std::string(2000, 'x') + "\"}");
  auto closed = c->wait_closed();
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->code, 1009);
}

TEST_F(Transport, CommandsPerSecondAreLimited) {
  auto options = default_options();
  options.commands_per_second = 3;
  start(options);
  auto c = join("u-a");
  int limited = 0;
  for (int i = 0; i < 10; ++i) {
    auto r = c->request({{"type", "submit"}, {"commandId", "rl-" + std::to_string(i)},
                         {"masterplan", "mp"}, {"command", {{"type", "SetVision"}, {"text", "x"}}}},
                        have_engine() ? "reject" : "reject");
    if (!r) continue;
    if (r->at("code").as_string() == "rate_limited") ++limited;
  }
  EXPECT_GE(limited, 6);
  ASSERT_TRUE(c->request({{"type", "ping"}}, "pong"));  // still usable
}

TEST_F(Transport, SlowClientIsClosedWith1013WithoutSlowingOthers) {
  auto options = default_options();
  options.send_queue_limit = 64;
  options.send_queue_bytes = 256 * 1024;
  start(options);
  std::string error;
  auto slow = WsTestClient::connect(port_, &error, /*receive_buffer=*/4096);
  ASSERT_TRUE(slow) << error;
  ASSERT_TRUE(slow->request(hello(token("u-slow", {"viewer"})), "welcome"));
  ASSERT_TRUE(slow->request(subscribe("mp"), "events"));
  auto fast = join("u-fast", {"viewer"});
  ASSERT_TRUE(fast->request(subscribe("mp"), "events"));
  slow->pause_reading();

  // Big events: ~10 MB fill the socket buffers (the kernel's may take several MB) and then
  // the slow client's send queue. The writer keeps pace with the fast client (8 events a
  // round), which therefore never falls behind by more than its limit.
  const std::string big(16000, 'v');
  std::vector<std::int64_t> fast_versions;
  for (int round = 0; round < 75; ++round) {
    for (int i = 0; i < 8; ++i) {
      store::AppendRequest request;
      request.stream = "mp";
      request.events.push_back({"VisionSet", 1, "{\"text\":\"" + big + "\"}"});
      ASSERT_TRUE(log_->append(std::move(request)).ok());
    }
    auto got = collect_versions(*fast, "mp", 8 * (round + 1));
    fast_versions.insert(fast_versions.end(), got.begin(), got.end());
  }
  expect_exactly(fast_versions, 1, 600);
  slow->resume_reading();
  auto closed = slow->wait_closed(milliseconds(10000));
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->code, 1013);
  EXPECT_NE(closed->reason.find("too slow"), std::string::npos);
  auto metrics = http_get(port_, "/metrics");
  EXPECT_NE(metrics.body.find("rembuk_slow_clients_closed_total 1"), std::string::npos);
}

TEST_F(Transport, IdleAndHelloTimeoutsClose) {
  auto options = default_options();
  options.idle_timeout = milliseconds(300);
  options.hello_timeout = milliseconds(200);
  start(options);
  auto silent = connect();
  auto idle = join("u-idle");
  auto hello_closed = silent->wait_closed(milliseconds(3000));
  ASSERT_TRUE(hello_closed);
  EXPECT_EQ(hello_closed->code, 1008);
  EXPECT_EQ(hello_closed->reason, "hello timeout");
  auto idle_closed = idle->wait_closed(milliseconds(3000));
  ASSERT_TRUE(idle_closed);
  EXPECT_EQ(idle_closed->code, 4000);
  EXPECT_EQ(idle_closed->reason, "idle timeout");
}

TEST_F(Transport, PingsKeepAConnectionAlive) {
  auto options = default_options();
  options.idle_timeout = milliseconds(400);
  start(options);
  auto c = join("u-a");
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(c->request({{"type", "ping"}}, "pong"));
    std::this_thread::sleep_for(milliseconds(100));  // pacing the client, not waiting on the server
  }
  EXPECT_FALSE(c->closed());
}

TEST_F(Transport, MaxConnectionsAndSubscriptions) {
  auto options = default_options();
  options.max_connections = 2;
  options.max_subscriptions_per_connection = 2;
  start(options);
  auto a = join("u-a");
  auto b = join("u-b");
  auto c = connect();
  ASSERT_TRUE(c);
  auto closed = c->wait_closed();
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->code, 1013);
  EXPECT_EQ(closed->reason, "too many connections");

  ASSERT_TRUE(a->request(subscribe("one"), "events"));
  ASSERT_TRUE(a->request(subscribe("two"), "events"));
  auto third = a->request(subscribe("three"), "error");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->at("code").as_string(), "too_many_subscriptions");
  // Unsubscribing frees a place.
  ASSERT_TRUE(a->request({{"type", "unsubscribe"}, {"masterplan", "one"}}, "unsubscribed"));
  ASSERT_TRUE(a->request(subscribe("three"), "events"));
}

// A ViewSource with no views: what the server answers before kernel/projections exists.
class NoViews final : public server::ViewSource {
 public:
  std::optional<server::ViewResponse> view(const server::ViewRequest& request) override {
    last_at = request.at;
    return std::nullopt;
  }
  std::optional<std::uint64_t> last_at;
};

TEST_F(Transport, HttpHealthMetricsApiAndStatic) {
  append("padang", 3);
  append("pariaman", 1);
  const auto web = dir_ / "web";
  std::filesystem::create_directories(web);
  std::ofstream(web / "index.html") << "<h1>rembuk</h1>";
  std::ofstream(dir_ / "outside.txt") << "secret";
  auto options = default_options();
  options.static_dir = web.string();
  NoViews views;
  start(options, &views);

  auto health = http_get(port_, "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(json::parse(health.body).at("status").as_string(), "ok");

  auto c = join("u-a");
  ASSERT_TRUE(c->request(subscribe("padang"), "events"));
  auto metrics = http_get(port_, "/metrics");
  EXPECT_EQ(metrics.status, 200u);
  for (const char* name :
       {"rembuk_connections 1", "rembuk_subscriptions 1", "rembuk_commands_total",
        "rembuk_commit_latency_seconds_bucket", "rembuk_group_commit_batch_avg",
        "rembuk_events_in_log 4"}) {
    EXPECT_NE(metrics.body.find(name), std::string::npos) << name << "\n" << metrics.body;
  }

  EXPECT_EQ(http_get(port_, "/api/masterplans").status, 401u);
  EXPECT_EQ(http_get(port_, "/api/masterplans", "bad.token.here").status, 401u);
  auto list = http_get(port_, "/api/masterplans", token("u-a", {"viewer"}));
  ASSERT_EQ(list.status, 200u);
  const auto list_json = json::parse(list.body);
  const auto& mps = list_json.at("masterplans").as_array();
  ASSERT_EQ(mps.size(), 2u);
  EXPECT_EQ(mps[0].at("id").as_string(), "padang");
  EXPECT_EQ(mps[0].at("version").as_int64(), 3);

  auto limited = http_get(port_, "/api/masterplans", token("u-a", {"viewer"}, "", {"pariaman"}));
  ASSERT_EQ(limited.status, 200u);
  EXPECT_EQ(json::parse(limited.body).at("masterplans").as_array().size(), 1u);
  EXPECT_EQ(http_get(port_, "/api/masterplans/padang", token("u-a", {"viewer"}, "", {"pariaman"}))
                .status,
            403u);

  auto roadmap = http_get(port_, "/api/masterplans/padang/roadmap?at=2", token("u-a", {"viewer"}));
  EXPECT_EQ(roadmap.status, 501u);
  EXPECT_EQ(json::parse(roadmap.body).at("error").as_string(), "view_not_available");
  EXPECT_EQ(views.last_at, 2u);
  EXPECT_EQ(http_get(port_, "/api/masterplans/padang/nonsense", token("u-a", {"viewer"})).status,
            404u);
  EXPECT_EQ(http_get(port_, "/api/masterplans/padang?at=abc", token("u-a", {"viewer"})).status,
            400u);

  auto index = http_get(port_, "/");
  EXPECT_EQ(index.status, 200u);
  EXPECT_EQ(index.body, "<h1>rembuk</h1>");
  EXPECT_NE(index.content_type.find("text/html"), std::string::npos);
  EXPECT_EQ(http_get(port_, "/../outside.txt").status, 400u);
  EXPECT_EQ(http_get(port_, "/%2e%2e/outside.txt").status, 400u);
  EXPECT_EQ(http_get(port_, "/missing.js").status, 404u);
  EXPECT_EQ(http_get(port_, "/healthz", "", "POST").status, 405u);
}

// A view that takes as long as the test says: it waits in view() until release().
class HeldView final : public server::ViewSource {
 public:
  std::optional<server::ViewResponse> view(const server::ViewRequest&) override {
    std::unique_lock lock(mutex_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return released_; });
    return server::ViewResponse{200, R"({"held":true})"};
  }
  bool wait_entered() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return entered_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;
  bool released_ = false;
};

// An HTTP answer that takes long (a first load, the overview catching up, an export) is
// worked out off the I/O thread: with a single I/O thread, other requests and WebSocket
// sessions are served while it runs.
TEST_F(Transport, ASlowHttpAnswerHoldsNoIoThread) {
  append("padang", 2);
  auto options = default_options();
  options.threads = 1;
  HeldView views;
  start(options, &views);
  const std::string reader = token("u-a", {"viewer"});
  HttpAnswer slow;
  std::thread asking([&] { slow = http_get(port_, "/api/masterplans/padang/roadmap", reader); });
  ASSERT_TRUE(views.wait_entered());
  const auto list = http_get(port_, "/api/masterplans", reader, "GET", std::chrono::seconds(3));
  EXPECT_EQ(list.status, 200u);
  auto c = join("u-a");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->request(subscribe("padang"), "events"));
  EXPECT_EQ(slow.status, 0u);  // still waiting
  views.release();
  asking.join();
  EXPECT_EQ(slow.status, 200u);
  EXPECT_EQ(slow.body, R"({"held":true})");
}

TEST_F(Transport, StopClosesEverySocketWith1001) {
  start();
  auto a = join("u-a");
  auto b = join("u-b");
  server_->stop();
  server_->wait();
  for (auto* c : {a.get(), b.get()}) {
    auto closed = c->wait_closed();
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->code, 1001);
    EXPECT_EQ(closed->reason, "server shutting down");
  }
}

}  // namespace
}  // namespace rembuk::testing
