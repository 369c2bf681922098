// Hot reload during live editing, end to end: a real server on loopback (ServerFixture:
// LMDB log, CommandEngine, Beast WebSockets) with the real plugin host and fixture plugin
// v1; three clients edit over WebSocket without pause while the library is swapped for v2
// and `request_reload` (what `rembuk plugin reload --data DIR` runs) signals this process
// with SIGHUP. Then: no connection dropped, every acked edit is in the log exactly once, and
// every command decided after the reload meets v2's rule.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "rembuk/model/dimensions.hpp"
#include "rembuk/plugins/hangup_reload.hpp"
#include "rembuk/plugins/plugin_audit.hpp"
#include "rembuk/plugins/plugin_host.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

namespace json = boost::json;
using rembuk::testing::WsTestClient;
using std::chrono::milliseconds;
using TempDir = rembuk::plugins::testing::TempDir;

class HotReloadOverWebSocket : public rembuk::testing::ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    HostOptions options;
    for (const auto& d : model::national_dimensions()) options.national_pillar_ids.push_back(d.id);
    options.budget = std::chrono::seconds(5);  // rules are timed elsewhere; sanitizers are slow
    options.load.staging_dir = dir_ / "plugin-staging";
    host_ = std::make_unique<PluginHost>(options);
    plugins_.put(FIXTURE_V1_PATH, "versioned.so");
    ASSERT_EQ(host_->load_directory(plugins_.path()).loaded.size(), 1u);
    engine_ = std::make_unique<engine::CommandEngine>(*log_, host_.get());
    auto reload = HangupReload::start(*host_, dir_);
    ASSERT_TRUE(reload.ok()) << reload.error();
    reload_ = std::move(reload).value();
  }
  void TearDown() override {
    server_.reset();
    engine_.reset();
    reload_.reset();
    ServerFixture::TearDown();
  }

  static json::object submit_message(const std::string& id, json::object command) {
    return {{"type", "submit"}, {"commandId", id}, {"masterplan", "padang"},
            {"command", std::move(command)}};
  }
  static std::optional<json::object> outcome(WsTestClient& c, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = c.next(milliseconds(500));
      if (!m) {
        if (c.closed()) return std::nullopt;
        continue;
      }
      const auto type = m->at("type").as_string();
      if ((type == "ack" || type == "reject") && m->at("commandId").as_string() == id) return m;
    }
    return std::nullopt;
  }
  static json::object add_program(const std::string& id, const std::string& title) {
    return {{"type", "AddProgram"}, {"programId", id}, {"title", title},
            {"dimension", "governance"}, {"element", "public_service"}, {"leadOpd", "kominfo"},
            {"startYear", 2019}, {"endYear", 2021}};
  }
  // "ack", or a reject's violation codes (its code when it has none).
  static std::string verdict(const std::optional<json::object>& answer) {
    if (!answer) return "<no answer>";
    if (answer->at("type").as_string() == "ack") return "ack";
    std::string codes;
    for (const auto& v : answer->at("violations").as_array()) {
      codes += (codes.empty() ? "" : " ") + std::string(v.at("code").as_string());
    }
    return codes.empty() ? std::string(answer->at("code").as_string()) : codes;
  }

  TempDir plugins_;
  std::unique_ptr<PluginHost> host_;
  std::unique_ptr<HangupReload> reload_;
};

TEST_F(HotReloadOverWebSocket, NoConnectionDroppedNoEditLostNewRuleFromTheReloadOn) {
  if (!have_engine()) GTEST_SKIP() << "built without kernel/engine";
  // The editors submit in closed loops as fast as acks come back: on a fast engine that is
  // more than the default 200 submits/s per connection. Rate limiting is tested elsewhere.
  auto options = default_options();
  options.commands_per_second = 1e6;
  start(options);
  auto admin = join("u-admin");
  ASSERT_NE(admin, nullptr);
  int seeded = 0;
  auto seed = [&](json::object command) {
    const std::string id = "seed-" + std::to_string(++seeded);
    admin->send(submit_message(id, std::move(command)));
    auto answer = outcome(*admin, id);
    ASSERT_EQ(verdict(answer), "ack") << (answer ? json::serialize(*answer) : "");
  };
  seed({{"type", "CreateMasterplan"}, {"cityName", "Kota Padang"}, {"regionCode", "13.71"},
        {"startYear", 2019}, {"endYear", 2028}});
  seed({{"type", "RegisterOpd"}, {"opdId", "kominfo"}, {"name", "Dinas Kominfo"}});
  seed({{"type", "EnablePlugin"}, {"plugin", "fixture_versioned"}});
  // v1's rule answers a "version" title with fixture_versioned.version_1.
  admin->send(submit_message("probe-v1", add_program("probe1", "version")));
  ASSERT_EQ(verdict(outcome(*admin, "probe-v1")), "fixture_versioned.version_1");

  constexpr int kEditors = 3;
  std::vector<std::unique_ptr<WsTestClient>> editors;
  for (int i = 0; i < kEditors; ++i) {
    editors.push_back(join("u-editor-" + std::to_string(i)));
    ASSERT_NE(editors.back(), nullptr);
  }

  std::atomic<bool> reload_started{false};
  std::atomic<bool> reloaded{false};
  std::atomic<bool> stop{false};
  struct Tally {
    std::vector<std::int64_t> acked_versions;
    std::vector<std::int64_t> acked_before_reload;  // acked before the reload began: v1's
    std::vector<std::int64_t> sent_after_reload;    // sent after it returned: v2's
    int after_reload_probes = 0;
    std::vector<std::string> wrong;  // anything that is not the expected verdict
  };
  std::vector<Tally> tallies(kEditors);
  std::vector<std::thread> threads;
  for (int i = 0; i < kEditors; ++i) {
    threads.emplace_back([&, i] {
      auto& c = *editors[i];
      auto& tally = tallies[i];
      for (int n = 0; !stop.load(); ++n) {
        // Alternate an edit every version accepts with a probe of the versioned rule.
        const bool probe = n % 2 == 1;
        const bool after = reloaded.load();  // read before sending: decided after the reload
        const std::string id = "e" + std::to_string(i) + "-" + std::to_string(n);
        const std::string program = "p" + std::to_string(i) + "-" + std::to_string(n);
        c.send(submit_message(id, add_program(program, probe ? "version" : "Program " + id)));
        const auto answer = outcome(c, id);
        const std::string got = verdict(answer);
        if (!probe) {
          if (got != "ack") tally.wrong.push_back(id + ": " + got);
          else {
            const auto version = answer->at("version").as_int64();
            tally.acked_versions.push_back(version);
            if (!reload_started.load()) tally.acked_before_reload.push_back(version);
            if (after) tally.sent_after_reload.push_back(version);
          }
        } else if (after) {
          ++tally.after_reload_probes;
          if (got != "fixture_versioned.version_2") {
            tally.wrong.push_back(id + " after the reload: " + got);
          }
        } else if (got != "fixture_versioned.version_1" &&
                   got != "fixture_versioned.version_2") {
          tally.wrong.push_back(id + ": " + got);  // in flight during the swap: either version
        }
        if (!answer) return;
        if (after && tally.after_reload_probes >= 5) return;
      }
    });
  }

  std::this_thread::sleep_for(milliseconds(300));  // let the editors get going under v1
  reload_started = true;
  plugins_.put(FIXTURE_V2_PATH, "versioned.so");
  auto report = request_reload(dir_, std::chrono::seconds(20));
  ASSERT_TRUE(report.ok()) << report.error();
  reloaded = true;
  ASSERT_EQ(report->at("loaded").as_array().size(), 1u) << json::serialize(*report);
  EXPECT_EQ(report->at("loaded").as_array()[0].at("version").as_string(), "2.0.0");
  for (auto& t : threads) t.join();
  stop = true;

  std::set<std::int64_t> acked;
  for (int i = 0; i < kEditors; ++i) {
    EXPECT_TRUE(tallies[i].wrong.empty()) << "editor " << i << ": " << tallies[i].wrong.front();
    EXPECT_GE(tallies[i].after_reload_probes, 5) << "editor " << i;
    EXPECT_FALSE(editors[i]->closed()) << "editor " << i << " was disconnected";
    for (auto v : tallies[i].acked_versions) EXPECT_TRUE(acked.insert(v).second) << v;
  }
  EXPECT_FALSE(admin->closed());
  ASSERT_FALSE(acked.empty());

  // Every acked edit is in the log: the masterplan's events at those versions are the
  // ProgramAdded events of those edits.
  auto read = log_->read_stream("padang", 1, 100000);
  ASSERT_TRUE(read.ok()) << read.error().message;
  std::set<std::int64_t> added;
  for (const auto& e : *read) {
    if (e.type == "ProgramAdded") added.insert(static_cast<std::int64_t>(e.revision));
  }
  for (auto v : acked) EXPECT_TRUE(added.count(v) == 1) << "acked version " << v << " not in the log";
  // Rejected probes wrote nothing: one ProgramAdded per acked edit.
  EXPECT_EQ(added.size(), acked.size());

  // The audit (what `rembuk plugin audit` prints): the log records 1.0.0 for every edit
  // (EnablePlugin happened under v1), the plugin journal tells which build served each one.
  std::vector<LoggedEvent> logged;
  for (const auto& e : *read) logged.push_back({e.revision, e.type, e.time_us, e.payload});
  const auto audited = audit_events(logged, read_plugin_journal(dir_));
  std::map<std::int64_t, std::string> served_version;
  for (const auto& a : audited) {
    if (a.type != "ProgramAdded") continue;
    ASSERT_EQ(a.recorded.size(), 1u);
    EXPECT_EQ(a.recorded[0].version, "1.0.0");
    ASSERT_TRUE(a.served[0].has_value()) << "event " << a.revision << " not journaled";
    served_version[static_cast<std::int64_t>(a.revision)] = a.served[0]->version;
  }
  std::size_t before = 0, after = 0;
  for (const auto& t : tallies) {
    for (auto v : t.acked_before_reload) {
      EXPECT_EQ(served_version[v], "1.0.0") << "version " << v;
      ++before;
    }
    for (auto v : t.sent_after_reload) {
      EXPECT_EQ(served_version[v], "2.0.0") << "version " << v;
      ++after;
    }
  }
  EXPECT_GT(before, 0u);
  EXPECT_GT(after, 0u);
}

}  // namespace
}  // namespace rembuk::plugins
