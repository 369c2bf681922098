// Shared test fixtures: a temporary folder removed at the end, and short request builders.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "rembuk-store-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline LmdbOptions options_for(const TempDir& dir) {
  LmdbOptions options;
  options.path = (dir.path() / "log").string();
  options.durability = Durability::nosync;  // process crashes keep the page cache
  return options;
}

inline std::unique_ptr<EventLog> open_log(const LmdbOptions& options) {
  auto log = open_lmdb_event_log(options);
  if (!log.ok()) {
    ADD_FAILURE() << "open failed: " << log.error().message;
    std::abort();
  }
  return std::move(log).value();
}

inline EventData event(std::string type, std::string payload = "{}") {
  EventData e;
  e.type = std::move(type);
  e.payload = std::move(payload);
  return e;
}

inline AppendRequest request(std::string stream, int events = 1,
                             ExpectedRevision expected = ExpectedRevision::any(),
                             std::string command_id = "") {
  AppendRequest r;
  r.stream = std::move(stream);
  r.expected = expected;
  r.command_id = std::move(command_id);
  r.actor = "tester";
  for (int i = 0; i < events; ++i) {
    r.events.push_back(event("Happened", "{\"i\":" + std::to_string(i) + "}"));
  }
  return r;
}

// Waits for `done()` with a deadline, polling a condition instead of sleeping a fixed time.
template <typename Pred>
bool eventually(Pred done, std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace rembuk::store::testing
