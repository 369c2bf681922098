// kill -9 at a random moment loses no acknowledged append and leaves a log verify accepts.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <random>
#include <thread>

#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::request;
using testing::TempDir;

struct Ack {
  std::uint64_t sequence;  // which append (its command id is built from it)
  std::uint64_t first_position;
};

std::string command_id(int round, std::uint64_t sequence) {
  return "crash-" + std::to_string(round) + "-" + std::to_string(sequence);
}

// The child: several threads append until killed, reporting each acknowledged append.
[[noreturn]] void run_child(const LmdbOptions& options, int round, int pipe_fd) {
  auto opened = open_lmdb_event_log(options);
  if (!opened.ok()) _exit(2);
  auto log = std::move(opened).value();
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        const std::uint64_t sequence = next++;
        auto r = request("crash-s" + std::to_string(t), 1 + static_cast<int>(sequence % 3),
                         ExpectedRevision::any(), command_id(round, sequence));
        auto result = log->append(std::move(r));
        if (!result.ok()) _exit(3);
        const Ack ack{sequence, result->first_position};
        // Writes of at most PIPE_BUF bytes to a pipe are atomic.
        if (write(pipe_fd, &ack, sizeof ack) != sizeof ack) _exit(4);
      }
    });
  }
  for (auto& t : threads) t.join();
  _exit(0);
}

TEST(CrashTest, KillNineTwentyTimes) {
  TempDir dir;
  LmdbOptions options;
  options.path = (dir.path() / "log").string();
  options.durability = Durability::sync;
  std::mt19937 rng(std::random_device{}());
  Position events_before = 0;

  for (int round = 0; round < 20; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      run_child(options, round, fds[1]);
    }
    close(fds[1]);
    // Kill after a random number of acknowledgements (0: as soon as it started).
    const std::size_t kill_after = rng() % 120;
    std::vector<Ack> acks;
    Ack ack{};
    while (acks.size() < kill_after && read(fds[0], &ack, sizeof ack) == sizeof ack) {
      acks.push_back(ack);
    }
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with status " << status;
    // Acks written before the kill are still in the pipe.
    while (read(fds[0], &ack, sizeof ack) == sizeof ack) acks.push_back(ack);
    close(fds[0]);

    auto opened = open_lmdb_event_log(options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    auto log = std::move(opened).value();
    const auto report = log->verify();
    ASSERT_TRUE(report.ok) << "round " << round << ": position " << report.bad_position << ": "
                           << report.reason;
    for (const Ack& a : acks) {
      auto found = log->find_command(command_id(round, a.sequence));
      ASSERT_TRUE(found.ok());
      ASSERT_TRUE(found->has_value()) << "acknowledged append " << a.sequence << " was lost";
      EXPECT_EQ((*found)->first_position, a.first_position);
    }
    const Position head = log->head()->position;
    EXPECT_GE(head, events_before);
    events_before = head;
  }
  EXPECT_GT(events_before, 0u);
}

}  // namespace
}  // namespace rembuk::store
