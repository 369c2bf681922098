#include "rembuk/plugins/plugin_cases.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

using testing::TempDir;

std::filesystem::path write(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto path = dir.path() / name;
  std::ofstream(path) << text;
  return path;
}

HostOptions options() {
  HostOptions o;
  o.budget = std::chrono::milliseconds(100);
  return o;
}

TEST(PluginCases, ReadsInlineAndFileStatesAndSkipsComments) {
  TempDir dir;
  write(dir, "state.json", R"({"cityName": "Kota Padang"})");
  const auto file = write(dir, "cases.jsonl",
                          "# comment\n\n"
                          R"({"name": "a", "state": {}, "command": {"type": "AddProgram"}, "expect": "accept"})"
                          "\n"
                          R"({"stateFile": "state.json", "command": {"type": "AddProgram"}, "expect": {"reject": ["x.y"]}})"
                          "\n");
  auto cases = read_plugin_cases(file);
  ASSERT_TRUE(cases.ok()) << cases.error();
  ASSERT_EQ(cases->size(), 2u);
  EXPECT_EQ((*cases)[0].name, "a");
  EXPECT_TRUE((*cases)[0].expect_accept);
  EXPECT_EQ((*cases)[1].name, "line 4");
  EXPECT_EQ((*cases)[1].state_json, R"({"cityName":"Kota Padang"})");
  EXPECT_EQ((*cases)[1].expect_codes, std::vector<std::string>{"x.y"});
}

TEST(PluginCases, ABrokenLineIsNamed) {
  TempDir dir;
  const auto file = write(dir, "cases.jsonl",
                          R"({"state": {}, "command": {"type": "AddProgram"}, "expect": "accept"})"
                          "\n"
                          R"({"state": {}, "command": {}, "expect": "accept"})"
                          "\n");
  auto cases = read_plugin_cases(file);
  ASSERT_FALSE(cases.ok());
  EXPECT_EQ(cases.error(), file.string() + ":2: \"command\" has no string \"type\"");
}

TEST(PluginCases, ComparesCodesAndReportsFailures) {
  auto loaded = PluginHost::check(FIXTURE_GOOD_PATH, options());
  ASSERT_TRUE(loaded.ok());
  const PluginHost host(options());
  auto make = [](const std::string& fixture, bool accept, std::vector<std::string> codes) {
    PluginCase c;
    c.command_type = "AddProgram";
    c.command_json = R"({"type":"AddProgram","fixture":")" + fixture + R"(","sleepMs":300})";
    c.state_json = "{}";
    c.expect_accept = accept;
    c.expect_codes = std::move(codes);
    return c;
  };
  EXPECT_TRUE(run_plugin_case(host, **loaded, make("accept", true, {})).passed);
  EXPECT_TRUE(run_plugin_case(host, **loaded, make("reject", false, {"fixture_good.rejected"})).passed);
  // A wrong expectation fails, and says what really happened.
  const auto wrong = run_plugin_case(host, **loaded, make("reject", true, {}));
  EXPECT_FALSE(wrong.passed);
  EXPECT_EQ(wrong.codes, std::vector<std::string>{"fixture_good.rejected"});
  EXPECT_FALSE(run_plugin_case(host, **loaded, make("accept", false, {"fixture_good.rejected"})).passed);
  const auto thrown = run_plugin_case(host, **loaded, make("throw", false, {"plugin_error"}));
  EXPECT_TRUE(thrown.passed);
  EXPECT_NE(thrown.failure_message.find("boom"), std::string::npos);
  EXPECT_TRUE(run_plugin_case(host, **loaded, make("sleep", false, {"plugin_timeout"})).passed);
}

}  // namespace
}  // namespace rembuk::plugins
