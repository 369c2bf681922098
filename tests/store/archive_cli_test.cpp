// `rembuk backup`, `rembuk backup verify` and `rembuk restore`, run as a user would run them on
// the Padang example: the restored log serves the same state at several versions (`rembuk
// replay`), and each refusal has its message and exit code.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::TempDir;

struct CommandRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string all;  // stdout and stderr
};

CommandRun run_rembuk(const std::string& args, bool with_stderr = true) {
  const std::string command =
      std::string(REMBUK_BINARY) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  CommandRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.all.append(buffer.data(), n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = run.all;
  return run;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class ArchiveCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto imported = run_rembuk("import --data " + data() + " " + REMBUK_EXAMPLE + " >/dev/null");
    ASSERT_EQ(imported.exit_code, 0) << imported.all;
    auto checkpoints = run_rembuk("audit checkpoint --data " + data());
    ASSERT_EQ(checkpoints.exit_code, 0) << checkpoints.all;
  }
  std::string data() const { return (dir_.path() / "data").string(); }
  std::string archive() const { return (dir_.path() / "padang.rembuk-backup").string(); }
  std::string at(const std::string& name) const { return (dir_.path() / name).string(); }

  TempDir dir_;
};

TEST_F(ArchiveCliTest, BackupVerifyRestoreServesTheSameStateAtEveryVersion) {
  auto backup = run_rembuk("backup --data " + data() + " --out " + archive());
  ASSERT_EQ(backup.exit_code, 0) << backup.all;
  EXPECT_NE(backup.all.find("masterplans: 1"), std::string::npos) << backup.all;
  EXPECT_NE(backup.all.find("secrets: not included"), std::string::npos);
  EXPECT_EQ(std::filesystem::status(archive()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  auto verify = run_rembuk("backup verify " + archive());
  ASSERT_EQ(verify.exit_code, 0) << verify.all;
  EXPECT_NE(verify.all.find("checkpoint signatures sound"), std::string::npos);
  EXPECT_EQ(verify.all.find("not checked"), std::string::npos) << verify.all;  // key inside

  auto restore = run_rembuk("restore " + archive() + " --data " + at("copy"));
  ASSERT_EQ(restore.exit_code, 0) << restore.all;
  ASSERT_EQ(run_rembuk("verify --data " + at("copy")).exit_code, 0);
  EXPECT_EQ(run_rembuk("log --data " + data() + " --json", false).out,
            run_rembuk("log --data " + at("copy") + " --json", false).out);
  for (const char* version : {"1", "10", "40", "80"}) {
    const std::string replay = std::string("replay --masterplan padang-2019 --json --at ") + version;
    auto original = run_rembuk(replay + " --data " + data(), false);
    auto copy = run_rembuk(replay + " --data " + at("copy"), false);
    ASSERT_EQ(original.exit_code, 0) << original.all;
    EXPECT_EQ(original.out, copy.out) << "version " << version;
  }
}

TEST_F(ArchiveCliTest, SecretsTravelOnlyWhenAsked) {
  ASSERT_EQ(run_rembuk("token issue --data " + data() + " --user u --role admin").exit_code, 0);
  ASSERT_EQ(run_rembuk("backup --data " + data() + " --out " + archive() + " --with-secrets")
                .exit_code,
            0);
  auto restore = run_rembuk("restore " + archive() + " --data " + at("copy"));
  ASSERT_EQ(restore.exit_code, 0) << restore.all;
  EXPECT_EQ(slurp(at("copy") + "/secret"), slurp(data() + "/secret"));
  EXPECT_EQ(slurp(at("copy") + "/audit-key"), slurp(data() + "/audit-key"));
  EXPECT_EQ(std::filesystem::status(at("copy") + "/audit-key").permissions() &
                std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(ArchiveCliTest, EachRefusalHasItsMessageAndExitCode) {
  ASSERT_EQ(run_rembuk("backup --data " + data() + " --out " + archive()).exit_code, 0);
  const std::string bytes = slurp(archive());

  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x20;
  std::ofstream(at("flipped"), std::ios::binary) << flipped;
  auto damaged = run_rembuk("backup verify " + at("flipped"));
  EXPECT_EQ(damaged.exit_code, 1);
  EXPECT_NE(damaged.all.find("damaged: "), std::string::npos) << damaged.all;
  EXPECT_NE(damaged.all.find("does not match its hash"), std::string::npos) << damaged.all;
  auto refused = run_rembuk("restore " + at("flipped") + " --data " + at("r1"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.all.find("the archive is damaged"), std::string::npos) << refused.all;
  EXPECT_FALSE(std::filesystem::exists(at("r1") + "/data.mdb"));

  std::ofstream(at("cut"), std::ios::binary) << bytes.substr(0, bytes.size() - 40);
  auto cut = run_rembuk("restore " + at("cut") + " --data " + at("r2"));
  EXPECT_EQ(cut.exit_code, 1);
  EXPECT_NE(cut.all.find("truncated"), std::string::npos) << cut.all;

  std::string newer = bytes;
  newer[11] = 9;
  std::ofstream(at("newer"), std::ios::binary) << newer;
  auto too_new = run_rembuk("backup verify " + at("newer"));
  EXPECT_EQ(too_new.exit_code, 2);
  EXPECT_NE(too_new.all.find("newer than this rembuk reads"), std::string::npos) << too_new.all;

  auto occupied = run_rembuk("restore " + archive() + " --data " + data());
  EXPECT_EQ(occupied.exit_code, 1);
  EXPECT_NE(occupied.all.find("already holds an event log with"), std::string::npos)
      << occupied.all;

  auto usage = run_rembuk("backup --data " + data());
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.all.find("--out"), std::string::npos);
}

TEST_F(ArchiveCliTest, UntilRestoresAnEarlierLog) {
  ASSERT_EQ(run_rembuk("backup --data " + data() + " --out " + archive()).exit_code, 0);
  auto restore = run_rembuk("restore " + archive() + " --data " + at("early") + " --until 1");
  ASSERT_EQ(restore.exit_code, 0) << restore.all;
  EXPECT_NE(restore.all.find("ok: 1 events restored"), std::string::npos) << restore.all;
  EXPECT_EQ(run_rembuk("verify --data " + at("early")).exit_code, 0);
}

}  // namespace
}  // namespace rembuk::store
