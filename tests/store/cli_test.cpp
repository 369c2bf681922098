// The `rembuk log` and `rembuk verify` commands, run as a user would run them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>

#include "raw_lmdb.hpp"
#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::be64;
using testing::flip_byte;
using testing::open_log;
using testing::options_for;
using testing::request;
using testing::TempDir;

struct CommandRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

CommandRun run_rembuk(const std::string& args) {
  const std::string command = std::string(REMBUK_BINARY) + " " + args + " 2>&1";
  CommandRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    out.push_back(text.substr(start, end - start));
  }
  return out;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto options = options_;
    options.clock = [] { return std::int64_t{1'795'528'800'123'456}; };  // 2026-11-24T14:00
    auto log = open_log(options);
    auto r = request("padang", 2, ExpectedRevision::no_stream(), "cmd-1");
    r.events[0].payload = "{\"name\":\"Taman \\\"Kota\\\"\",\"budget\":12}";
    ASSERT_TRUE(log->append(r).ok());
    ASSERT_TRUE(log->append(request("pariaman", 1)).ok());
  }
  TempDir dir_;
  LmdbOptions options_ = options_for(dir_);
};

TEST_F(CliTest, LogJsonHasExactlyTheDocumentedFields) {
  const CommandRun run = run_rembuk("log --data " + options_.path + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const auto rows = lines(run.out);
  ASSERT_EQ(rows.size(), 3u) << run.out;
  const std::vector<std::string> fields = {"position", "stream",  "revision", "type",
                                           "schemaVersion", "time", "actor", "commandId",
                                           "payload",  "prevHash", "hash"};
  std::string previous_hash(64, '0');
  for (std::size_t i = 0; i < rows.size(); ++i) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(rows[i], ec);
    ASSERT_FALSE(ec) << rows[i];
    const auto& object = value.as_object();
    ASSERT_EQ(object.size(), fields.size()) << rows[i];
    std::size_t k = 0;
    for (const auto& entry : object) EXPECT_EQ(entry.key(), fields[k++]);
    EXPECT_EQ(object.at("position").as_int64(), static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(object.at("time").as_string(), "2026-11-24T14:00:00.123456Z");
    EXPECT_TRUE(object.at("payload").is_object()) << "payload embedded as a value";
    EXPECT_EQ(object.at("prevHash").as_string(), previous_hash);
    previous_hash = std::string(object.at("hash").as_string());
    EXPECT_EQ(previous_hash.size(), 64u);
  }
  const auto first = boost::json::parse(rows[0]).as_object();
  EXPECT_EQ(first.at("stream").as_string(), "padang");
  EXPECT_EQ(first.at("revision").as_int64(), 1);
  EXPECT_EQ(first.at("type").as_string(), "Happened");
  EXPECT_EQ(first.at("schemaVersion").as_int64(), 1);
  EXPECT_EQ(first.at("actor").as_string(), "tester");
  EXPECT_EQ(first.at("commandId").as_string(), "cmd-1");
  EXPECT_EQ(first.at("payload").at("name").as_string(), "Taman \"Kota\"");
}

TEST_F(CliTest, LogFiltersByStreamAndPosition) {
  CommandRun run = run_rembuk("log --data " + options_.path + " --json --stream padang");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(lines(run.out).size(), 2u);
  run = run_rembuk("log --data " + options_.path + " --json --from 2");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const auto rows = lines(run.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(boost::json::parse(rows[0]).at("position").as_int64(), 2);
  run = run_rembuk("log --data " + options_.path);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(lines(run.out).size(), 3u);
  EXPECT_NE(run.out.find("pariaman"), std::string::npos);
}

TEST_F(CliTest, MissingFolderIsAnErrorAndStaysMissing) {
  const auto missing = dir_.path() / "no-such-log";
  for (const char* command : {"log", "verify"}) {
    const CommandRun run = run_rembuk(std::string(command) + " --data " + missing.string());
    EXPECT_NE(run.exit_code, 0) << command;
    EXPECT_NE(run.out.find("no-such-log"), std::string::npos) << run.out;
    EXPECT_FALSE(std::filesystem::exists(missing)) << command << " created the folder";
  }
}

TEST_F(CliTest, VerifyExitCodes) {
  CommandRun run = run_rembuk("verify --data " + options_.path);
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("3 events"), std::string::npos) << run.out;
  flip_byte(options_.path, "events", be64(2), -65);
  run = run_rembuk("verify --data " + options_.path);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("position 2"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace rembuk::store
