// The file ahead (file_reserve.hpp): a durable log keeps its data file written with zeros past
// its used end, and nothing LMDB wrote is ever zeroed: not by this process's own commits, which
// can run into a step in progress, and not by another process's, which the open lock keeps out.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <lmdb.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "file_reserve.hpp"
#include "open_lock.hpp"
#include "test_log.hpp"

namespace rembuk::store::testing {
namespace {

constexpr std::size_t kReserve = 1u << 20;  // steps of 128 KiB, 64 KiB past the used end

LmdbOptions durable(const TempDir& dir) {
  auto options = options_for(dir);
  options.durability = Durability::sync;
  options.reserve_bytes = kReserve;
  return options;
}

std::string data_file(const LmdbOptions& options) { return options.path + "/data.mdb"; }

// The reserve needs direct I/O on a file system where syncs cost something (not tmpfs).
bool reserve_possible_in(const std::string& dir) {
  std::filesystem::create_directories(dir);
  struct statfs volume {};
  if (statfs(dir.c_str(), &volume) != 0 || volume.f_type == 0x01021994) return false;
  const std::string probe = dir + "/direct-io-probe";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_DIRECT, 0600);
  if (fd >= 0) ::close(fd);
  std::filesystem::remove(probe);
  return fd >= 0;
}

// LMDB's used end of the closed log at `path`, in bytes (its last page + 1).
std::uint64_t used_end_of(const std::string& path) {
  MDB_env* env = nullptr;
  EXPECT_EQ(mdb_env_create(&env), 0);
  EXPECT_EQ(mdb_env_set_maxdbs(env, 8), 0);
  EXPECT_EQ(mdb_env_open(env, path.c_str(), MDB_RDONLY, 0644), 0);
  MDB_envinfo info{};
  MDB_stat stat{};
  mdb_env_info(env, &info);
  mdb_env_stat(env, &stat);
  mdb_env_close(env);
  return (static_cast<std::uint64_t>(info.me_last_pgno) + 1) * stat.ms_psize;
}

// A payload unique to (stream, n), `size` bytes, so a zeroed page cannot pass as it.
std::string payload(const std::string& stream, int n, std::size_t size) {
  std::string text = "{\"s\":\"" + stream + "\",\"n\":" + std::to_string(n) + ",\"pad\":\"";
  while (text.size() < size) text += static_cast<char>('a' + (text.size() + n) % 26);
  return text + "\"}";
}

AppendRequest big_request(const std::string& stream, int n, std::size_t size) {
  auto r = request(stream, 1, ExpectedRevision::any(), stream + "-" + std::to_string(n));
  r.events[0].payload = payload(stream, n, size);
  return r;
}

// Every event of the log is there, in order, with the payload it was appended with.
void expect_every_event_intact(EventLog& log, std::size_t expected_events, std::size_t size) {
  auto verdict = log.verify();
  EXPECT_TRUE(verdict.ok) << "at " << verdict.bad_position << ": " << verdict.reason;
  auto all = log.read_all(1, expected_events + 10);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), expected_events);
  for (const auto& e : *all) {
    const auto dash = e.command_id.rfind('-');
    ASSERT_NE(dash, std::string::npos) << e.command_id;
    EXPECT_EQ(e.payload, payload(e.stream, std::stoi(e.command_id.substr(dash + 1)), size))
        << "at position " << e.position;
  }
}

TEST(FileReserve, ADurableLogKeepsItsFileWrittenAheadWithRealBlocks) {
  TempDir dir;
  const auto options = durable(dir);
  if (!reserve_possible_in(options.path)) GTEST_SKIP() << "no direct I/O under " << dir.str();
  {
    auto log = open_log(options);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(log->append(big_request("s", i, 600)).ok());
    ASSERT_TRUE(eventually([&] { return commit_stats(*log).reserved_ahead >= kReserve / 2; }))
        << "steps " << commit_stats(*log).reserve_steps;
  }
  struct stat st {};
  ASSERT_EQ(::stat(data_file(options).c_str(), &st), 0);
  const std::uint64_t used = used_end_of(options.path);
  EXPECT_GE(static_cast<std::uint64_t>(st.st_size), used + kReserve / 2);
  // Written, not a hole: the blocks are there (what saves the metadata write). Between the used end
  // and the first step there may be one, left for LMDB (steps start past the reach of the
  // transaction in progress), so look at the file's last half reserve.
  const int fd = ::open(data_file(options).c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  const off_t tail = st.st_size - static_cast<off_t>(kReserve / 2);
  EXPECT_EQ(::lseek(fd, tail, SEEK_HOLE), st.st_size) << "a hole in the reserve";
  ::close(fd);

  auto log = open_log(options);  // the zeros past the used end are just file to LMDB
  for (int i = 20; i < 40; ++i) ASSERT_TRUE(log->append(big_request("s", i, 600)).ok());
  expect_every_event_intact(*log, 40, 600);
}

TEST(FileReserve, AWriteThatCouldReachTheStepInProgressWaitsForItToEnd) {
  TempDir dir;
  const std::string folder = (dir.path() / "plain").string();
  if (!reserve_possible_in(folder)) GTEST_SKIP() << "no direct I/O under " << dir.str();
  const std::string file = folder + "/data.mdb";
  { std::ofstream(file, std::ios::binary) << std::string(8192, 'x'); }
  OpenLock lock(folder);
  // Steps of 256 KiB; what it keeps ahead is the log's own size, between 1 MiB and 32 MiB.
  std::atomic<std::uint64_t> used{8192};
  const std::function<std::uint64_t()> used_end = [&] { return used.load(); };
  auto reserve = FileReserve::start(file, 32u << 20, 4096, used_end, lock);
  ASSERT_NE(reserve, nullptr);
  // A transaction that could write 64 MiB past the used end: past every step. Begun while a
  // step is in progress (caught by polling; tried again when the step ended first), it waits.
  constexpr std::uint64_t kBound = 64u << 20;
  std::uint64_t waits = 0;
  for (int attempt = 0; attempt < 200 && waits == 0; ++attempt) {
    {
      FileReserve::Writing commit(reserve.get(), used_end, 0);
      used += 512u << 10;  // the log grows, so the reserve has more to do
      commit.committed(used_end);
    }
    ASSERT_TRUE(eventually([&] { return reserve->stats().step_from != 0; }));
    FileReserve::Writing writing(reserve.get(), used_end, kBound);
    const auto stats = reserve->stats();
    waits = stats.writer_waits;
    // Any step now in progress began after this write declared its reach, so lies past it.
    EXPECT_TRUE(stats.step_from == 0 || stats.step_from >= used + kBound)
        << "a step at " << stats.step_from << " runs within the write's reach";
  }
  EXPECT_EQ(waits, 1u) << "never caught a step in progress";
  // One that stays below every step never waits.
  FileReserve::Writing small(reserve.get(), used_end, 4096);
  EXPECT_EQ(reserve->stats().writer_waits, waits);
}

TEST(FileReserve, CommitsThatReachAStepInProgressWaitAndLoseNothing) {
  TempDir dir;
  const auto options = durable(dir);
  if (!reserve_possible_in(options.path)) GTEST_SKIP() << "no direct I/O under " << dir.str();
  // A commit of a few such appends outgrows the reserve's steps (128 KiB), so the reserve falls
  // behind and steps start just the 64 KiB gap past the used end, inside the next commit's reach.
  constexpr std::size_t kSize = 64u << 10;
  auto log = open_log(options);
  std::atomic<int> appended{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const std::string stream = "s" + std::to_string(t);
      // Until commits have met a step in progress 20 times, or 32 MiB were written.
      for (int n = 0; n < 64 && commit_stats(*log).reserve_waits < 20; ++n) {
        if (!log->append(big_request(stream, n, kSize)).ok()) failed = true;
        ++appended;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_FALSE(failed);
  const auto stats = commit_stats(*log);
  EXPECT_GT(stats.reserve_steps, 0u);
  EXPECT_GT(stats.reserve_waits, 0u) << "no commit ever met a step: the test proves nothing";
  expect_every_event_intact(*log, static_cast<std::size_t>(appended.load()), kSize);
  log.reset();
  expect_every_event_intact(*open_log(options), static_cast<std::size_t>(appended.load()), kSize);
}

TEST(FileReserve, NothingIsWrittenAheadWhileAnotherProcessHasTheLogOpen) {
  TempDir dir;
  const auto options = durable(dir);
  if (!reserve_possible_in(options.path)) GTEST_SKIP() << "no direct I/O under " << dir.str();
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the child starts threads after fork(), which TSan does not support";
#endif
  constexpr std::size_t kSize = 4u << 10;
  constexpr int kOtherEvents = 200;  // ~1.6 MiB past where this process last committed
  int go[2];
  int opened[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(opened), 0);
  // Forked before this process opens the log, so that the child starts with one thread.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char token = 0;
    if (read(go[0], &token, 1) != 1) _exit(2);
    auto other = open_lmdb_event_log(options);
    if (!other.ok()) _exit(3);
    if (write(opened[1], &token, 1) != 1) _exit(4);
    if (read(go[0], &token, 1) != 1) _exit(5);  // appends only when told
    for (int n = 0; n < kOtherEvents; ++n) {
      if (!(*other)->append(big_request("other", n, kSize)).ok()) _exit(6);
    }
    _exit(0);  // closes the log: the lock goes with the process
  }

  auto log = open_log(options);
  int mine = 0;
  for (; mine < 20; ++mine) ASSERT_TRUE(log->append(big_request("mine", mine, kSize)).ok());
  ASSERT_TRUE(eventually([&] { return commit_stats(*log).reserve_steps > 0; }));
  char token = 'g';
  ASSERT_EQ(write(go[1], &token, 1), 1);
  ASSERT_EQ(read(opened[0], &token, 1), 1);

  // Past the point where the reserve wants more; it must not write while the child is open.
  const auto steps_before = commit_stats(*log).reserve_steps;
  for (; mine < 400; ++mine) ASSERT_TRUE(log->append(big_request("mine", mine, kSize)).ok());
  EXPECT_EQ(commit_stats(*log).reserve_steps, steps_before);

  // The child appends past this process's last known used end, then closes. The next step
  // must start from the end the child left, read from LMDB, not from this process's commits.
  ASSERT_EQ(write(go[1], &token, 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  EXPECT_TRUE(eventually([&] { return commit_stats(*log).reserve_steps > steps_before; }))
      << "the reserve did not resume once it was alone";
  for (int n = mine; n < mine + 20; ++n) {
    ASSERT_TRUE(log->append(big_request("mine", n, kSize)).ok());
  }
  expect_every_event_intact(*log, static_cast<std::size_t>(mine + 20 + kOtherEvents), kSize);
}

TEST(FileReserve, ALogWithoutSyncsWithoutAReserveOrWithoutCommitsWritesNothingAhead) {
  TempDir dir;
  for (const bool nosync : {true, false}) {
    auto options = durable(dir);
    options.path += nosync ? "-nosync" : "-none";
    if (nosync) {
      options.durability = Durability::nosync;
    } else {
      options.reserve_bytes = 0;
    }
    {
      auto log = open_log(options);
      for (int i = 0; i < 30; ++i) {
        ASSERT_TRUE(log->append(big_request(nosync ? "a" : "b", i, 2000)).ok());
      }
      EXPECT_EQ(commit_stats(*log).reserve_steps, 0u);
    }
    struct stat st {};
    ASSERT_EQ(::stat(data_file(options).c_str(), &st), 0);
    EXPECT_EQ(static_cast<std::uint64_t>(st.st_size), used_end_of(options.path));
  }
  // An open that only reads (rembuk history, log, verify) writes nothing ahead either.
  auto options = durable(dir);
  options.path += "-none";
  const auto size_before = std::filesystem::file_size(data_file(options));
  {
    auto log = open_log(options);
    auto all = log->read_all(1, 100);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 30u);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // time to start, if it would
    EXPECT_EQ(commit_stats(*log).reserve_steps, 0u);
  }
  EXPECT_EQ(std::filesystem::file_size(data_file(options)), size_before);
}

}  // namespace
}  // namespace rembuk::store::testing
