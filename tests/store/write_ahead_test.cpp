// The write-ahead file: its frames, its laps, and the batches it brings back after LMDB lost
// them (write_ahead_log.hpp, wal_recovery.hpp). Real files, real LMDB, real child processes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_log.hpp"
#include "write_ahead_log.hpp"

namespace rembuk::store {
namespace {

namespace fs = std::filesystem;
using testing::request;
using testing::TempDir;

WalFrame frame_of(Position first, Position last, const std::string& tag) {
  WalFrame frame;
  frame.first = first;
  frame.last = last;
  frame.put(WalDbi::events, "k" + tag, "value of " + tag);
  frame.put(WalDbi::heads, "stream", tag);
  return frame;
}

std::vector<fs::path> files_in(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == extension) found.push_back(entry.path());
  }
  return found;
}

void write_frame(WriteAheadLog& wal, const WalFrame& frame) {
  std::uint64_t offset = 0;
  ASSERT_TRUE(wal.reserve(frame.size(), offset));
  std::string why;
  ASSERT_TRUE(wal.write(offset, frame.encode(wal.lap()), why)) << why;
}

TEST(WalFrame, DecodesWhatItEncodedAndRefusesAnyChangedByte) {
  const WalFrame frame = frame_of(7, 9, "a");
  const std::string bytes = frame.encode(3);
  ASSERT_EQ(bytes.size(), frame.size());

  WalFrame back;
  std::size_t used = 0;
  std::uint64_t lap = 0;
  ASSERT_TRUE(WalFrame::decode(bytes, 0, back, used, &lap));
  EXPECT_EQ(used, bytes.size());
  EXPECT_EQ(lap, 3u);
  EXPECT_EQ(back.first, 7u);
  EXPECT_EQ(back.last, 9u);
  const auto puts = back.puts();
  ASSERT_EQ(puts.size(), 2u);
  EXPECT_EQ(puts[0].dbi, WalDbi::events);
  EXPECT_EQ(puts[0].key, "ka");
  EXPECT_EQ(puts[0].value, "value of a");
  EXPECT_EQ(puts[1].dbi, WalDbi::heads);

  EXPECT_FALSE(WalFrame::decode(bytes, 4, back, used)) << "another lap's frame";
  EXPECT_FALSE(WalFrame::decode(bytes.substr(0, bytes.size() - 1), 0, back, used)) << "cut";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string changed = bytes;
    changed[i] = static_cast<char>(changed[i] ^ 0x20);
    EXPECT_FALSE(WalFrame::decode(changed, 0, back, used)) << "byte " << i;
  }
}

TEST(WriteAheadLog, ALapOverwritesTheOldOneAndOnlyItsFramesAreRead) {
  TempDir dir;
  std::string why;
  auto wal = WriteAheadLog::create(dir.path(), 64 << 10, why);
  ASSERT_TRUE(wal) << why;
  ASSERT_EQ(fs::file_size(wal->path()), 64u << 10);
  for (Position p = 1; p <= 6; ++p) write_frame(*wal, frame_of(p * 10, p * 10 + 9, "old"));
  wal->next_lap();
  write_frame(*wal, frame_of(100, 104, "new1"));
  write_frame(*wal, frame_of(105, 105, "new2"));
  // A frame whose commit failed, then the batch that reused its positions.
  write_frame(*wal, frame_of(106, 110, "failed"));
  write_frame(*wal, frame_of(106, 108, "reused"));
  ASSERT_TRUE(wal->sync(why)) << why;
  const fs::path path = wal->path();

  {
    LeftBehind live;
    read_left_behind(dir.path(), live);
    EXPECT_TRUE(live.files.empty()) << "a file of a live open was read";
  }
  wal.reset();  // the open ends without removing it, as a crash would

  LeftBehind left;
  read_left_behind(dir.path(), left);
  ASSERT_EQ(left.files.size(), 1u);
  EXPECT_EQ(left.files[0], path);
  EXPECT_TRUE(left.problem.empty()) << left.problem;
  ASSERT_EQ(left.frames.size(), 3u);
  EXPECT_EQ(left.frames[0].first, 100u);
  EXPECT_EQ(left.frames[1].first, 105u);
  EXPECT_EQ(left.frames[2].first, 106u);
  EXPECT_EQ(left.frames[2].last, 108u);
  EXPECT_EQ(left.frames[2].puts()[0].value, "value of reused");
}

// The child of the tests below: opens the log with the write-ahead file, appends from four
// threads, reports every acknowledged append and finally its frame count, and ends without
// closing the log (as a crash would: the file stays behind).
struct Ack {
  std::uint64_t sequence;
  std::uint64_t first_position;
  std::uint64_t last_position;
};

std::string command_id(std::uint64_t sequence) { return "wal-" + std::to_string(sequence); }

[[noreturn]] void append_and_vanish(const LmdbOptions& options, int appends, int pipe_fd) {
  auto opened = open_lmdb_event_log(options);
  if (!opened.ok()) _exit(2);
  auto log = std::move(opened).value();
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        const std::uint64_t sequence = next++;
        if (sequence >= static_cast<std::uint64_t>(appends)) return;
        auto result = log->append(request("wal-s" + std::to_string(t),
                                          1 + static_cast<int>(sequence % 3),
                                          ExpectedRevision::any(), command_id(sequence)));
        if (!result.ok()) _exit(3);
        const Ack ack{sequence, result->first_position, result->last_position};
        if (write(pipe_fd, &ack, sizeof ack) != sizeof ack) _exit(4);
      }
    });
  }
  for (auto& t : threads) t.join();
  const Ack frames{~0ull, commit_stats(*log).wal_frames, 0};
  if (write(pipe_fd, &frames, sizeof frames) != sizeof frames) _exit(4);
  _exit(0);
}

struct ChildRun {
  std::vector<Ack> acks;
  std::uint64_t wal_frames = 0;
};

ChildRun run_child(const LmdbOptions& options, int appends) {
  ChildRun run;
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    append_and_vanish(options, appends, fds[1]);
  }
  close(fds[1]);
  Ack ack{};
  while (read(fds[0], &ack, sizeof ack) == sizeof ack) {
    if (ack.sequence == ~0ull) {
      run.wal_frames = ack.first_position;
    } else {
      run.acks.push_back(ack);
    }
  }
  close(fds[0]);
  int status = 0;
  EXPECT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  return run;
}

class WriteAhead : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.path = (dir_.path() / "log").string();
    options_.durability = Durability::sync;
    // A log with a little history, closed cleanly: LMDB holds it, no file is left behind.
    auto log = testing::open_log(options_);
    ASSERT_TRUE(log->append(request("before", 3)).ok());
    log->close();
    EXPECT_TRUE(files_in(wal_dir(), ".wal").empty()) << "a clean close leaves no file";
    fs::copy_file(data_file(), old_copy());
  }

  fs::path wal_dir() const { return fs::path(options_.path) / "wal"; }
  fs::path data_file() const { return fs::path(options_.path) / "data.mdb"; }
  fs::path old_copy() const { return dir_.path() / "data.mdb.before"; }

  // LMDB loses every commit since SetUp, as if none of its syncs had reached the disk.
  void lose_lmdb_commits() {
    fs::copy_file(old_copy(), data_file(), fs::copy_options::overwrite_existing);
  }

  TempDir dir_;
  LmdbOptions options_;
};

TEST_F(WriteAhead, BatchesLmdbLostComeBackFromTheFileOfAnOpenThatDidNotClose) {
  const ChildRun run = run_child(options_, 300);
  ASSERT_EQ(run.acks.size(), 300u);
  ASSERT_GT(run.wal_frames, 0u) << "no batch went through the file";
  ASSERT_EQ(files_in(wal_dir(), ".wal").size(), 1u);
  lose_lmdb_commits();

  auto log = testing::open_log(options_);
  Position acked_head = 0;
  for (const Ack& a : run.acks) acked_head = std::max<Position>(acked_head, a.last_position);
  ASSERT_EQ(log->head()->position, acked_head) << "not every acknowledged batch came back";
  for (const Ack& a : run.acks) {
    auto found = log->find_command(command_id(a.sequence));
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value()) << "acknowledged append " << a.sequence << " was lost";
    EXPECT_EQ((*found)->first_position, a.first_position);
  }
  const auto report = log->verify();
  ASSERT_TRUE(report.ok) << report.bad_position << ": " << report.reason;
  EXPECT_TRUE(files_in(wal_dir(), ".wal").empty()) << "the applied file was not removed";

  // The chain goes on from the batches put back.
  auto more = log->append(request("after", 2));
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more->first_position, acked_head + 1);
  EXPECT_TRUE(log->verify().ok);
}

TEST_F(WriteAhead, ADamagedFrameStopsTheReplayThereAndTheFileIsKept) {
  const ChildRun run = run_child(options_, 120);
  ASSERT_EQ(run.acks.size(), 120u);
  ASSERT_GT(run.wal_frames, 2u);
  const auto files = files_in(wal_dir(), ".wal");
  ASSERT_EQ(files.size(), 1u);
  // Damage the second frame: the first one's length says where it starts.
  {
    std::fstream wal(files[0], std::ios::in | std::ios::out | std::ios::binary);
    char header[WalFrame::header_bytes];
    wal.read(header, sizeof header);
    std::uint32_t body = 0;
    for (int i = 3; i >= 0; --i) body = (body << 8) | static_cast<unsigned char>(header[4 + i]);
    const auto second = static_cast<std::streamoff>(WalFrame::header_bytes + body);
    wal.seekg(second + WalFrame::header_bytes + 3);
    char byte = 0;
    wal.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x01);
    wal.seekp(second + WalFrame::header_bytes + 3);
    wal.write(&byte, 1);
  }
  lose_lmdb_commits();

  auto log = testing::open_log(options_);
  const auto report = log->verify();
  ASSERT_TRUE(report.ok) << report.bad_position << ": " << report.reason;
  Position acked_head = 0;
  for (const Ack& a : run.acks) acked_head = std::max<Position>(acked_head, a.last_position);
  EXPECT_GT(log->head()->position, 3u) << "the first frame was not applied";
  EXPECT_LT(log->head()->position, acked_head) << "frames after the damaged one were applied";
  EXPECT_TRUE(files_in(wal_dir(), ".wal").empty());
  EXPECT_EQ(files_in(wal_dir(), ".unapplied").size(), 1u) << "the damaged file was not kept";
}

TEST_F(WriteAhead, ABatchAfterAnotherProcessCommitIsSyncedInsteadOfFramed) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the child starts threads after fork() of a threaded parent, which TSan "
                  "does not support";
#endif
  auto log = testing::open_log(options_);
  ASSERT_TRUE(log->append(request("mine")).ok());
  const CommitStats first = commit_stats(*log);
  EXPECT_EQ(first.wal_frames, 1u) << "the first batch did not go through the file";

  // Another process commits between this open's batches.
  const pid_t child = fork();
  if (child == 0) {
    auto other = open_lmdb_event_log(options_);
    if (!other.ok()) _exit(2);
    if (!(*other)->append(request("theirs")).ok()) _exit(3);
    (*other)->close();
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  // A frame now would follow a hole (the other process's event is in no frame of this file):
  // this batch is made durable by syncing LMDB; the next one goes through the file again.
  auto after = log->append(request("mine"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->first_position, 6u);
  const CommitStats second = commit_stats(*log);
  EXPECT_EQ(second.wal_frames, first.wal_frames);
  EXPECT_EQ(second.explicit_syncs, first.explicit_syncs + 1);
  ASSERT_TRUE(log->append(request("mine")).ok());
  EXPECT_EQ(commit_stats(*log).wal_frames, first.wal_frames + 1);
}

TEST_F(WriteAhead, NoFileWithoutSyncOrWhenTurnedOff) {
  for (const bool nosync : {true, false}) {
    LmdbOptions options = options_;
    if (nosync) {
      options.durability = Durability::nosync;
    } else {
      options.write_ahead_bytes = 0;
    }
    auto log = testing::open_log(options);
    ASSERT_TRUE(log->append(request("s")).ok());
    EXPECT_EQ(commit_stats(*log).wal_frames, 0u);
    EXPECT_TRUE(files_in(wal_dir(), ".wal").empty());
    log->close();
  }
}

}  // namespace
}  // namespace rembuk::store
