// A fresh directory under the system temp dir, removed with everything in it.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace rembuk::plugins::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("rembuk-plugins-test-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Copies `library` into the directory as `name` (overwriting) and returns the new path.
  std::filesystem::path put(const std::filesystem::path& library, const std::string& name) const {
    const auto target = path_ / name;
    // Replace, never rewrite in place: a loaded image must not change under the host.
    const auto tmp = path_ / (name + ".tmp");
    std::filesystem::copy_file(library, tmp, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(tmp, target);
    return target;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace rembuk::plugins::testing
