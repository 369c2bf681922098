// A write the file system refuses fails the batch with io_error, writes nothing, and leaves
// a log that keeps working. (A full disk, ENOSPC/EDQUOT, takes the same path and is reported
// as storage_full; RLIMIT_FSIZE gives EFBIG, which is an io_error, without needing a small
// file system.)
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::options_for;
using testing::request;
using testing::TempDir;

// Runs in a forked child so the file size limit does not touch the test runner. Returns the
// step that failed (0: all good).
int refused_write_child(const LmdbOptions& options) {
  auto opened = open_lmdb_event_log(options);
  if (!opened.ok()) return 10;
  auto log = std::move(opened).value();
  for (int i = 0; i < 10; ++i) {
    if (!log->append(request("s")).ok()) return 11;
  }
  const Head before = *log->head();
  const auto size = std::filesystem::file_size(std::filesystem::path(options.path) / "data.mdb");
  signal(SIGXFSZ, SIG_IGN);  // then an oversized write fails with EFBIG instead of killing us
  const rlimit limit{size + 8192, RLIM_INFINITY};  // soft only: it can be raised again
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return 12;

  auto big = request("s");
  big.events[0].payload = "{\"x\":\"" + std::string(4u << 20, 'x') + "\"}";
  auto refused = log->append(big);
  if (refused.ok()) return 13;
  if (refused.error().code != ErrorCode::io_error) return 14;
  if (refused.error().message.empty()) return 15;
  const Head after = *log->head();
  if (after.position != before.position || after.hash != before.hash) return 16;

  const rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
  if (setrlimit(RLIMIT_FSIZE, &unlimited) != 0) return 17;
  auto again = log->append(big);
  if (!again.ok() || again->first_position != before.position + 1) return 18;
  if (!log->verify().ok) return 19;
  return 0;
}

TEST(StorageErrorTest, ARefusedWriteFailsTheAppendAndWritesNothing) {
  TempDir dir;
  auto options = options_for(dir);
  options.durability = Durability::sync;
  options.initial_map_size = 64u << 20;
  // What the file system refuses here is LMDB extending the file; a reserve written ahead
  // (file_reserve.hpp) would hold the write.
  options.reserve_bytes = 0;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(refused_write_child(options));
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "child died with status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << "failed step (see refused_write_child)";
}

}  // namespace
}  // namespace rembuk::store
