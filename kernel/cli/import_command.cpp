// `rembuk import --data DIR [--plugins DIR] FILE.jsonl`: applies commands from a file, one
// envelope a line (docs/commands.md, "The envelope"), through the same CommandEngine a
// WebSocket client uses, and prints one JSON line per command:
//   {"commandId":…,"status":"ack","version":…}
//   {"commandId":…,"status":"reject","code":…,"message":…,"violations":[…]}
// Re-running a file changes nothing: known command ids get their original ack.
// With --plugins the city plugins are loaded as `rembuk serve --plugins` loads them, so a
// seed may enable a plugin and use its pillars and rules; without it `EnablePlugin` is
// rejected (unknown plugin), as on a server started without plugins.
// Exit 0 when every command was accepted, 1 when any was rejected, 2 when the log or the
// file cannot be opened.
#include <cstdio>
#include <deque>
#include <fstream>
#include <future>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "commands.hpp"
#include "rembuk/engine/command_engine.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#if __has_include("rembuk/plugins/plugin_host.hpp") && __has_include("rembuk/model/dimensions.hpp")
#include "rembuk/model/dimensions.hpp"
#include "rembuk/plugins/plugin_host.hpp"
#define REMBUK_IMPORT_HAVE_PLUGINS 1
#else
#define REMBUK_IMPORT_HAVE_PLUGINS 0
#endif

namespace rembuk::cli {

namespace {

constexpr std::size_t kWindow = 1024;  // commands in flight (group commit batches them)

// A line that is not a valid envelope: reject it without touching the log.
boost::json::object reject_line(std::size_t line_number, std::string_view text,
                                const model::Rejection& rejection) {
  engine::Outcome outcome;
  boost::json::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (!ec && value.is_object()) {
    if (const auto* id = value.get_object().if_contains("commandId"); id && id->is_string()) {
      outcome.command_id = std::string(id->get_string());
    }
  }
  outcome.code = rejection.code;
  outcome.message = rejection.message + " (line " + std::to_string(line_number) + ")";
  outcome.violations = rejection.violations;
  return engine::to_json(outcome);
}

int run_import(const std::string& data, const std::string& file,
               const std::string& plugin_dir) {
  std::ifstream in(file);
  if (!in) {
    std::fprintf(stderr, "rembuk import: cannot read %s\n", file.c_str());
    return 2;
  }
  const model::Extensions* extensions = nullptr;
#if REMBUK_IMPORT_HAVE_PLUGINS
  std::unique_ptr<plugins::PluginHost> host;
  if (!plugin_dir.empty()) {
    plugins::HostOptions host_options;
    for (const auto& d : model::national_dimensions()) {
      host_options.national_pillar_ids.push_back(d.id);
    }
    host = std::make_unique<plugins::PluginHost>(host_options);
    const auto report = host->load_directory(plugin_dir);
    // A refused plugin is reported but does not stop the import: its EnablePlugin
    // commands are then rejected one by one, which the exit code reports.
    for (const auto& refused : report.refused) {
      std::fprintf(stderr, "rembuk import: plugin refused: %s\n", refused.line().c_str());
    }
    extensions = host.get();
  }
#else
  if (!plugin_dir.empty()) {
    std::fprintf(stderr, "rembuk import: this build has no plugin host\n");
    return 2;
  }
#endif
  store::LmdbOptions options;
  options.path = data;
  auto log = store::open_lmdb_event_log(options);
  if (!log.ok()) {
    std::fprintf(stderr, "rembuk import: cannot open %s: %s\n", data.c_str(),
                 log.error().message.c_str());
    return 2;
  }
  bool any_rejected = false;
  {
    engine::CommandEngine engine(**log, extensions);
    // Results print in file order; up to kWindow commands are in flight at once.
    std::deque<std::future<boost::json::object>> pending;
    auto print_front = [&] {
      boost::json::object line = pending.front().get();
      pending.pop_front();
      if (line.at("status").as_string() != "ack") any_rejected = true;
      std::printf("%s\n", boost::json::serialize(line).c_str());
    };
    std::string text;
    std::size_t line_number = 0;
    while (std::getline(in, text)) {
      ++line_number;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto envelope = engine::parse_envelope_text(text);
      auto promise = std::make_shared<std::promise<boost::json::object>>();
      pending.push_back(promise->get_future());
      if (!envelope) {
        promise->set_value(reject_line(line_number, text, envelope.error()));
      } else {
        engine.submit(std::move(envelope).value(), [promise](engine::Outcome outcome) {
          promise->set_value(engine::to_json(outcome));
        });
      }
      while (pending.size() >= kWindow) print_front();
    }
    while (!pending.empty()) print_front();
  }
  std::fflush(stdout);
  return any_rejected ? 1 : 0;
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "import", "Apply commands from a JSON-lines file, one envelope a line, as a client would");
  auto data = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  auto plugin_dir = std::make_shared<std::string>();
  command->add_option("--data", *data, "Folder of the event log (created if missing)")->required();
  command->add_option("--plugins", *plugin_dir,
                      "Folder of city plugins (*.so), loaded as `rembuk serve` loads them");
  command->add_option("file", *file, "FILE.jsonl: one command envelope per line")->required();
  command->callback([data, file, plugin_dir] {
    int code = run_import(*data, *file, *plugin_dir);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace rembuk::cli
