// TempDir: a fresh folder under the system temp directory for one test, removed with
// everything in it when the object goes. Shared by every test folder (tests/CMakeLists.txt
// puts tests/support on the include path).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace rembuk::testing {

class TempDir {
 public:
  // `prefix` names the folder (e.g. rembuk-store-test-AbC123), so a leftover says whose it is.
  explicit TempDir(std::string_view prefix = "rembuk-test") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace rembuk::testing
