// A real LMDB log in a temporary folder, and the Padang example's envelopes.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "rembuk/engine/command_engine.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

#include "rembuk_test/temp_dir.hpp"

namespace rembuk::engine::testing {

class TempDir : public rembuk::testing::TempDir {
 public:
  TempDir() : rembuk::testing::TempDir("rembuk-engine-test") {}
};

inline std::unique_ptr<store::EventLog> open_log(const std::string& path) {
  store::LmdbOptions options;
  options.path = path;
  options.durability = store::Durability::nosync;
  auto log = store::open_lmdb_event_log(options);
  if (!log) {
    ADD_FAILURE() << log.error().message;
    std::abort();
  }
  return std::move(log).value();
}

inline std::vector<std::string> padang_lines() {
  std::ifstream in(std::string(REMBUK_SOURCE_DIR) + "/examples/masterplans/padang-2019.jsonl");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

inline CommandEnvelope envelope(std::string_view text) {
  auto parsed = parse_envelope_text(text);
  if (!parsed) {
    ADD_FAILURE() << "bad envelope " << text;
    std::abort();
  }
  return std::move(parsed).value();
}

inline std::string describe(const Outcome& outcome) {
  return boost::json::serialize(to_json(outcome));
}

}  // namespace rembuk::engine::testing
