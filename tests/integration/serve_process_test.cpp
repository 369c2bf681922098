// The real `rembuk serve` executable as a child process: SIGTERM during edit load loses no
// acknowledged edit (exit code 0, every socket closed with 1001, every acked commandId in
// the reopened log), and the server's log never shows a token or the secret.
#include <sys/stat.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "rembuk/store/lmdb_event_log.hpp"
#include "serve_process.hpp"
#include "ws_test_client.hpp"

namespace rembuk::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rembuk-serve-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static json::object submit(const std::string& id, json::object command) {
    return {{"type", "submit"}, {"commandId", id}, {"masterplan", "padang"},
            {"command", std::move(command)}};
  }

  // The ack or reject for `id`, skipping everything else.
  static std::optional<json::object> outcome(WsTestClient& c, const std::string& id,
                                             milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = c.next(std::chrono::duration_cast<milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!m) return std::nullopt;
      const auto type = m->at("type").as_string();
      if ((type == "ack" || type == "reject") && m->contains("commandId") &&
          m->at("commandId").as_string() == id) {
        return m;
      }
    }
    return std::nullopt;
  }

  std::filesystem::path dir_;
};

TEST_F(Serve, SigtermDuringLoadLosesNoAcknowledgedEdit) {
  ServeProcess serve(REMBUK_BINARY, dir_);
  ASSERT_TRUE(serve.ok()) << serve.log_text();

  {
    auto admin = WsTestClient::connect(serve.port());
    ASSERT_TRUE(admin);
    ASSERT_TRUE(admin->request(hello(serve.admin_token()), "welcome"));
    int n = 0;
    for (json::object command :
         {json::object{{"type", "CreateMasterplan"}, {"cityName", "Padang"},
                       {"regionCode", "13.71"}, {"startYear", 2019}, {"endYear", 2023}},
          json::object{{"type", "RegisterOpd"}, {"opdId", "bappeda"}, {"name", "Bappeda"}},
          json::object{{"type", "AddProgram"}, {"programId", "p1"}, {"title", "Satu Data"},
                       {"dimension", "governance"}, {"element", "public_policy"},
                       {"leadOpd", "bappeda"}, {"startYear", 2019}, {"endYear", 2023}}}) {
      const std::string id = "seed-" + std::to_string(++n);
      admin->send(submit(id, std::move(command)));
      auto answer = outcome(*admin, id, milliseconds(10000));
      ASSERT_TRUE(answer && answer->at("type").as_string() == "ack")
          << (answer ? json::serialize(*answer) : "no answer");
    }
    admin->close();
  }

  constexpr int kClients = 6;
  std::mutex mutex;
  std::map<std::string, std::int64_t> acked;  // GUARDED_BY(mutex): commandId → version
  std::atomic<int> total_acks{0};
  std::atomic<int> closed_1001{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      auto c = WsTestClient::connect(serve.port());
      if (!c || !c->request(hello(serve.admin_token()), "welcome")) return;
      for (int n = 0;; ++n) {
        const std::string id = "load-" + std::to_string(i) + "-" + std::to_string(n);
        c->send(submit(id, {{"type", "SetProgramBudget"}, {"programId", "p1"},
                            {"year", 2019 + (n % 5)}, {"source", "APBD"},
                            {"amount", 1000 * (i * 100000 + n)}}));
        auto answer = outcome(*c, id, milliseconds(3000));
        if (!answer) break;  // the server closed (or refused) after SIGTERM
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
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (total_acks < 300 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));  // pacing the check, not the server
  }
  ASSERT_GE(total_acks.load(), 300);
  serve.signal(SIGTERM);
  const auto exit_code = serve.wait_exit(milliseconds(30000));
  for (auto& t : threads) t.join();
  ASSERT_TRUE(exit_code.has_value()) << "rembuk serve did not exit after SIGTERM";
  EXPECT_EQ(*exit_code, 0) << serve.log_text();
  EXPECT_EQ(closed_1001.load(), kClients);
  EXPECT_NE(serve.log_text().find("stopped"), std::string::npos) << serve.log_text();

  // Reopen the log the child wrote: every acknowledged edit is there, at its version.
  store::LmdbOptions lmdb;
  lmdb.path = dir_.string();
  auto log = store::open_lmdb_event_log(lmdb);
  ASSERT_TRUE(log.ok()) << log.error().message;
  for (const auto& [id, version] : acked) {
    auto found = (*log)->find_command(id);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value()) << id << " was acked but is not in the log";
    EXPECT_EQ(static_cast<std::int64_t>((*found)->last_revision), version) << id;
  }
  EXPECT_TRUE((*log)->verify().ok);
}

// Tokens and the secret never reach the server's log, whatever a client sends.
TEST_F(Serve, TokensAndTheSecretNeverAppearInTheLog) {
  ServeProcess serve(REMBUK_BINARY, dir_);
  ASSERT_TRUE(serve.ok()) << serve.log_text();
  const std::string good = serve.admin_token();
  const std::string forged = good.substr(0, good.rfind('.') + 1) + "AAAAforgedsignature";
  {
    auto c = WsTestClient::connect(serve.port());
    ASSERT_TRUE(c);
    auto refused = c->request(hello(forged), "error");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->at("code").as_string(), "invalid_token");
    // The error names what is wrong, never the token itself.
    EXPECT_EQ(json::serialize(*refused).find(forged), std::string::npos);
    ASSERT_TRUE(c->request(hello(good), "welcome"));
    auto again = c->request(hello(good), "error");
    ASSERT_TRUE(again);
    EXPECT_EQ(json::serialize(*again).find(good), std::string::npos);
  }
  EXPECT_EQ(http_get(serve.port(), "/api/masterplans", forged).status, 401u);
  EXPECT_EQ(http_get(serve.port(), "/api/masterplans", good).status, 200u);
  serve.signal(SIGTERM);
  ASSERT_EQ(serve.wait_exit(milliseconds(20000)), std::optional<int>(0));

  const std::string log = serve.log_text();
  EXPECT_FALSE(log.empty());
  EXPECT_EQ(log.find(good), std::string::npos) << "the token is in the log";
  EXPECT_EQ(log.find(forged), std::string::npos) << "a forged token is in the log";
  // The secret: kept in the data folder with mode 0600, never printed.
  bool found_secret = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.path().filename().string().find("secret") == std::string::npos) continue;
    found_secret = true;
    struct stat st {};
    ASSERT_EQ(::stat(entry.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << entry.path();
    std::ifstream in(entry.path(), std::ios::binary);
    std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(secret.empty());
    EXPECT_EQ(log.find(secret), std::string::npos) << "the secret is in the log";
    EXPECT_EQ(serve.stdout_text().find(secret), std::string::npos);
  }
  EXPECT_TRUE(found_secret) << "no secret file in " << dir_;
}

}  // namespace
}  // namespace rembuk::testing
