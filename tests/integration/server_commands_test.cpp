// End-to-end tests of the command path: submit over WebSocket → CommandEngine → group
// commit → ack, and the live events every subscriber sees. Needs kernel/engine.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "server_fixture.hpp"

namespace rembuk::testing {
namespace {

using std::chrono::milliseconds;

// A TCP stream that counts its reads, under a synchronous WebSocket client: messages read
// without a read in between arrived together.
class ReadCountingStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;
  explicit ReadCountingStream(boost::asio::io_context& ioc) : socket_(ioc) {}
  executor_type get_executor() { return socket_.get_executor(); }
  boost::asio::ip::tcp::socket& socket() { return socket_; }
  std::size_t reads() const { return reads_; }

  template <class Buffers>
  std::size_t read_some(const Buffers& buffers) {
    ++reads_;
    return socket_.read_some(buffers);
  }
  template <class Buffers>
  std::size_t read_some(const Buffers& buffers, boost::system::error_code& ec) {
    ++reads_;
    return socket_.read_some(buffers, ec);
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers) {
    return socket_.write_some(buffers);
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers, boost::system::error_code& ec) {
    return socket_.write_some(buffers, ec);
  }

 private:
  boost::asio::ip::tcp::socket socket_;
  std::size_t reads_ = 0;
};

void teardown(boost::beast::role_type, ReadCountingStream& stream,
              boost::system::error_code& ec) {
  stream.socket().close(ec);
}

class Commands : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (!have_engine()) GTEST_SKIP() << "built without kernel/engine";
  }

  static json::object submit_message(const std::string& command_id, const std::string& mp,
                                     json::object command, std::optional<std::int64_t> base = {}) {
    json::object m{{"type", "submit"}, {"commandId", command_id}, {"masterplan", mp},
                   {"command", std::move(command)}};
    if (base) m["baseVersion"] = *base;
    return m;
  }

  // The ack or reject for `command_id` (skipping events, presence, other outcomes).
  static std::optional<json::object> outcome(WsTestClient& c, const std::string& command_id,
                                             milliseconds timeout = milliseconds(10000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = c.next(std::chrono::duration_cast<milliseconds>(deadline -
                                                               std::chrono::steady_clock::now()));
      if (!m) return std::nullopt;
      const auto type = m->at("type").as_string();
      if ((type == "ack" || type == "reject") && m->at("commandId").as_string() == command_id) {
        return m;
      }
    }
    return std::nullopt;
  }

  std::optional<json::object> submit(WsTestClient& c, const std::string& command_id,
                                     json::object command,
                                     std::optional<std::int64_t> base = {},
                                     const std::string& mp = "padang") {
    c.send(submit_message(command_id, mp, std::move(command), base));
    return outcome(c, command_id);
  }

  static std::string code_of(const std::optional<json::object>& answer) {
    if (!answer) return "<no answer>";
    if (answer->at("type").as_string() == "ack") return "ack";
    return std::string(answer->at("code").as_string());
  }

  // padang: created, two OPDs, program p1 led by diskominfo, p2 led by bappeda.
  std::int64_t seed(WsTestClient& admin) {
    int n = 0;
    auto ok = [&](json::object command) {
      auto a = submit(admin, "seed-" + std::to_string(++n), std::move(command));
      EXPECT_EQ(code_of(a), "ack") << (a ? json::serialize(*a) : "");
      return a ? a->at("version").as_int64() : 0;
    };
    ok({{"type", "CreateMasterplan"}, {"cityName", "Padang"}, {"regionCode", "13.71"},
        {"startYear", 2019}, {"endYear", 2023}});
    ok({{"type", "RegisterOpd"}, {"opdId", "diskominfo"}, {"name", "Dinas Kominfo"}});
    ok({{"type", "RegisterOpd"}, {"opdId", "bappeda"}, {"name", "Bappeda"}});
    ok({{"type", "AddProgram"}, {"programId", "p1"}, {"title", "Padang Command Center"},
        {"dimension", "governance"}, {"element", "public_service"}, {"leadOpd", "diskominfo"},
        {"startYear", 2019}, {"endYear", 2021}});
    return ok({{"type", "AddProgram"}, {"programId", "p2"}, {"title", "Satu Data Padang"},
               {"dimension", "governance"}, {"element", "public_policy"},
               {"leadOpd", "bappeda"}, {"startYear", 2019}, {"endYear", 2023}});
  }

  static json::object update_title(const std::string& program, const std::string& title) {
    return {{"type", "UpdateProgram"}, {"programId", program}, {"title", title}};
  }

  static json::object comment_as(const std::string& id) {
    return {{"type", "AddComment"}, {"commentId", id}, {"target", "program/p1"},
            {"text", "Catatan"}};
  }

  static json::object add_program(const std::string& id, const std::string& lead) {
    return {{"type", "AddProgram"}, {"programId", id}, {"title", "Program " + id},
            {"dimension", "governance"}, {"element", "public_service"}, {"leadOpd", lead},
            {"startYear", 2019}, {"endYear", 2021}};
  }
};

TEST_F(Commands, TwoClientsSeeEachOthersEdits) {
  start();
  auto a = join("u-a");
  auto b = join("u-b");
  const auto v = seed(*a);
  ASSERT_EQ(v, 5);
  ASSERT_TRUE(a->request({{"type", "subscribe"}, {"masterplan", "padang"}, {"fromVersion", v}},
                         "events"));
  ASSERT_TRUE(b->request({{"type", "subscribe"}, {"masterplan", "padang"}, {"fromVersion", 0}},
                         "events"));
  auto ack = submit(*a, "a-1", update_title("p1", "Padang Command Center 2.0"), v);
  ASSERT_EQ(code_of(ack), "ack");
  EXPECT_EQ(ack->at("version").as_int64(), 6);
  auto seen = b->next_of_type("events");
  ASSERT_TRUE(seen);
  const auto& events = seen->at("events").as_array();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("type").as_string(), "ProgramUpdated");
  EXPECT_EQ(events[0].at("actor").as_string(), "u-a");
  EXPECT_EQ(events[0].at("commandId").as_string(), "a-1");
  EXPECT_EQ(events[0].at("payload").at("changes").at("title").as_string(),
            "Padang Command Center 2.0");

  ASSERT_EQ(code_of(submit(*b, "b-1", {{"type", "SetVision"}, {"text", "Padang cerdas"}}, 6)),
            "ack");
  // a sees b's edit (7). (a's own edit, 6, may have come before its ack; submit() skips it.)
  std::vector<std::string> types;
  std::int64_t last = 0;
  while (last < 7) {
    auto m = a->next_of_type("events");
    ASSERT_TRUE(m);
    for (const auto& e : m->at("events").as_array()) {
      types.emplace_back(e.at("type").as_string());
      last = e.at("version").as_int64();
    }
  }
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.back(), "VisionSet");
  EXPECT_EQ(last, 7);
}

// A subscribed author's own events and its ack leave together: the events first, then the
// ack, in one TCP segment (the client reads both with one read from the socket).
TEST_F(Commands, AnAuthorGetsItsEventsThenItsAckInOneRead) {
  start();
  auto admin = join("u-a");
  const auto v = seed(*admin);

  boost::asio::io_context ioc;
  boost::beast::websocket::stream<ReadCountingStream> ws(ioc);
  ws.next_layer().socket().connect(
      {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)});
  ws.handshake("127.0.0.1", "/ws");
  boost::beast::flat_buffer buffer;
  auto next = [&] {
    buffer.clear();
    ws.read(buffer);
    return json::parse(boost::beast::buffers_to_string(buffer.data())).as_object();
  };
  ws.write(boost::asio::buffer(json::serialize(hello(token("u-b", {"tim_pelaksana"})))));
  ASSERT_EQ(next().at("type").as_string(), "welcome");
  ws.write(boost::asio::buffer(json::serialize(
      json::object{{"type", "subscribe"}, {"masterplan", "padang"}, {"fromVersion", v}})));
  ASSERT_EQ(next().at("type").as_string(), "events");

  constexpr int kEdits = 20;
  int together = 0;
  for (int i = 0; i < kEdits; ++i) {
    const std::string id = "together-" + std::to_string(i);
    ws.write(boost::asio::buffer(json::serialize(
        submit_message(id, "padang", update_title("p1", "Judul " + std::to_string(i))))));
    auto events = next();
    const std::size_t reads_at_events = ws.next_layer().reads();
    ASSERT_EQ(events.at("type").as_string(), "events") << json::serialize(events);
    ASSERT_EQ(events.at("events").as_array().size(), 1u);
    EXPECT_EQ(events.at("events").as_array()[0].at("commandId").as_string(), id);
    auto ack = next();
    ASSERT_EQ(ack.at("type").as_string(), "ack") << json::serialize(ack);
    EXPECT_EQ(ack.at("commandId").as_string(), id);
    EXPECT_EQ(ack.at("version").as_int64(), v + i + 1);
    if (ws.next_layer().reads() == reads_at_events) ++together;
  }
  EXPECT_EQ(together, kEdits);
}

// An ack is owed whatever happens to the subscription meanwhile.
TEST_F(Commands, AnAckWaitingForItsEventsIsSentWhenTheAuthorUnsubscribes) {
  start();
  auto a = join("u-a");
  const auto v = seed(*a);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(a->request({{"type", "subscribe"}, {"masterplan", "padang"}, {"fromVersion", v + i}},
                           "events"));
    const std::string id = "leaving-" + std::to_string(i);
    a->send(submit_message(id, "padang", update_title("p1", "Judul " + std::to_string(i))));
    a->send(json::object{{"type", "unsubscribe"}, {"masterplan", "padang"}});
    auto ack = outcome(*a, id);
    ASSERT_EQ(code_of(ack), "ack");
    EXPECT_EQ(ack->at("version").as_int64(), v + i + 1);
  }
}

TEST_F(Commands, ConcurrentEditsDifferentFieldsSucceedSameFieldConflicts) {
  start();
  auto a = join("u-a");
  auto b = join("u-b");
  const auto v = seed(*a);
  // Different fields of p1, both based on v, sent at the same time.
  a->send(submit_message("a-title", "padang", update_title("p1", "Title by A"), v));
  b->send(submit_message("b-desc", "padang",
                         {{"type", "UpdateProgram"}, {"programId", "p1"},
                          {"description", "Description by B"}},
                         v));
  EXPECT_EQ(code_of(outcome(*a, "a-title")), "ack");
  EXPECT_EQ(code_of(outcome(*b, "b-desc")), "ack");

  // The same field, both based on v + 2.
  a->send(submit_message("a-same", "padang", update_title("p2", "A's title"), v + 2));
  b->send(submit_message("b-same", "padang", update_title("p2", "B's title"), v + 2));
  const auto ra = outcome(*a, "a-same");
  const auto rb = outcome(*b, "b-same");
  const std::multiset<std::string> codes{code_of(ra), code_of(rb)};
  EXPECT_EQ(codes, (std::multiset<std::string>{"ack", "conflict"}));
  const auto& rejected = code_of(ra) == "conflict" ? *ra : *rb;
  EXPECT_FALSE(rejected.at("violations").as_array().empty());
  EXPECT_EQ(head(), static_cast<store::Position>(v + 3));
}

TEST_F(Commands, ResubmissionAfterReconnectIsIdempotent) {
  start();
  auto a = join("u-a");
  const auto v = seed(*a);
  auto first = submit(*a, "once-only", {{"type", "SetVision"}, {"text", "v1"}}, v);
  ASSERT_EQ(code_of(first), "ack");
  const auto version = first->at("version").as_int64();
  const auto log_head = head();
  a->close();

  auto again = join("u-a");
  auto second = submit(*again, "once-only", {{"type", "SetVision"}, {"text", "v1"}}, v);
  ASSERT_EQ(code_of(second), "ack");
  EXPECT_EQ(second->at("version").as_int64(), version);
  EXPECT_TRUE(second->at("duplicate").as_bool());
  EXPECT_EQ(head(), log_head);
}

TEST_F(Commands, EveryRoleRestriction) {
  start();
  auto admin = join("u-admin", {"admin"});
  seed(*admin);
  struct Case {
    std::string user;
    std::vector<std::string> roles;
    std::string opd;
    json::object command;
    std::string expected;
  };
  const json::object comment{{"type", "AddComment"}, {"commentId", "c-x"},
                             {"target", "program/p1"}, {"text", "Bagus"}};
  std::vector<Case> cases{
      {"u-viewer", {"viewer"}, "", update_title("p1", "v"), "forbidden"},
      {"u-viewer", {"viewer"}, "", {{"type", "SetVision"}, {"text", "x"}}, "forbidden"},
      {"u-opd", {"opd_editor"}, "diskominfo", update_title("p1", "own program"), "ack"},
      {"u-opd", {"opd_editor"}, "diskominfo", update_title("p2", "other OPD's program"),
       "forbidden"},
      {"u-opd", {"opd_editor"}, "diskominfo",
       {{"type", "SetProgramLeadOpd"}, {"programId", "p1"}, {"leadOpd", "bappeda"}},
       "forbidden"},
      {"u-opd", {"opd_editor"}, "diskominfo", {{"type", "SetVision"}, {"text", "x"}},
       "forbidden"},
      {"u-tp", {"tim_pelaksana"}, "", update_title("p2", "TP edits all"), "ack"},
      {"u-tp", {"tim_pelaksana"}, "", {{"type", "SetVision"}, {"text", "Visi"}}, "ack"},
      {"u-dewan", {"dewan"}, "", update_title("p1", "dewan"), "forbidden"},
      {"u-rev", {"reviewer"}, "", update_title("p1", "reviewer"), "forbidden"},
      {"u-rev", {"reviewer"}, "", comment, "ack"},
      {"u-admin2", {"admin"}, "", update_title("p1", "admin"), "ack"},
      // Every other row of rule 8 (docs/commands.md, "Roles"), refused ones first.
      {"u-viewer", {"viewer"}, "", comment_as("c-v"), "forbidden"},
      {"u-viewer", {"viewer"}, "", {{"type", "ReopenMasterplan"}, {"reason", "x"}}, "forbidden"},
      {"u-opd", {"opd_editor"}, "diskominfo", add_program("p9", "bappeda"), "forbidden"},
      {"u-opd", {"opd_editor"}, "diskominfo", add_program("p8", "diskominfo"), "ack"},
      {"u-opd", {"opd_editor"}, "diskominfo", comment_as("c-opd"), "ack"},
      {"u-opd", {"opd_editor"}, "diskominfo", {{"type", "ResolveComment"}, {"commentId", "c-x"}},
       "forbidden"},
      {"u-opd", {"opd_editor"}, "diskominfo",
       {{"type", "AddMember"}, {"userId", "u-new"}, {"name", "N"}, {"role", "viewer"}},
       "forbidden"},
      {"u-opd", {"opd_editor"}, "diskominfo", {{"type", "SubmitMasterplan"}}, "forbidden"},
      {"u-rev", {"reviewer"}, "", {{"type", "SubmitMasterplan"}}, "forbidden"},
      {"u-rev", {"reviewer"}, "", {{"type", "ReopenMasterplan"}, {"reason", "x"}}, "forbidden"},
      {"u-dewan", {"dewan"}, "", {{"type", "StartReview"}}, "forbidden"},
      {"u-dewan", {"dewan"}, "", {{"type", "SubmitMasterplan"}}, "forbidden"},
      {"u-tp", {"tim_pelaksana"}, "", {{"type", "StartReview"}}, "forbidden"},
      {"u-tp", {"tim_pelaksana"}, "", {{"type", "ApproveMasterplan"}}, "forbidden"},
      {"u-admin2", {"admin"}, "", {{"type", "ApproveMasterplan"}}, "forbidden"},
      // The allowed side of the same rows (the status moves themselves are the model's
      // tests: they depend on rule 6, the submission gate).
      {"u-rev", {"reviewer"}, "", {{"type", "ResolveComment"}, {"commentId", "c-opd"}}, "ack"},
      {"u-dewan", {"dewan"}, "", comment_as("c-d"), "ack"},
  };
  int n = 0;
  for (auto& c : cases) {
    auto client = join(c.user, c.roles, c.opd);
    const auto before = head();
    const std::string id = "role-" + std::to_string(++n);
    auto answer = submit(*client, id, c.command);
    EXPECT_EQ(code_of(answer), c.expected)
        << c.user << " " << json::serialize(c.command) << " → "
        << (answer ? json::serialize(*answer) : "none");
    if (c.expected != "ack") {
      EXPECT_EQ(head(), before) << c.user;
    }
  }
}

TEST_F(Commands, InvalidCommandsAreRejectedAndWriteNothing) {
  start();
  auto a = join("u-a");
  seed(*a);
  const auto before = head();
  auto unknown = submit(*a, "bad-1", {{"type", "Teleport"}});
  EXPECT_NE(code_of(unknown), "ack");
  auto schema = submit(*a, "bad-2", {{"type", "SetVision"}, {"text", 42}});
  EXPECT_NE(code_of(schema), "ack");
  auto rule = submit(*a, "bad-3",
                     {{"type", "SetProgramYears"}, {"programId", "p1"}, {"startYear", 2030},
                      {"endYear", 2031}});
  EXPECT_NE(code_of(rule), "ack");
  ASSERT_TRUE(rule);
  EXPECT_FALSE(rule->at("violations").as_array().empty());
  EXPECT_EQ(head(), before);
}

TEST_F(Commands, FarBehindSubscriberGetsASnapshotThenEvents) {
  auto options = default_options();
  options.snapshot_threshold = 3;
  start(options);
  auto a = join("u-a");
  const auto v = seed(*a);
  auto b = join("u-b");
  b->send(json::object{{"type", "subscribe"}, {"masterplan", "padang"}, {"fromVersion", 0}});
  auto snapshot = b->next();
  ASSERT_TRUE(snapshot);
  ASSERT_EQ(snapshot->at("type").as_string(), "snapshot");
  EXPECT_EQ(snapshot->at("version").as_int64(), v);
  EXPECT_EQ(snapshot->at("state").at("cityName").as_string(), "Padang");
  auto rest = b->next_of_type("events");
  ASSERT_TRUE(rest);
  EXPECT_TRUE(rest->at("events").as_array().empty());
  ASSERT_EQ(code_of(submit(*a, "after", {{"type", "SetVision"}, {"text", "x"}})), "ack");
  expect_exactly(collect_versions(*b, "padang", v + 1), v + 1, v + 1);
}

TEST_F(Commands, HttpStateNowAndInThePast) {
  start();
  auto a = join("u-a");
  const auto v = seed(*a);
  const auto t = token("u-v", {"viewer"});
  auto now = http_get(port_, "/api/masterplans/padang", t);
  ASSERT_EQ(now.status, 200u) << now.body;
  auto state = json::parse(now.body).as_object();
  EXPECT_EQ(state.at("version").as_int64(), v);
  EXPECT_EQ(state.at("state").at("programs").as_array().size(), 2u);
  // The current state's text is kept per version for the next reader: the same version
  // reads the same, and an acked edit is in the very next read.
  EXPECT_EQ(http_get(port_, "/api/masterplans/padang", t).body, now.body);
  ASSERT_EQ(code_of(submit(*a, "title-after-read", update_title("p1", "Pusat Komando"))), "ack");
  auto edited = json::parse(http_get(port_, "/api/masterplans/padang", t).body).as_object();
  EXPECT_EQ(edited.at("version").as_int64(), v + 1);
  bool retitled = false;
  for (const auto& program : edited.at("state").at("programs").as_array()) {
    retitled = retitled || program.at("title").as_string() == "Pusat Komando";
  }
  EXPECT_TRUE(retitled) << json::serialize(edited);
  auto past = http_get(port_, "/api/masterplans/padang?at=1", t);
  ASSERT_EQ(past.status, 200u) << past.body;
  auto past_state = json::parse(past.body).as_object();
  EXPECT_EQ(past_state.at("version").as_int64(), 1);
  EXPECT_TRUE(past_state.at("state").at("programs").as_array().empty());
  auto before_all = http_get(port_, "/api/masterplans/padang?atTime=2000-01-01T00:00:00Z", t);
  EXPECT_EQ(before_all.status, 404u);
  EXPECT_EQ(http_get(port_, "/api/masterplans/nowhere", t).status, 404u);

#if REMBUK_TEST_HAVE_PROJECTIONS
  // The views of kernel/projections, now and in the past.
  for (const char* view : {"roadmap", "opds", "budget", "coverage", "activity"}) {
    auto answer = http_get(port_, std::string("/api/masterplans/padang/") + view, t);
    EXPECT_EQ(answer.status, 200u) << view << ": " << answer.body;
    if (answer.status == 200u) {
      EXPECT_EQ(json::parse(answer.body).at("view").as_string(), view);
    }
  }
  auto history = http_get(port_, "/api/masterplans/padang/history?entity=program/p1", t);
  EXPECT_EQ(history.status, 200u) << history.body;
  auto old_roadmap = http_get(port_, "/api/masterplans/padang/roadmap?at=1", t);
  EXPECT_EQ(old_roadmap.status, 200u) << old_roadmap.body;
  EXPECT_EQ(http_get(port_, "/api/masterplans/padang/history", t).status, 400u);
#endif
}

TEST_F(Commands, SigtermDuringLoadLosesNoAcknowledgedEdit) {
  auto options = default_options();
  options.commands_per_second = 1e6;
  start(options);
  // The real signal path: SIGTERM to this process, caught by the server's signal_set.
  server_->handle_signals();
  auto admin = join("u-admin", {"admin"});
  seed(*admin);
  admin->close();

  constexpr int kClients = 6;
  std::mutex mutex;
  std::map<std::string, std::int64_t> acked;  // commandId → version
  std::atomic<int> total_acks{0};
  std::atomic<int> closed_1001{0};
  std::atomic<int> joined{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      auto c = join("u-" + std::to_string(i));
      if (!c) return;
      ++joined;
      for (int n = 0;; ++n) {
        const std::string id = "load-" + std::to_string(i) + "-" + std::to_string(n);
        c->send(submit_message(id, "padang",
                               {{"type", "SetProgramBudget"}, {"programId", "p2"},
                                {"year", 2019 + (n % 5)}, {"source", "APBD"},
                                {"amount", 1000 * (i * 100000 + n)}}));
        auto answer = outcome(*c, id, milliseconds(3000));
        if (!answer) break;
        if (answer->at("type").as_string() == "ack") {
          std::lock_guard lock(mutex);
          acked[id] = answer->at("version").as_int64();
          ++total_acks;
        }
      }
      auto closed = c->wait_closed(milliseconds(10000));
      if (closed && closed->code == 1001) ++closed_1001;
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  // Every client is in before the signal (on a loaded machine the first ones alone can reach
  // 200 acks before the last thread connects, which would then meet a closed listener).
  while ((joined < kClients || total_acks < 200) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));  // pacing the check, not the server
  }
  ASSERT_EQ(joined.load(), kClients);
  ASSERT_GE(total_acks.load(), 200);
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  server_->wait();
  for (auto& t : threads) t.join();
  EXPECT_EQ(closed_1001.load(), kClients);

  // Every acknowledged edit is in the log, at the version its ack named.
  for (const auto& [id, version] : acked) {
    auto found = log_->find_command(id);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value()) << id << " was acked but is not in the log";
    EXPECT_EQ(static_cast<std::int64_t>((*found)->last_revision), version) << id;
  }
  EXPECT_TRUE(log_->verify().ok);
}

}  // namespace
}  // namespace rembuk::testing
