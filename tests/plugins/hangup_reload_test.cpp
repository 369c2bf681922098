// HangupReload: a real SIGHUP to this process reloads the host, the pid file tells a live
// server from a stale file, and request_reload (what `rembuk plugin reload` runs) returns
// the server's report.
#include "rembuk/plugins/hangup_reload.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <thread>

#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

using testing::TempDir;

class HangupReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HostOptions options;
    options.national_pillar_ids = {"governance", "economy"};
    options.load.staging_dir = data_.path() / "plugin-staging";
    host_ = std::make_unique<PluginHost>(options);
    plugins_.put(FIXTURE_V1_PATH, "versioned.so");
    ASSERT_EQ(host_->load_directory(plugins_.path()).loaded.size(), 1u);
  }

  std::string version() const { return host_->find("fixture_versioned")->description().version; }

  TempDir data_;
  TempDir plugins_;
  std::unique_ptr<PluginHost> host_;
};

TEST_F(HangupReloadTest, RequestReloadSignalsTheServerAndReturnsItsReport) {
  std::vector<LoadReport> heard;
  auto reload = HangupReload::start(*host_, data_.path(), [&](const LoadReport& r) {
    heard.push_back(r);
  });
  ASSERT_TRUE(reload.ok()) << reload.error();
  std::ifstream pid(HangupReload::pid_file(data_.path()));
  long written = 0;
  pid >> written;
  EXPECT_EQ(written, ::getpid());

  plugins_.put(FIXTURE_V2_PATH, "versioned.so");
  const auto before = host_->generation();
  auto report = request_reload(data_.path(), std::chrono::seconds(10));
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report->at("sequence").as_int64(), 1);
  EXPECT_EQ(report->at("pid").as_int64(), ::getpid());
  ASSERT_EQ(report->at("loaded").as_array().size(), 1u);
  EXPECT_EQ(report->at("loaded").as_array()[0].at("version").as_string(), "2.0.0");
  EXPECT_EQ(version(), "2.0.0");
  EXPECT_EQ(host_->generation(), before + 1);
  ASSERT_EQ(heard.size(), 1u);

  // Nothing changed: a second reload keeps the plugin and reports it as kept.
  auto again = request_reload(data_.path(), std::chrono::seconds(10));
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again->at("sequence").as_int64(), 2);
  EXPECT_TRUE(again->at("loaded").as_array().empty());
  EXPECT_EQ(again->at("kept").as_array().size(), 1u);
  EXPECT_EQ(host_->generation(), before + 1);
}

TEST_F(HangupReloadTest, ARawSighupReloads) {
  auto reload = HangupReload::start(*host_, data_.path());
  ASSERT_TRUE(reload.ok()) << reload.error();
  plugins_.put(FIXTURE_V2_PATH, "versioned.so");
  ASSERT_EQ(::raise(SIGHUP), 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (version() != "2.0.0" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(version(), "2.0.0");
}

TEST_F(HangupReloadTest, ASecondServerOnTheSameDataIsRefused) {
  auto first = HangupReload::start(*host_, data_.path());
  ASSERT_TRUE(first.ok()) << first.error();
  auto second = HangupReload::start(*host_, data_.path());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("another rembuk serve holds"), std::string::npos) << second.error();
  // The refused one did not remove the first one's pid file.
  EXPECT_TRUE(std::filesystem::exists(HangupReload::pid_file(data_.path())));
}

TEST_F(HangupReloadTest, NoServerIsAnErrorNotASignalToAStrangePid) {
  auto none = request_reload(data_.path(), std::chrono::milliseconds(200));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("no rembuk serve"), std::string::npos) << none.error();

  // A pid file left by a server that died: nobody holds its lock, so it is not signalled.
  std::ofstream(HangupReload::pid_file(data_.path())) << ::getpid() << "\n";
  auto stale = request_reload(data_.path(), std::chrono::milliseconds(200));
  ASSERT_FALSE(stale.ok());
  EXPECT_NE(stale.error().find("is stale"), std::string::npos) << stale.error();
}

TEST_F(HangupReloadTest, StoppingRemovesThePidFileAndRestoresSighup) {
  {
    auto reload = HangupReload::start(*host_, data_.path());
    ASSERT_TRUE(reload.ok()) << reload.error();
  }
  EXPECT_FALSE(std::filesystem::exists(HangupReload::pid_file(data_.path())));
  struct sigaction current {};
  ::sigaction(SIGHUP, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
}

}  // namespace
}  // namespace rembuk::plugins
