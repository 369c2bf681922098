// ServerFixture: a real rembuk server on 127.0.0.1 port 0 over a real LMDB log in a temp
// folder (nosync), with the command engine when it is built, and functions to mint tokens,
// connect clients and append events directly to the log.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "rembuk/server/server.hpp"
#include "rembuk/server/token.hpp"
#include "rembuk/server/view_source.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#include "ws_test_client.hpp"

#if REMBUK_TEST_HAVE_ENGINE
#include "rembuk/engine/command_engine.hpp"
#endif

namespace rembuk::testing {

namespace json = boost::json;
using std::chrono::milliseconds;

class ServerFixture : public ::testing::Test {
 protected:
  static constexpr const char* kSecret = "test-secret-test-secret-test-secret!";

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rembuk-server-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    open_log();
  }

  void TearDown() override {
    server_.reset();
#if REMBUK_TEST_HAVE_ENGINE
    engine_.reset();
#endif
    log_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void open_log() {
    store::LmdbOptions lmdb;
    lmdb.path = dir_.string();
    lmdb.durability = store::Durability::nosync;
    auto opened = store::open_lmdb_event_log(lmdb);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    log_ = std::move(opened.value());
#if REMBUK_TEST_HAVE_ENGINE
    engine_ = std::make_unique<engine::CommandEngine>(*log_, nullptr);
#endif
  }

  static server::ServerOptions default_options() {
    server::ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.token_secret = kSecret;
    return o;
  }

  void start(server::ServerOptions options = default_options(),
             server::ViewSource* views = nullptr) {
    options.token_secret = kSecret;
    engine::CommandEngine* engine = nullptr;
#if REMBUK_TEST_HAVE_ENGINE
    engine = engine_.get();
#endif
    server_ = std::make_unique<server::Server>(options, *log_, engine, views);
    auto started = server_->start();
    ASSERT_TRUE(started.ok()) << started.error();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }

  static bool have_engine() { return REMBUK_TEST_HAVE_ENGINE != 0; }

  std::string token(const std::string& user, std::vector<std::string> roles,
                    const std::string& opd = {}, std::vector<std::string> masterplans = {},
                    std::int64_t ttl_s = 3600) const {
    server::Claims c;
    c.user = user;
    c.roles = std::move(roles);
    c.opd = opd;
    c.masterplans = std::move(masterplans);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    c.issued_at = now;
    c.expires_at = now + ttl_s;
    return server::issue_token(c, kSecret);
  }

  std::unique_ptr<WsTestClient> connect() {
    std::string error;
    auto client = WsTestClient::connect(port_, &error);
    EXPECT_NE(client, nullptr) << error;
    return client;
  }

  // Connects and says hello; fails the test unless welcomed.
  std::unique_ptr<WsTestClient> join(const std::string& user,
                                     std::vector<std::string> roles = {"tim_pelaksana"},
                                     const std::string& opd = {}) {
    auto client = connect();
    if (!client) return nullptr;
    auto welcome = client->request(hello(token(user, std::move(roles), opd)), "welcome");
    EXPECT_TRUE(welcome.has_value()) << "no welcome for " << user;
    return client;
  }

  // Appends `n` events to `stream` straight into the log (bypassing the engine).
  void append(const std::string& stream, int n, const std::string& type = "VisionSet") {
    for (int i = 0; i < n; ++i) {
      store::AppendRequest request;
      request.stream = stream;
      request.events.push_back(
          {type, 1, "{\"text\":\"t" + std::to_string(appended_++) + "\"}"});
      request.actor = "test";
      auto result = log_->append(std::move(request));
      ASSERT_TRUE(result.ok()) << result.error().message;
    }
  }

  store::Position head() {
    auto h = log_->head();
    EXPECT_TRUE(h.ok());
    return h.ok() ? h->position : 0;
  }

  // Collects `events` messages of `masterplan` until version `until`; returns the versions
  // seen, in order (so a test can check each arrives once, without gaps).
  static std::vector<std::int64_t> collect_versions(WsTestClient& client,
                                                    const std::string& masterplan,
                                                    std::int64_t until,
                                                    milliseconds timeout = milliseconds(10000)) {
    std::vector<std::int64_t> versions;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::int64_t last = versions.empty() ? 0 : versions.back();
    while (last < until && std::chrono::steady_clock::now() < deadline) {
      auto m = client.next_of_type("events", std::chrono::duration_cast<milliseconds>(
                                                 deadline - std::chrono::steady_clock::now()));
      if (!m) break;
      if (m->at("masterplan").as_string() != masterplan) continue;
      for (const auto& e : m->at("events").as_array()) {
        versions.push_back(e.at("version").as_int64());
      }
      if (!versions.empty()) last = versions.back();
    }
    return versions;
  }

  static void expect_exactly(const std::vector<std::int64_t>& versions, std::int64_t from,
                             std::int64_t to) {
    ASSERT_EQ(versions.size(), static_cast<std::size_t>(to - from + 1))
        << "expected versions " << from << ".." << to;
    for (std::size_t i = 0; i < versions.size(); ++i) {
      ASSERT_EQ(versions[i], from + static_cast<std::int64_t>(i)) << "at index " << i;
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::EventLog> log_;
#if REMBUK_TEST_HAVE_ENGINE
  std::unique_ptr<engine::CommandEngine> engine_;
#endif
  std::unique_ptr<server::Server> server_;
  std::uint16_t port_ = 0;
  int appended_ = 0;
};

}  // namespace rembuk::testing
