// Three `rembuk serve --store postgres://…` processes on loopback sharing one PostgreSQL:
// clients on different nodes see the same edits in the same order; two nodes deciding for
// one masterplan at once never both win; SIGKILL of a node under load loses no acknowledged
// edit and its clients resume on another node; `rembuk verify --store` passes afterwards.
// People live in that database too: an account made through one node signs in on another,
// and `rembuk user disable --store` closes its connections on every node.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pg_server.hpp"
#include "rembuk/server/token.hpp"
#include "rembuk/store/postgres_event_log.hpp"
#include "ws_test_client.hpp"

namespace rembuk::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

// Runs `rembuk ARGS…` to completion; its stdout, or nullopt when it failed.
std::optional<std::string> run_cli(const std::string& args) {
  const std::string command = std::string(REMBUK_BINARY) + " " + args + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  if (::pclose(pipe) != 0) return std::nullopt;
  return out;
}

std::string field(const HttpAnswer& a, const char* key) {
  boost::system::error_code ec;
  auto v = json::parse(a.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains(key)) return {};
  const auto& f = v.as_object().at(key);
  return f.is_string() ? std::string(f.as_string()) : std::string();
}

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// One `rembuk serve` child process.
class Node {
 public:
  Node(const std::string& store, const std::string& data) : port_(free_port()) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string listen = "127.0.0.1:" + std::to_string(port_);
      if (std::freopen("/dev/null", "w", stdout) == nullptr) ::_exit(126);
      ::execl(REMBUK_BINARY, REMBUK_BINARY, "serve", "--store", store.c_str(), "--data",
              data.c_str(), "--listen", listen.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Node() { stop(SIGTERM); }
  std::uint16_t port() const { return port_; }
  void stop(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  std::uint16_t port_;
  pid_t pid_ = -1;
};

class MultiNode : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& server = PgServer::instance();
    if (!server.available()) {
      if (server.missing()) GTEST_SKIP() << server.why_not();
      FAIL() << server.why_not();
    }
    // A database of its own, so `--store` can use the default schema.
    const std::string db = "multi_node_" + std::to_string(::getpid());
    PGconn* admin = PQconnectdb(server.conninfo().c_str());
    ASSERT_EQ(PQstatus(admin), CONNECTION_OK) << PQerrorMessage(admin);
    PQclear(PQexec(admin, ("DROP DATABASE IF EXISTS " + db).c_str()));
    PGresult* created = PQexec(admin, ("CREATE DATABASE " + db).c_str());
    ASSERT_EQ(PQresultStatus(created), PGRES_COMMAND_OK) << PQerrorMessage(admin);
    PQclear(created);
    PQfinish(admin);
    store_ = server.conninfo().substr(0, server.conninfo().rfind('/') + 1) + db;
    data_ = (std::filesystem::temp_directory_path() / db).string();
    // Every node reads the same token secret: a token from one is valid on all.
    auto secret = server::load_or_create_secret(data_);
    ASSERT_TRUE(secret.ok());
    secret_ = *secret;
    // All three start at once on one data folder: the first to create the audit signing key
    // wins and the others read its complete file (kernel/common's create_private_file).
    for (int i = 0; i < 3; ++i) nodes_.push_back(std::make_unique<Node>(store_, data_));
  }
  void TearDown() override {
    nodes_.clear();
    std::error_code ec;
    std::filesystem::remove_all(data_, ec);
  }

  std::string token() const {
    server::Claims c;
    c.user = "walikota";
    c.roles = {"admin"};
    c.issued_at = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    c.expires_at = c.issued_at + 3600;
    return server::issue_token(c, secret_);
  }

  // Connects to node i (waiting for it to listen) and says hello.
  std::unique_ptr<WsTestClient> join(std::size_t i) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until) {
      if (auto c = WsTestClient::connect(nodes_[i]->port())) {
        if (c->request(hello(token()), "welcome")) return c;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    ADD_FAILURE() << "node " << i << " never welcomed";
    return nullptr;
  }

  static json::object submit(const std::string& id, json::object command,
                             std::optional<std::int64_t> base_version = std::nullopt) {
    json::object m{{"type", "submit"}, {"commandId", id}, {"masterplan", "padang"},
                   {"command", std::move(command)}};
    if (base_version) m["baseVersion"] = *base_version;
    return m;
  }
  static json::object vision(const std::string& text) {
    return {{"type", "SetVision"}, {"text", text}};
  }
  static json::object subscribe(std::int64_t from_version) {
    return {{"type", "subscribe"}, {"masterplan", "padang"}, {"fromVersion", from_version}};
  }

  // What one client has seen of padang: every event ("version:commandId", in arrival order),
  // the last version, and the answers to its commands ("ack", "ack duplicate" or
  // "reject <code>: <message>").
  struct View {
    std::vector<std::string> events;
    std::int64_t version = 0;
    std::map<std::string, std::string> answers;
    std::map<std::string, std::int64_t> acked_at;  // command id → its version
    bool gap = false;  // an event that did not follow the one before it
  };
  static void absorb(View& view, const json::object& m) {
    const auto type = m.at("type").as_string();
    if (type == "events") {
      for (const auto& e : m.at("events").as_array()) {
        const auto version = e.at("version").as_int64();
        if (view.version != 0 && version != view.version + 1) view.gap = true;
        view.version = version;
        view.events.push_back(std::to_string(version) + ":" +
                              std::string(e.at("commandId").as_string()));
      }
    } else if (type == "ack") {
      const std::string id(m.at("commandId").as_string());
      const auto duplicate = m.if_contains("duplicate");
      view.answers[id] =
          duplicate && duplicate->is_bool() && duplicate->as_bool() ? "ack duplicate" : "ack";
      view.acked_at[id] = m.at("version").as_int64();
    } else if (type == "reject") {
      view.answers[std::string(m.at("commandId").as_string())] =
          "reject " + std::string(m.at("code").as_string()) + ": " +
          std::string(m.at("message").as_string());
    }
  }
  // Reads messages into `view` until `done(view)` holds; false when the connection closed or
  // nothing arrived for 15 s.
  template <typename Done>
  static bool pump(WsTestClient& c, View& view, Done done) {
    while (!done(view)) {
      auto m = c.next(milliseconds(15000));
      if (!m) return false;
      absorb(view, *m);
    }
    return true;
  }
  static bool answered(WsTestClient& c, View& view, const std::string& id) {
    return pump(c, view, [&](const View& v) { return v.answers.count(id) != 0; });
  }
  static bool seen_version(WsTestClient& c, View& view, std::int64_t version) {
    return pump(c, view, [&](const View& v) { return v.version >= version; });
  }

  // Submits SetVision `id` and returns its answer; nullopt when the connection died first.
  static std::optional<std::string> edit(WsTestClient& c, View& view, const std::string& id) {
    view.answers.erase(id);
    c.send(submit(id, vision(id)));
    if (!answered(c, view, id)) return std::nullopt;
    return view.answers[id];
  }

  // Three clients, one per node, each editing padang one command at a time (as people do:
  // the next edit after the ack), so the nodes race for the same stream all along. Checks
  // that every edit is acknowledged, in submit order, is in the log exactly once, and that
  // every client sees the same edits in the same order without a gap.
  void three_editors(int per_client) {
    std::vector<std::unique_ptr<WsTestClient>> clients;
    for (std::size_t i = 0; i < 3; ++i) clients.push_back(join(i));
    ASSERT_TRUE(clients[0] && clients[1] && clients[2]);
    create(*clients[0]);
    std::vector<View> views(3);
    for (std::size_t i = 0; i < 3; ++i) {
      clients[i]->send(subscribe(0));
      EXPECT_TRUE(seen_version(*clients[i], views[i], 1));
    }
    auto id_of = [](std::size_t client, int n) {
      return std::string(1, static_cast<char>('a' + client)) + "-" + std::to_string(n);
    };
    std::vector<std::thread> editors;
    for (std::size_t i = 0; i < 3; ++i) {
      editors.emplace_back([&, i] {
        for (int n = 0; n < per_client; ++n) {
          const auto answer = edit(*clients[i], views[i], id_of(i, n));
          EXPECT_EQ(answer.value_or("no answer"), "ack") << id_of(i, n);
          if (!answer) return;
        }
      });
    }
    for (auto& t : editors) t.join();
    const std::int64_t last = 1 + 3 * per_client;
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_TRUE(seen_version(*clients[i], views[i], last)) << "client " << i;
      std::int64_t previous = 0;
      for (int n = 0; n < per_client; ++n) {
        EXPECT_GT(views[i].acked_at[id_of(i, n)], previous) << id_of(i, n) << ": in submit order";
        previous = views[i].acked_at[id_of(i, n)];
      }
      EXPECT_FALSE(views[i].gap);
    }
    EXPECT_EQ(views[0].events.size(), static_cast<std::size_t>(last)) << "every edit, once";
    EXPECT_EQ(views[0].events, views[1].events);
    EXPECT_EQ(views[0].events, views[2].events);
    bool contiguous = false;
    const auto ids = stored_ids(&contiguous);
    EXPECT_TRUE(contiguous);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(last));
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size())
        << "no command committed twice";
    EXPECT_EQ(verify(), 0);
  }

  // Creates padang through `c` (version 1).
  static void create(WsTestClient& c) {
    View view;
    c.send(submit("create", {{"type", "CreateMasterplan"}, {"cityName", "Padang"},
                             {"regionCode", "13.71"}, {"startYear", 2019}, {"endYear", 2023}}));
    ASSERT_TRUE(answered(c, view, "create"));
    ASSERT_EQ(view.answers["create"], "ack");
  }

  // The command ids of padang in the shared log, in version order; `contiguous` says whether
  // the versions run 1, 2, 3… without a gap.
  std::vector<std::string> stored_ids(bool* contiguous) const {
    store::PostgresOptions options;
    options.conninfo = store_;
    auto log = store::open_postgres_event_log(options);
    std::vector<std::string> ids;
    if (!log) {
      ADD_FAILURE() << log.error().message;
      return ids;
    }
    auto events = (*log)->read_stream("padang", 0, 1000000);
    if (!events) {
      ADD_FAILURE() << events.error().message;
      return ids;
    }
    *contiguous = true;
    store::Revision expected = 1;
    for (const auto& e : *events) {
      if (e.revision != expected++) *contiguous = false;
      ids.push_back(e.command_id);
    }
    (*log)->close();
    return ids;
  }

  int verify() const {
    const std::string command =
        std::string(REMBUK_BINARY) + " verify --store '" + store_ + "' >/dev/null";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string store_, data_, secret_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

// Three people on three nodes editing one masterplan, each waiting for their ack: no edit is
// rejected because another node wrote first (the losing node catches up and decides again).
TEST_F(MultiNode, EveryNodeSeesEveryEditInOneOrder) { three_editors(15); }

// Two authors on two nodes, both on the version they see, edit the same field at once: one
// wins, the other gets `conflict` (docs/concurrency.md), whichever node decided first. And
// straight on the store: two nodes appending at the same expected revision, one wins.
TEST_F(MultiNode, AConflictAcrossNodesIsDetected) {
  auto a = join(0);
  auto b = join(1);
  ASSERT_TRUE(a && b);
  create(*a);
  View va, vb;
  a->send(subscribe(0));
  b->send(subscribe(0));
  std::int64_t version = 1;
  for (int round = 0; round < 8; ++round) {
    ASSERT_TRUE(seen_version(*a, va, version));
    ASSERT_TRUE(seen_version(*b, vb, version));
    const std::string ia = "ra-" + std::to_string(round);
    const std::string ib = "rb-" + std::to_string(round);
    a->send(submit(ia, vision(ia), version));
    b->send(submit(ib, vision(ib), version));
    ASSERT_TRUE(answered(*a, va, ia));
    ASSERT_TRUE(answered(*b, vb, ib));
    const std::set<std::string> got{va.answers[ia].substr(0, 15), vb.answers[ib].substr(0, 15)};
    EXPECT_EQ(got, (std::set<std::string>{"ack", "reject conflict"}))
        << "round " << round << ": " << va.answers[ia] << " / " << vb.answers[ib];
    ++version;
  }

  store::PostgresOptions options;
  options.conninfo = store_;
  auto x = store::open_postgres_event_log(options);
  auto y = store::open_postgres_event_log(options);
  ASSERT_TRUE(x.ok() && y.ok());
  for (int round = 0; round < 20; ++round) {
    const auto info = (*x)->stream_info("race");
    ASSERT_TRUE(info.ok());
    const store::Revision at = *info ? (**info).revision : 0;
    store::AppendRequest r;
    r.stream = "race";
    r.expected = store::ExpectedRevision::exact(at);
    r.events = {store::EventData{"Raced", 1, "{}"}};
    store::StoreResult<store::AppendResult> results[2] = {rembuk::fail(store::Error{}),
                                                          rembuk::fail(store::Error{})};
    std::thread tx([&] { results[0] = (*x)->append(r); });
    std::thread ty([&] { results[1] = (*y)->append(r); });
    tx.join();
    ty.join();
    ASSERT_NE(results[0].ok(), results[1].ok()) << "exactly one of two nodes wins";
    const auto& loser = results[0].ok() ? results[1] : results[0];
    EXPECT_EQ(loser.error().code, store::ErrorCode::wrong_expected_revision);
    EXPECT_EQ(loser.error().actual_revision, at + 1);
  }
  (*x)->close();
  (*y)->close();
  EXPECT_EQ(verify(), 0);
}

// Three clients, one per node, each sending 15 edits at once without waiting: each node has
// a pipeline of appends in flight for the same stream and loses races over and over. What
// must hold: every edit acknowledged (the engine decides a loser again until it lands), one
// order for everybody, no gap, every edit exactly once in the log.
TEST_F(MultiNode, ABurstFromThreeNodesKeepsOneOrder) {
  std::vector<std::unique_ptr<WsTestClient>> clients;
  for (std::size_t i = 0; i < 3; ++i) clients.push_back(join(i));
  ASSERT_TRUE(clients[0] && clients[1] && clients[2]);
  create(*clients[0]);
  std::vector<View> views(3);
  for (std::size_t i = 0; i < 3; ++i) {
    clients[i]->send(subscribe(0));
    ASSERT_TRUE(seen_version(*clients[i], views[i], 1));
  }
  constexpr std::size_t per_client = 15;
  for (std::size_t n = 0; n < per_client; ++n) {
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string id = std::string(1, static_cast<char>('a' + i)) + "-" + std::to_string(n);
      clients[i]->send(submit(id, vision(id)));
    }
  }
  std::set<std::string> acked;
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(pump(*clients[i], views[i],
                     [&](const View& v) { return v.answers.size() == per_client; }));
    for (const auto& [id, answer] : views[i].answers) {
      EXPECT_EQ(answer, "ack") << id;
      if (answer == "ack") acked.insert(id);
    }
  }
  EXPECT_EQ(acked.size(), 3 * per_client);
  const auto last = static_cast<std::int64_t>(1 + acked.size());
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(seen_version(*clients[i], views[i], last));
    EXPECT_FALSE(views[i].gap);
    EXPECT_TRUE(clients[i]->quiet_for(milliseconds(300))) << "nothing after the last edit";
  }
  EXPECT_EQ(views[0].events, views[1].events);
  EXPECT_EQ(views[0].events, views[2].events);
  bool contiguous = false;
  const auto ids = stored_ids(&contiguous);
  EXPECT_TRUE(contiguous);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  std::set<std::string> edits(ids.begin() + 1, ids.end());
  EXPECT_EQ(edits, acked) << "the log holds exactly the acknowledged edits";
  EXPECT_EQ(verify(), 0);
}

// Two writers on node 2 edit until node 2 is SIGKILLed under them. Each reconnects to another
// node, resubscribes from the last version it saw (and gets the next one, no gap), retries its
// unanswered command with the same id (acknowledged, at most once in the log), and goes on.
// Every acknowledged edit is in the log; `rembuk verify --store` passes.
TEST_F(MultiNode, KillingANodeUnderLoadLosesNoAcknowledgedEdit) {
  auto first = join(0);
  ASSERT_TRUE(first);
  create(*first);

  std::set<std::string> acked;
  std::mutex acked_mutex;
  std::atomic<int> acks_before_kill{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      auto client = join(2);
      ASSERT_TRUE(client);
      View view;
      client->send(subscribe(0));
      ASSERT_TRUE(seen_version(*client, view, 1));
      int i = 0;
      for (; i < 100000; ++i) {
        const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
        const auto answer = edit(*client, view, id);
        if (!answer) break;  // the node died: committed or not, unknown
        ASSERT_EQ(*answer, "ack") << id;
        std::lock_guard lock(acked_mutex);
        acked.insert(id);
        ++acks_before_kill;
      }
      EXPECT_TRUE(killed.load()) << "the writer stopped only because its node died";
      const std::int64_t last_version = view.version;
      auto again = join(static_cast<std::size_t>(w));
      ASSERT_TRUE(again);
      again->send(subscribe(last_version));
      auto caught_up = again->next_of_type("events", milliseconds(15000));
      ASSERT_TRUE(caught_up);
      const auto& events = caught_up->at("events").as_array();
      if (!events.empty()) {
        EXPECT_EQ(events[0].at("version").as_int64(), last_version + 1) << "resumed, no gap";
      }
      View resumed;
      resumed.version = last_version;
      absorb(resumed, *caught_up);
      for (int n = 0; n < 3; ++n, ++i) {  // the unanswered command again, then two new ones
        const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
        const auto answer = edit(*again, resumed, id);
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->rfind("ack", 0), 0u) << id << ": " << *answer;
        std::lock_guard lock(acked_mutex);
        acked.insert(id);
      }
      EXPECT_FALSE(resumed.gap);
    });
  }
  // Kill it in the middle of the edits, once both writers are well under way.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (acks_before_kill.load() < 40 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  killed = true;
  nodes_[2]->stop(SIGKILL);
  for (auto& t : writers) t.join();

  bool contiguous = false;
  const auto ids = stored_ids(&contiguous);
  EXPECT_TRUE(contiguous);
  const std::set<std::string> stored(ids.begin(), ids.end());
  EXPECT_EQ(stored.size(), ids.size()) << "no command committed twice";
  EXPECT_GE(acked.size(), 40u);
  for (const auto& id : acked) {
    EXPECT_TRUE(stored.count(id)) << id << " was acknowledged but is lost";
  }
  EXPECT_EQ(verify(), 0);
}

// One set of people for every node: an invitation made by `rembuk user invite --store` from
// a folder no node uses is accepted on node 0, its person signs in on node 1 and connects to
// node 2, and `rembuk user disable --store` closes that connection within a second (node 2
// polls the change counter in the database).
TEST_F(MultiNode, AccountsAreSharedAndTheCliDisablesOnEveryNode) {
  auto admin = join(0);
  ASSERT_TRUE(admin);
  create(*admin);
  const std::string elsewhere = data_ + "-cli";
  const std::string cli_store = "--store '" + store_ + "' --data '" + elsewhere + "'";
  const std::string base = "http://127.0.0.1:" + std::to_string(nodes_[0]->port()) + "/";
  auto printed = run_cli("user invite " + cli_store +
                         " --role viewer --masterplan padang --base-url " + base);
  ASSERT_TRUE(printed.has_value() && !printed->empty());
  const std::string link = printed->substr(0, printed->find('\n'));
  const std::string code = link.substr(link.find("#invite=") + 8);

  const std::string password = "Rahasia-Budi-2045";
  auto accepted = http_request(nodes_[0]->port(), "POST", "/api/invitations/" + code + "/accept",
                               json::serialize(json::object{{"displayName", "Budi Santoso"},
                                                            {"password", password}}));
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  const std::string user = field(accepted, "user");
  auto again = http_request(nodes_[1]->port(), "POST", "/api/invitations/" + code + "/accept",
                            json::serialize(json::object{{"displayName", "X"},
                                                         {"password", password}}));
  EXPECT_EQ(again.status, 410u) << "used on node 0, so used on node 1";
  auto login = http_request(nodes_[1]->port(), "POST", "/api/auth/login",
                            json::serialize(json::object{{"user", user}, {"password", password}}));
  ASSERT_EQ(login.status, 200u) << login.body;
  const std::string access = field(login, "accessToken");

  auto person = WsTestClient::connect(nodes_[2]->port());
  ASSERT_TRUE(person && person->request(hello(access), "welcome"));
  const auto listed = run_cli("user list --json " + cli_store);
  ASSERT_TRUE(listed.has_value());
  EXPECT_NE(listed->find("\"" + user + "\""), std::string::npos) << *listed;
  ASSERT_TRUE(run_cli("user disable " + cli_store + " --user " + user).has_value());
  const auto closed = person->wait_closed(milliseconds(1000));
  ASSERT_TRUE(closed.has_value()) << "the connection on node 2 outlived the disable by a second";
  EXPECT_EQ(closed->code, 1008);
  EXPECT_EQ(http_get(nodes_[0]->port(), "/api/masterplans", access).status, 401u);
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(elsewhere) / "accounts"))
      << "with --store the CLI keeps no accounts in its data folder";
  std::error_code ec;
  std::filesystem::remove_all(elsewhere, ec);
}

}  // namespace
}  // namespace rembuk::testing
