// `rembuk import` end to end: the Padang example imports, a re-run changes nothing, and a
// rejected line makes the exit code non-zero.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine_fixture.hpp"

namespace rembuk::engine::testing {
namespace {

namespace json = boost::json;

struct ImportRun {
  int exit_code = -1;
  std::vector<std::string> lines;
};

ImportRun run_import(const std::string& data, const std::string& file) {
  std::string command = std::string(REMBUK_BINARY) + " import --data '" + data + "' '" + file + "'";
  ImportRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::string output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) run.lines.push_back(line);
  return run;
}

const std::string kPadang = std::string(REMBUK_SOURCE_DIR) + "/examples/masterplans/padang-2019.jsonl";

TEST(Import, PadangImportsAndReRunningChangesNothing) {
  TempDir dir;
  const std::string data = dir.str() + "/data";
  ImportRun first = run_import(data, kPadang);
  EXPECT_EQ(first.exit_code, 0);
  ASSERT_EQ(first.lines.size(), padang_lines().size());
  for (const auto& line : first.lines) {
    auto object = json::parse(line).as_object();
    EXPECT_EQ(object.at("status").as_string(), "ack") << line;
  }
  EXPECT_EQ(json::parse(first.lines.back()).at("version").to_number<std::uint64_t>(), 221u);

  ImportRun second = run_import(data, kPadang);
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_EQ(second.lines, first.lines);

  auto log = open_log(data);
  EXPECT_EQ(log->stream_info("padang-2019").value()->revision, 221u);
  EXPECT_EQ(log->head().value().position, 221u);
  EXPECT_TRUE(log->verify().ok);
}

TEST(Import, ARejectedCommandMakesTheExitCodeNonZero) {
  TempDir dir;
  const std::string file = dir.str() + "/bad.jsonl";
  {
    std::ofstream out(file);
    out << R"({"masterplan":"kota-uji","commandId":"a1","actor":{"user":"u","roles":["tim_pelaksana"]},"command":{"type":"CreateMasterplan","cityName":"Kota Uji","regionCode":"13.77","startYear":2020,"endYear":2025}})" << "\n";
    out << R"({"masterplan":"kota-uji","commandId":"a2","actor":{"user":"u","roles":["tim_pelaksana"]},"command":{"type":"SetMasterplanPeriod","startYear":2020,"endYear":2050}})" << "\n";
    out << "this is not json\n";
    out << R"({"masterplan":"kota-uji","commandId":"a3","actor":{"user":"u","roles":["tim_pelaksana"]},"baseVersion":1,"command":{"type":"SetVision","text":"Visi"}})" << "\n";
  }
  ImportRun run = run_import(dir.str() + "/data", file);
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.lines.size(), 4u);
  auto second = json::parse(run.lines[1]).as_object();
  EXPECT_EQ(second.at("status").as_string(), "reject");
  EXPECT_EQ(second.at("commandId").as_string(), "a2");
  EXPECT_EQ(second.at("code").as_string(), "masterplan.period_length");
  EXPECT_EQ(second.at("violations").as_array()[0].at("path").as_string(), "/command/startYear");
  EXPECT_EQ(json::parse(run.lines[2]).at("code").as_string(), "schema");
  EXPECT_EQ(json::parse(run.lines[3]).at("status").as_string(), "ack");
  EXPECT_EQ(json::parse(run.lines[3]).at("version").to_number<std::uint64_t>(), 2u);
}

}  // namespace
}  // namespace rembuk::engine::testing
