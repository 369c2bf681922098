// create_private_file: mode 0600, whole or nothing, the first of many concurrent creators wins.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "rembuk/common/private_file.hpp"

namespace rembuk {
namespace {

namespace fs = std::filesystem;

class PrivateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "rembuk-common-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  std::size_t files() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }
  fs::path dir_;
};

TEST_F(PrivateFileTest, CreatesWithMode0600AndLeavesAnExistingFileAlone) {
  const auto path = dir_ / "secret";
  auto first = create_private_file(path, "rahasia-pertama");
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(*first, PrivateFile::created);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto second = create_private_file(path, "rahasia-kedua");
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(*second, PrivateFile::already_there);
  EXPECT_EQ(read(path), "rahasia-pertama");
  EXPECT_EQ(files(), 1u) << "a staging file was left behind";
}

TEST_F(PrivateFileTest, OfManyCreatorsAtOnceOneWinsAndEveryReaderSeesTheWholeFile) {
  const auto path = dir_ / "audit-key";
  constexpr int kThreads = 16;
  // Large enough that a reader of a file still being written would see part of it.
  auto content = [](int i) { return std::string(256 * 1024, static_cast<char>('a' + i)); };
  std::atomic<int> created{0};
  std::atomic<int> winner{-1};
  std::atomic<int> torn{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      auto result = create_private_file(path, content(i));
      ASSERT_TRUE(result.ok()) << result.error();
      if (*result == PrivateFile::created) {
        ++created;
        winner = i;
      } else {
        // Whoever lost reads the file at once: it must be complete.
        if (read(path).size() != content(0).size()) ++torn;
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(torn.load(), 0);
  ASSERT_GE(winner.load(), 0);
  EXPECT_EQ(read(path), content(winner.load()));
  EXPECT_EQ(files(), 1u);
}

TEST_F(PrivateFileTest, AFolderThatCannotBeWrittenIsAnErrorNamingTheFile) {
  auto result = create_private_file(dir_ / "no-such-folder" / "secret", "x");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("no-such-folder"), std::string::npos) << result.error();
}

}  // namespace
}  // namespace rembuk
