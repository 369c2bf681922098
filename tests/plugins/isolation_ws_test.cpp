// Isolation end to end: a real server on loopback (ServerFixture) whose host runs the faulty
// fixture plugin isolated in `rembuk plugin worker` processes. One masterplan enabled it and
// sends a command that segfaults its validator, then one that hangs it; a second masterplan
// keeps editing meanwhile. The faulty commands are rejected with plugin_error and
// plugin_timeout, nothing of them is written, the other masterplan's edits are all acked, no
// connection drops, and the plugin serves the next command with a new worker.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "rembuk/model/dimensions.hpp"
#include "rembuk/plugins/plugin_host.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

namespace json = boost::json;
using rembuk::testing::WsTestClient;
using std::chrono::milliseconds;
using TempDir = rembuk::plugins::testing::TempDir;

class IsolationOverWebSocket : public rembuk::testing::ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    HostOptions options;
    for (const auto& d : model::national_dimensions()) options.national_pillar_ids.push_back(d.id);
    options.budget = milliseconds(500);
    options.load.staging_dir = dir_ / "plugin-staging";
    options.isolated = {"fixture_faulty"};
    options.worker_command = {REMBUK_BINARY, "plugin", "worker"};
    host_ = std::make_unique<PluginHost>(options);
    plugins_.put(FIXTURE_FAULTY_PATH, "faulty.so");
    ASSERT_EQ(host_->load_directory(plugins_.path()).loaded.size(), 1u);
    engine_ = std::make_unique<engine::CommandEngine>(*log_, host_.get());
  }
  void TearDown() override {
    server_.reset();
    engine_.reset();
    ServerFixture::TearDown();
  }

  static std::optional<json::object> submit(WsTestClient& c, const std::string& masterplan,
                                            const std::string& id, json::object command) {
    c.send(json::object{{"type", "submit"}, {"commandId", id}, {"masterplan", masterplan},
                        {"command", std::move(command)}});
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
  static std::string code_of(const std::optional<json::object>& answer) {
    if (!answer) return "<no answer>";
    return answer->at("type").as_string() == "ack" ? "ack"
                                                    : std::string(answer->at("code").as_string());
  }
  static json::object add_program(const std::string& id, const std::string& title) {
    return {{"type", "AddProgram"}, {"programId", id}, {"title", title},
            {"dimension", "governance"}, {"element", "public_service"}, {"leadOpd", "kominfo"},
            {"startYear", 2019}, {"endYear", 2021}};
  }
  void seed(WsTestClient& c, const std::string& masterplan, bool enable) {
    int n = 0;
    auto ok = [&](json::object command) {
      const auto answer = submit(c, masterplan, masterplan + "-seed-" + std::to_string(++n),
                                 std::move(command));
      ASSERT_EQ(code_of(answer), "ack") << (answer ? json::serialize(*answer) : "");
    };
    ok({{"type", "CreateMasterplan"}, {"cityName", "Kota Padang"}, {"regionCode", "13.71"},
        {"startYear", 2019}, {"endYear", 2028}});
    ok({{"type", "RegisterOpd"}, {"opdId", "kominfo"}, {"name", "Dinas Kominfo"}});
    if (enable) ok({{"type", "EnablePlugin"}, {"plugin", "fixture_faulty"}});
  }

  TempDir plugins_;
  std::unique_ptr<PluginHost> host_;
};

TEST_F(IsolationOverWebSocket, ACrashAndAHangCostOneCommandEachAndNothingElse) {
  if (!have_engine()) GTEST_SKIP() << "built without kernel/engine";
  auto options = default_options();
  options.commands_per_second = 1e6;  // the other editor submits as fast as it is answered
  start(options);
  auto faulty = join("u-faulty");
  auto other = join("u-other");
  ASSERT_NE(faulty, nullptr);
  ASSERT_NE(other, nullptr);
  seed(*faulty, "faulty", true);
  seed(*other, "other", false);

  std::atomic<bool> done{false};
  std::atomic<int> other_acks{0};
  std::vector<std::string> other_wrong;
  std::thread editing([&] {
    for (int n = 0; !done.load(); ++n) {
      const std::string id = "o-" + std::to_string(n);
      const auto answer = submit(*other, "other", id, add_program("po-" + std::to_string(n), id));
      if (code_of(answer) == "ack") {
        ++other_acks;
      } else {
        other_wrong.push_back(id + ": " + code_of(answer));
        return;
      }
    }
  });

  const auto crashed = submit(*faulty, "faulty", "f-segv", add_program("p-segv", "segv"));
  EXPECT_EQ(code_of(crashed), "plugin_error") << (crashed ? json::serialize(*crashed) : "");
  if (crashed) {
    EXPECT_NE(std::string(crashed->at("message").as_string()).find("crashed its worker process"),
              std::string::npos)
        << json::serialize(*crashed);
  }
  const auto hung = submit(*faulty, "faulty", "f-hang", add_program("p-hang", "hang"));
  EXPECT_EQ(code_of(hung), "plugin_timeout") << (hung ? json::serialize(*hung) : "");
  const auto fine = submit(*faulty, "faulty", "f-fine", add_program("p-fine", "Program baik"));
  EXPECT_EQ(code_of(fine), "ack") << (fine ? json::serialize(*fine) : "");
  const auto rejected = submit(*faulty, "faulty", "f-reject", add_program("p-rej", "reject"));
  ASSERT_TRUE(rejected.has_value());
  ASSERT_EQ(rejected->at("violations").as_array().size(), 1u) << json::serialize(*rejected);
  EXPECT_EQ(rejected->at("violations").as_array()[0].at("code").as_string(),
            "fixture_faulty.rejected");

  done = true;
  editing.join();
  EXPECT_TRUE(other_wrong.empty()) << other_wrong.front();
  EXPECT_GT(other_acks.load(), 0);
  EXPECT_FALSE(faulty->closed());
  EXPECT_FALSE(other->closed());
  EXPECT_EQ(host_->workers_started("fixture_faulty"), 3u);  // first, after the crash, after the hang

  // Nothing of the crashed or hung commands is in the log: the one program added is p-fine.
  auto events = log_->read_stream("faulty", 1, 1000);
  ASSERT_TRUE(events.ok());
  int programs = 0;
  for (const auto& e : *events) {
    if (e.type == "ProgramAdded") {
      ++programs;
      EXPECT_NE(e.payload.find("p-fine"), std::string::npos) << e.payload;
    }
  }
  EXPECT_EQ(programs, 1);
}

}  // namespace
}  // namespace rembuk::plugins
