// Plugin isolation: a plugin that segfaults or never returns, in process and in a worker
// process (`rembuk plugin worker`, the real executable), through the real host.
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/json/parse.hpp>

#include "rembuk/plugins/plugin_host.hpp"
#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

using testing::TempDir;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

json::object add_program(const std::string& title, int sleep_ms = 300) {
  return json::parse(R"({"type":"AddProgram","programId":"p1","title":")" + title +
                     R"(","sleepMs":)" + std::to_string(sleep_ms) + "}")
      .as_object();
}

class Isolation : public ::testing::Test {
 protected:
  std::unique_ptr<PluginHost> make_host(bool isolated, std::chrono::milliseconds budget,
                                        bool follow_caller_cpu = true) {
    HostOptions options;
    options.workers_follow_caller_cpu = follow_caller_cpu;
    options.national_pillar_ids = {"governance", "economy"};
    options.budget = budget;
    options.load.staging_dir = dir_.path() / "staging";
    if (isolated) options.isolated = {"fixture_faulty"};
    options.worker_command = {REMBUK_BINARY, "plugin", "worker"};
    auto host = std::make_unique<PluginHost>(options);
    const auto report = host->load_directory(plugins_.path());
    EXPECT_EQ(report.refused.size(), 0u) << report.refused.at(0).line();
    return host;
  }
  model::ValidationOutcome validate(const PluginHost& host, const std::string& title,
                                    const std::string& plugin = "fixture_faulty",
                                    int sleep_ms = 300) {
    return host.validate(plugin, "AddProgram", add_program(title, sleep_ms), state_);
  }

  void SetUp() override {
    plugins_.put(FIXTURE_FAULTY_PATH, "faulty.so");
    plugins_.put(FIXTURE_GOOD_PATH, "good.so");
  }

  TempDir dir_;
  TempDir plugins_;
  json::object state_ = json::parse(R"({"masterplan":"padang-2019","cityName":"Kota Padang"})")
                            .as_object();
};

TEST_F(Isolation, AnIsolatedPluginAnswersLikeAnInProcessOne) {
  const auto host = make_host(true, std::chrono::seconds(5));
  EXPECT_TRUE(host->is_isolated("fixture_faulty"));
  EXPECT_FALSE(host->is_isolated("fixture_good"));
  const auto accepted = validate(*host, "Program baik");
  EXPECT_EQ(accepted.failure, model::ValidatorFailure::none) << accepted.failure_message;
  EXPECT_TRUE(accepted.violations.empty());
  const auto rejected = validate(*host, "reject");
  EXPECT_EQ(rejected.failure, model::ValidatorFailure::none) << rejected.failure_message;
  ASSERT_EQ(rejected.violations.size(), 1u);
  EXPECT_EQ(rejected.violations[0].code, "fixture_faulty.rejected");
  EXPECT_EQ(rejected.violations[0].path, "/command/title");
  EXPECT_EQ(rejected.violations[0].message_en, "Rejected");
  EXPECT_EQ(host->workers_started("fixture_faulty"), 1u);  // one worker served both calls
}

TEST_F(Isolation, ASegfaultInAWorkerIsPluginErrorForThatCommandOnly) {
  const auto host = make_host(true, std::chrono::seconds(5));
  const auto crashed = validate(*host, "segv");
  EXPECT_EQ(crashed.failure, model::ValidatorFailure::error);
  EXPECT_NE(crashed.failure_message.find("plugin fixture_faulty 1.0.0: validator fault crashed "
                                         "its worker process"),
            std::string::npos)
      << crashed.failure_message;
  // The next command gets a new worker and its verdict.
  const auto next = validate(*host, "reject");
  EXPECT_EQ(next.failure, model::ValidatorFailure::none) << next.failure_message;
  EXPECT_EQ(next.violations.size(), 1u);
  EXPECT_EQ(host->workers_started("fixture_faulty"), 2u);
  // This process, and the in-process plugin beside it, carry on.
  EXPECT_EQ(validate(*host, "accept", "fixture_good").failure, model::ValidatorFailure::none);
}

TEST_F(Isolation, AHangInAWorkerIsPluginTimeoutAndTheWorkerIsKilled) {
  const auto host = make_host(true, std::chrono::milliseconds(300));
  const auto start = Clock::now();
  const auto hung = validate(*host, "hang");
  const auto took = Clock::now() - start;
  EXPECT_EQ(hung.failure, model::ValidatorFailure::timeout);
  EXPECT_NE(hung.failure_message.find("did not answer within its 300.0 ms budget; its worker "
                                      "process was killed"),
            std::string::npos)
      << hung.failure_message;
  EXPECT_GE(took, std::chrono::milliseconds(300));
  EXPECT_LT(took, std::chrono::seconds(5));  // budget + grace (+ a loaded machine), not forever
  const auto next = validate(*host, "accept");
  EXPECT_EQ(next.failure, model::ValidatorFailure::none) << next.failure_message;
  EXPECT_EQ(host->workers_started("fixture_faulty"), 2u);
}

TEST_F(Isolation, OtherCommandsCarryOnWhileAWorkerHangs) {
  const auto host = make_host(true, std::chrono::milliseconds(3000));  // wide: sanitizers
  std::atomic<bool> hang_done{false};
  std::thread hanging([&] {
    EXPECT_EQ(validate(*host, "hang").failure, model::ValidatorFailure::timeout);
    hang_done = true;
  });
  // Meanwhile another masterplan's commands, for both plugins, are decided at once (the
  // isolated one by a second worker).
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(validate(*host, "accept", "fixture_good").failure, model::ValidatorFailure::none);
    const auto rejected = validate(*host, "reject");
    EXPECT_EQ(rejected.violations.size(), 1u) << rejected.failure_message;
  }
  EXPECT_FALSE(hang_done.load()) << "the other commands waited for the hung one";
  hanging.join();
}

json::object update_program(const std::string& first, const std::string& second) {
  return json::parse(R"({"type":"UpdateProgram","programId":"p1","first":")" + first +
                     R"(","second":")" + second + R"("})")
      .as_object();
}

// A command two validators want goes to the worker in one frame: each validator's verdict,
// and the first failure ending the command, are as in process.
TEST_F(Isolation, TwoValidatorsOfOneCommandAnswerInOneCallAsInProcess) {
  const auto isolated = make_host(true, std::chrono::seconds(5));
  const auto in_process = make_host(false, std::chrono::seconds(5));
  const std::pair<const char*, const char*> cases[] = {
      {"accept", "accept"}, {"reject", "accept"}, {"accept", "reject"}, {"reject", "reject"},
      {"fail", "reject"},   {"reject", "fail"},   {"fail", "segv"}};
  for (const auto& [first, second] : cases) {
    SCOPED_TRACE(std::string(first) + " / " + second);
    const auto command = update_program(first, second);
    const auto want = in_process->validate("fixture_faulty", "UpdateProgram", command, state_);
    const auto got = isolated->validate("fixture_faulty", "UpdateProgram", command, state_);
    EXPECT_EQ(got.failure, want.failure);
    EXPECT_EQ(got.failure_message, want.failure_message);
    ASSERT_EQ(got.violations.size(), want.violations.size());
    for (std::size_t i = 0; i < got.violations.size(); ++i) {
      EXPECT_EQ(got.violations[i].code, want.violations[i].code);
    }
  }
  const auto both = isolated->validate("fixture_faulty", "UpdateProgram",
                                       update_program("reject", "reject"), state_);
  ASSERT_EQ(both.violations.size(), 2u);
  EXPECT_EQ(both.violations[0].code, "fixture_faulty.rejected_first");
  EXPECT_EQ(both.violations[1].code, "fixture_faulty.rejected_second");
  // "fail" before "segv": the worker stopped at the failure and never ran the crash.
  EXPECT_EQ(isolated->workers_started("fixture_faulty"), 1u);
}

TEST_F(Isolation, ACrashOrHangAfterAnotherValidatorNamesBothAndRestarts) {
  const auto host = make_host(true, std::chrono::milliseconds(300));
  const auto crashed = host->validate("fixture_faulty", "UpdateProgram",
                                      update_program("reject", "segv"), state_);
  EXPECT_EQ(crashed.failure, model::ValidatorFailure::error);
  EXPECT_TRUE(crashed.violations.empty());
  EXPECT_NE(crashed.failure_message.find("plugin fixture_faulty 1.0.0: one of validators first, "
                                         "second crashed its worker process"),
            std::string::npos)
      << crashed.failure_message;
  const auto start = Clock::now();
  const auto hung = host->validate("fixture_faulty", "UpdateProgram",
                                   update_program("accept", "hang"), state_);
  EXPECT_EQ(hung.failure, model::ValidatorFailure::timeout);
  EXPECT_NE(hung.failure_message.find("one of validators first, second did not answer within "
                                      "its 300.0 ms budget; its worker process was killed"),
            std::string::npos)
      << hung.failure_message;
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(600));  // each validator's budget
  const auto next = host->validate("fixture_faulty", "UpdateProgram",
                                   update_program("accept", "reject"), state_);
  EXPECT_EQ(next.failure, model::ValidatorFailure::none) << next.failure_message;
  EXPECT_EQ(next.violations.size(), 1u);
  EXPECT_EQ(host->workers_started("fixture_faulty"), 3u);
}

// The worker processes of this test process (children whose parent is us).
std::vector<pid_t> child_pids() {
  std::vector<pid_t> pids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid == ::getpid()) pids.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return pids;
}

TEST_F(Isolation, AWorkerThatDiedWhileIdleIsNotBlamedOnTheNextCommand) {
  const auto host = make_host(true, std::chrono::seconds(5));
  ASSERT_EQ(validate(*host, "accept").failure, model::ValidatorFailure::none);
  const auto workers = child_pids();
  ASSERT_EQ(workers.size(), 1u);
  ASSERT_EQ(::kill(workers[0], SIGKILL), 0);
  // Wait until it is really dead (a zombie: the pool has not reaped it yet).
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  for (;;) {
    std::ifstream stat("/proc/" + std::to_string(workers[0]) + "/stat");
    std::string line;
    std::getline(stat, line);
    if (line.find(") Z") != std::string::npos || Clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto next = validate(*host, "reject");
  EXPECT_EQ(next.failure, model::ValidatorFailure::none) << next.failure_message;
  EXPECT_EQ(next.violations.size(), 1u);
  EXPECT_EQ(host->workers_started("fixture_faulty"), 2u);
}

std::vector<int> cpus_of(pid_t pid) {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (::sched_getaffinity(pid, sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

void run_on(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  ASSERT_EQ(::sched_setaffinity(0, sizeof set, &set), 0);
}

TEST_F(Isolation, AWorkerRunsOnTheCpuOfTheThreadThatCallsIt) {
  const std::vector<int> mine = cpus_of(0);
  if (mine.size() < 2) GTEST_SKIP() << "needs two CPUs, this process may use " << mine.size();
  for (const bool follow : {true, false}) {
    SCOPED_TRACE(follow ? "following the caller" : "not following");
    const auto host = make_host(true, std::chrono::seconds(5), follow);
    // Started from an unpinned thread: a new process inherits its parent thread's CPUs.
    ASSERT_EQ(validate(*host, "accept").failure, model::ValidatorFailure::none);
    // A thread of its own, so that pinning it leaves the test's thread as it was.
    std::thread caller([&] {
      for (const int cpu : {mine[0], mine[1]}) {
        run_on(cpu);
        const auto outcome = validate(*host, "accept");
        ASSERT_EQ(outcome.failure, model::ValidatorFailure::none) << outcome.failure_message;
        const auto workers = child_pids();
        ASSERT_EQ(workers.size(), 1u);
        if (follow) {
          EXPECT_EQ(cpus_of(workers[0]), std::vector<int>{cpu});
        } else {
          EXPECT_EQ(cpus_of(workers[0]), mine);
        }
      }
    });
    caller.join();
    EXPECT_EQ(host->workers_started("fixture_faulty"), 1u);  // moved, not started again
  }
}

TEST_F(Isolation, AWorkerRefusesALibraryThatChangedSinceTheHostLoadedIt) {
  const auto host = make_host(true, std::chrono::seconds(5));
  plugins_.put(FIXTURE_GOOD_PATH, "faulty.so");  // replaced, not yet reloaded
  const auto outcome = validate(*host, "accept");
  EXPECT_EQ(outcome.failure, model::ValidatorFailure::error);
  EXPECT_NE(outcome.failure_message.find("changed since the host loaded it"), std::string::npos)
      << outcome.failure_message;
}

TEST_F(Isolation, InProcessASlowValidatorIsJudgedOnlyWhenItReturns) {
  // In process the host cannot abandon a call: "slow" holds the thread its 300 ms, and only
  // then becomes plugin_timeout. ("hang" would hold it forever, so it is not run here.)
  const auto host = make_host(false, std::chrono::milliseconds(50));
  const auto start = Clock::now();
  const auto slow = validate(*host, "slow");
  EXPECT_EQ(slow.failure, model::ValidatorFailure::timeout);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(300));
}

TEST_F(Isolation, IsolatedASlowValidatorIsCutAtBudgetPlusGrace) {
  const auto host = make_host(true, std::chrono::milliseconds(50));
  ASSERT_EQ(validate(*host, "accept").failure, model::ValidatorFailure::none);  // worker up
  const auto start = Clock::now();
  const auto slow = validate(*host, "slow", "fixture_faulty", 3000);
  EXPECT_EQ(slow.failure, model::ValidatorFailure::timeout);
  // Cut at 50 + 50 ms (plus killing and reaping on a loaded machine), not after 3 s.
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1500));
}

using IsolationDeathTest = Isolation;
TEST_F(IsolationDeathTest, InProcessASegfaultTakesTheProcessDown) {
  // Why isolation exists: without it, the plugin's crash is the server's crash.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto host = make_host(false, std::chrono::seconds(5));
  EXPECT_DEATH(validate(*host, "segv"), "");
}

TEST(PluginConfig, ReadsTheIsolatedListAndTheBudget) {
  TempDir dir;
  const auto file = dir.path() / "server.json";
  std::ofstream(file) << R"({"maxConnections": 10,
                            "plugins": {"isolated": ["padang", "pariaman"], "budgetMs": 80}})";
  HostOptions options;
  const auto read = read_plugin_config(file, options);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(options.isolated, (std::vector<std::string>{"padang", "pariaman"}));
  EXPECT_EQ(options.budget, std::chrono::milliseconds(80));

  std::ofstream(file) << R"({"plugins": {"isolate": ["padang"]}})";
  const auto bad = read_plugin_config(file, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("unknown key \"plugins.isolate\""), std::string::npos) << bad.error();

  std::ofstream(file) << R"({"maxConnections": 10})";
  HostOptions untouched;
  ASSERT_TRUE(read_plugin_config(file, untouched).ok());
  EXPECT_TRUE(untouched.isolated.empty());
}

TEST(PluginConfig, IsolatedByDefaultWithTrustedPluginsInProcess) {
  TempDir dir;
  const auto file = dir.path() / "server.json";
  std::ofstream(file) << R"({"plugins": {"isolateByDefault": true, "inProcess": ["payakumbuh"],
                                         "isolated": ["pariaman"]}})";
  HostOptions options;
  const auto read = read_plugin_config(file, options);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_TRUE(options.isolates("padang"));
  EXPECT_FALSE(options.isolates("payakumbuh"));
  EXPECT_TRUE(options.isolates("pariaman"));
  options.isolate_by_default = false;
  EXPECT_FALSE(options.isolates("padang"));
  EXPECT_TRUE(options.isolates("pariaman"));

  std::ofstream(file) << R"({"plugins": {"isolateByDefault": "yes"}})";
  const auto bad = read_plugin_config(file, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("plugins.isolateByDefault must be true or false"), std::string::npos)
      << bad.error();
}

}  // namespace
}  // namespace rembuk::plugins
