// Test fixture of tests/documents: a real LMDB log in a temp folder with a settable commit
// clock, and the Padang example (examples/masterplans/padang-2019.jsonl) imported through the
// real CommandEngine, one command per simulated hour.
#pragma once

#include <stdlib.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "rembuk/engine/command_engine.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

#include "rembuk_test/temp_dir.hpp"

namespace rembuk::documents::testing {

class TempDir : public rembuk::testing::TempDir {
 public:
  TempDir() : rembuk::testing::TempDir("rembuk-documents") {}
};

inline constexpr std::int64_t padang_start_us = 1'551'427'200'000'000;  // 2019-03-01T08:00Z
inline constexpr std::int64_t hour_us = 3'600'000'000;

struct TestClock {
  std::atomic<std::int64_t> now_us{padang_start_us};
};

inline std::unique_ptr<store::EventLog> open_log(const std::string& path, TestClock* clock) {
  store::LmdbOptions options;
  options.path = path;
  options.durability = store::Durability::nosync;
  if (clock != nullptr) options.clock = [clock] { return clock->now_us.load(); };
  auto log = store::open_lmdb_event_log(options);
  if (!log.ok()) std::abort();
  return std::move(log).value();
}

// Submits one envelope (a JSON line); returns the rejection code, or "" when accepted.
inline std::string submit_line(engine::CommandEngine& engine, const std::string& line) {
  auto envelope = engine::parse_envelope_text(line);
  if (!envelope) return "parse: " + envelope.error().message;
  auto outcome = engine.submit_sync(std::move(*envelope));
  return outcome.accepted ? std::string() : outcome.code + ": " + outcome.message;
}

inline void import_padang(store::EventLog& log, TestClock& clock) {
  engine::CommandEngine engine(log, nullptr);
  std::ifstream file(REMBUK_PADANG_EXAMPLE);
  ASSERT_TRUE(file) << REMBUK_PADANG_EXAMPLE;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty()) continue;
    ASSERT_EQ(submit_line(engine, line), "") << line;
    clock.now_us += hour_us;
  }
}

}  // namespace rembuk::documents::testing
