// WorkDir: the folder a scenario writes in — a temporary one removed at exit, or the one
// the user named (kept).
#pragma once

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace rembuk::bench {

class WorkDir {
 public:
  explicit WorkDir(const std::string& given) : keep_(!given.empty()) {
    if (keep_) {
      path_ = given;
      return;
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "rembuk-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::fprintf(stderr, "rembuk-bench: cannot create a temporary folder\n");
      std::exit(1);
    }
    path_ = pattern;
  }
  ~WorkDir() {
    std::error_code ec;
    if (!keep_) std::filesystem::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool keep_;
};

}  // namespace rembuk::bench
