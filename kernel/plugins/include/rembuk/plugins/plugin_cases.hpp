// Plugin cases: the test harness behind `rembuk plugin test PLUGIN.so CASES.jsonl`.
//
// A case file is JSON Lines, one case per line (blank lines and lines starting with "#" or
// "//" are skipped):
//
//   {"name": "coastal program without BPBD",            (optional; defaults to "line N")
//    "state": {...}            or  "stateFile": "states/draft.json",   (relative to the file)
//    "command": {"type": "AddProgram", ...},
//    "expect": "accept"        or  {"reject": ["padang.coastal_program_needs_bpbd", ...]}}
//
// Running a case calls the plugin's validators that want the command's type with the
// command and state, exactly as the host does inside decide (same serialisation, same
// budget, same failure mapping): the outcome is "accept" (no violation), the list of
// violation codes, or "plugin_error" / "plugin_timeout". Expected and actual codes are
// compared as multisets (order does not matter, repetitions do). National rules are not run:
// a case tests the plugin's own rules.
//
// Thread safety: plain functions over values; run cases of one plugin from one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "rembuk/common/result.hpp"
#include "rembuk/plugins/plugin_host.hpp"

namespace rembuk::plugins {

struct PluginCase {
  std::size_t line = 0;
  std::string name;
  std::string command_type;
  std::string command_json;
  std::string state_json;
  bool expect_accept = true;
  std::vector<std::string> expect_codes;  // when !expect_accept
};

struct CaseResult {
  bool passed = false;
  std::vector<std::string> codes;  // actual: violation codes, or plugin_error/plugin_timeout
  std::string failure_message;     // the host's message for plugin_error/plugin_timeout
  std::chrono::nanoseconds elapsed{0};  // the whole validate call, serialisation included
};

// Reads every case. The error names the file, the line and what is wrong with it.
Result<std::vector<PluginCase>, std::string> read_plugin_cases(const std::filesystem::path& file);

CaseResult run_plugin_case(const PluginHost& host, const LoadedPlugin& plugin,
                           const PluginCase& c);

}  // namespace rembuk::plugins
