// A fresh directory under the system temp dir, removed with everything in it.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "rembuk_test/temp_dir.hpp"

namespace rembuk::plugins::testing {

class TempDir : public rembuk::testing::TempDir {
 public:
  TempDir() : rembuk::testing::TempDir("rembuk-plugins-test") {}

  // Copies `library` into the directory as `name` (overwriting) and returns the new path.
  std::filesystem::path put(const std::filesystem::path& library, const std::string& name) const {
    const auto target = path() / name;
    // Replace, never rewrite in place: a loaded image must not change under the host.
    const auto tmp = path() / (name + ".tmp");
    std::filesystem::copy_file(library, tmp, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(tmp, target);
    return target;
  }
};

}  // namespace rembuk::plugins::testing
