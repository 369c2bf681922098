// An isolated plugin is contained for security too: its worker runs under a seccomp filter,
// so a rule that tries to read the data folder's token secret, use the network or start a
// shell ends that one call as plugin_error, with nothing read or sent, and the next call is
// served. In process the same plugin succeeds at all three (which is why isolation exists).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <boost/json/parse.hpp>

#include "rembuk/plugins/plugin_host.hpp"
#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

using testing::TempDir;
namespace json = boost::json;

const std::string secret = "s3cr3t-token-key-of-the-data-folder";

// A listening loopback socket: whether anyone connected, without blocking.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 4), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { ::close(fd_); }
  int port() const { return port_; }
  bool someone_connected() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 200) > 0;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class WorkerSeccomp : public ::testing::Test {
 protected:
  void SetUp() override {
    plugins_.put(FIXTURE_INTRUDER_PATH, "intruder.so");
    plugins_.put(FIXTURE_GOOD_PATH, "good.so");
    secret_file_ = data_.path() / "token.secret";
    std::ofstream(secret_file_) << secret;
  }
  std::unique_ptr<PluginHost> make_host(bool isolated) {
    HostOptions options;
    options.national_pillar_ids = {"governance", "economy"};
    options.budget = std::chrono::seconds(5);
    options.load.staging_dir = data_.path() / "staging";
    if (isolated) options.isolated = {"fixture_intruder", "fixture_good"};
    options.worker_command = {REMBUK_BINARY, "plugin", "worker"};
    auto host = std::make_unique<PluginHost>(options);
    const auto report = host->load_directory(plugins_.path());
    EXPECT_EQ(report.refused.size(), 0u) << report.refused.at(0).line();
    return host;
  }
  model::ValidationOutcome attempt(const PluginHost& host, const std::string& title,
                                   const std::string& path = "", int port = 0) {
    json::object command{{"type", "AddProgram"}, {"programId", "p1"}, {"title", title},
                         {"path", path}, {"port", port}};
    return host.validate("fixture_intruder", "AddProgram", command, state_);
  }
  static bool mentions_secret(const model::ValidationOutcome& outcome) {
    if (outcome.failure_message.find(secret) != std::string::npos) return true;
    for (const auto& v : outcome.violations) {
      if (v.message_id.find(secret) != std::string::npos) return true;
    }
    return false;
  }

  TempDir data_;
  TempDir plugins_;
  std::filesystem::path secret_file_;
  json::object state_ =
      json::parse(R"({"masterplan":"padang-2019","cityName":"Kota Padang","programs":[]})")
          .as_object();
};

TEST_F(WorkerSeccomp, InProcessTheSamePluginReadsConnectsAndRunsAShell) {
  // The control: without isolation nothing stops it (so the isolated test below can fail).
  const auto host = make_host(false);
  const auto read = attempt(*host, "read_secret", secret_file_.string());
  EXPECT_TRUE(mentions_secret(read));
  Listener listener;
  const auto sent = attempt(*host, "connect", "", listener.port());
  ASSERT_EQ(sent.violations.size(), 1u) << sent.failure_message;
  EXPECT_EQ(sent.violations[0].code, "fixture_intruder.sent");
  EXPECT_TRUE(listener.someone_connected());
  const auto marker = data_.path() / "pwned";
  const auto shell = attempt(*host, "shell", marker.string());
  EXPECT_TRUE(std::filesystem::exists(marker)) << shell.failure_message;
}

TEST_F(WorkerSeccomp, IsolatedEachAttemptIsPluginErrorAndNothingLeaks) {
  const auto host = make_host(true);
  ASSERT_EQ(attempt(*host, "accept").failure, model::ValidatorFailure::none);

  const auto read = attempt(*host, "read_secret", secret_file_.string());
  EXPECT_EQ(read.failure, model::ValidatorFailure::error);
  EXPECT_NE(read.failure_message.find("Bad system call"), std::string::npos)
      << read.failure_message;
  EXPECT_FALSE(mentions_secret(read));
  EXPECT_TRUE(read.violations.empty());

  Listener listener;
  const auto sent = attempt(*host, "connect", "", listener.port());
  EXPECT_EQ(sent.failure, model::ValidatorFailure::error);
  EXPECT_NE(sent.failure_message.find("Bad system call"), std::string::npos)
      << sent.failure_message;
  EXPECT_TRUE(sent.violations.empty());
  EXPECT_FALSE(listener.someone_connected());

  const auto marker = data_.path() / "pwned";
  const auto shell = attempt(*host, "shell", marker.string());
  EXPECT_EQ(shell.failure, model::ValidatorFailure::error);
  EXPECT_NE(shell.failure_message.find("Bad system call"), std::string::npos)
      << shell.failure_message;
  EXPECT_FALSE(std::filesystem::exists(marker));

  // The next command is served (by a new worker), and another plugin never noticed.
  const auto next = attempt(*host, "accept");
  EXPECT_EQ(next.failure, model::ValidatorFailure::none) << next.failure_message;
  EXPECT_EQ(host->workers_started("fixture_intruder"), 4u);
}

TEST_F(WorkerSeccomp, AConfinedWorkerStillReadsTheStateThroughItsHost) {
  const auto host = make_host(true);
  const json::object command{{"type", "AddProgram"}, {"fixture", "state"}};
  const auto padang = host->validate("fixture_good", "AddProgram", command, state_);
  EXPECT_EQ(padang.failure, model::ValidatorFailure::none) << padang.failure_message;
  EXPECT_TRUE(padang.violations.empty());
  const json::object elsewhere{{"cityName", "Kota Pariaman"}};
  const auto other = host->validate("fixture_good", "AddProgram", command, elsewhere);
  ASSERT_EQ(other.violations.size(), 1u) << other.failure_message;
  EXPECT_EQ(other.violations[0].code, "fixture_good.wrong_city");
  EXPECT_EQ(host->workers_started("fixture_good"), 1u);
}

}  // namespace
}  // namespace rembuk::plugins
