#include "rembuk/plugins/plugin_cases.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace rembuk::plugins {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

Result<std::string, std::string> read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot open " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<PluginCase, std::string> parse_case(const std::string& text, const fs::path& dir,
                                           std::size_t line) {
  std::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec) return fail("not JSON: " + ec.message());
  if (!parsed.is_object()) return fail(std::string("a case is a JSON object"));
  const auto& o = parsed.get_object();
  PluginCase c;
  c.line = line;
  c.name = "line " + std::to_string(line);
  if (const auto* name = o.if_contains("name")) {
    if (!name->is_string()) return fail(std::string("\"name\" is not a string"));
    c.name = std::string(name->get_string());
  }
  const auto* command = o.if_contains("command");
  if (command == nullptr || !command->is_object()) {
    return fail(std::string("\"command\" is missing or not an object"));
  }
  const auto* type = command->get_object().if_contains("type");
  if (type == nullptr || !type->is_string()) {
    return fail(std::string("\"command\" has no string \"type\""));
  }
  c.command_type = std::string(type->get_string());
  c.command_json = json::serialize(*command);

  if (const auto* state = o.if_contains("state")) {
    if (!state->is_object()) return fail(std::string("\"state\" is not an object"));
    c.state_json = json::serialize(*state);
  } else if (const auto* state_file = o.if_contains("stateFile")) {
    if (!state_file->is_string()) return fail(std::string("\"stateFile\" is not a string"));
    const fs::path path = dir / std::string(state_file->get_string());
    auto text_of = read_file(path);
    if (!text_of) return fail(text_of.error());
    json::value from_file = json::parse(*text_of, ec);
    if (ec || !from_file.is_object()) return fail(path.string() + " is not a JSON object");
    c.state_json = json::serialize(from_file);  // the same canonical text as inline states
  } else {
    return fail(std::string("needs \"state\" or \"stateFile\""));
  }

  const auto* expect = o.if_contains("expect");
  if (expect != nullptr && expect->is_string() && expect->get_string() == "accept") {
    c.expect_accept = true;
  } else if (expect != nullptr && expect->is_object() &&
             expect->get_object().if_contains("reject") != nullptr &&
             expect->get_object().at("reject").is_array() &&
             !expect->get_object().at("reject").get_array().empty()) {
    c.expect_accept = false;
    for (const auto& code : expect->get_object().at("reject").get_array()) {
      if (!code.is_string()) return fail(std::string("\"expect.reject\" holds a non-string"));
      c.expect_codes.emplace_back(code.get_string());
    }
  } else {
    return fail(std::string(R"("expect" must be "accept" or {"reject": ["code", ...]})"));
  }
  return c;
}

}  // namespace

Result<std::vector<PluginCase>, std::string> read_plugin_cases(const fs::path& file) {
  auto text = read_file(file);
  if (!text) return fail(text.error());
  std::vector<PluginCase> cases;
  std::istringstream lines(*text);
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#' || line.compare(first, 2, "//") == 0) {
      continue;
    }
    auto c = parse_case(line, file.parent_path(), number);
    if (!c) return fail(file.string() + ":" + std::to_string(number) + ": " + c.error());
    cases.push_back(std::move(c).value());
  }
  if (cases.empty()) return fail(file.string() + ": no cases");
  return cases;
}

CaseResult run_plugin_case(const PluginHost& host, const LoadedPlugin& plugin,
                           const PluginCase& c) {
  CaseResult result;
  const auto start = std::chrono::steady_clock::now();
  const auto outcome = host.validate_text(plugin, c.command_type, c.command_json, c.state_json);
  result.elapsed = std::chrono::steady_clock::now() - start;
  if (outcome.failure == model::ValidatorFailure::error) {
    result.codes = {"plugin_error"};
    result.failure_message = outcome.failure_message;
  } else if (outcome.failure == model::ValidatorFailure::timeout) {
    result.codes = {"plugin_timeout"};
    result.failure_message = outcome.failure_message;
  } else {
    for (const auto& v : outcome.violations) result.codes.push_back(v.code);
  }
  if (c.expect_accept) {
    result.passed = result.codes.empty();
  } else {
    auto expected = c.expect_codes;
    auto actual = result.codes;
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    result.passed = expected == actual;
  }
  return result;
}

}  // namespace rembuk::plugins
