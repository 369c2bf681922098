// `rembuk plugin check FILE.so`: loads a plugin on its own and prints its descriptor, or the
// exact reason it cannot load (exit 1).
// `rembuk plugin test PLUGIN.so CASES.jsonl`: the plugin author's harness. Runs every case
// (see rembuk/plugins/plugin_cases.hpp for the format) through the plugin's validators as
// the host would inside decide, prints one line per case, exits 0 when all pass, 1 when one
// fails, 2 when the plugin or the case file cannot be read. Meant for the author's CI.
// `rembuk plugin audit --data DIR --masterplan ID [--plugins DIR] [--json]`: for every event
// of a masterplan, the plugin versions (name, version, SHA-256) that its log records as
// enabled when the event was decided, from its PluginEnabled/PluginDisabled events; with
// --plugins, also what is installed now and whether it is another build. A replay years
// later reads here which rules applied.
// `rembuk plugin worker FILE SHA256 [--staging DIR]`: started by the host for an isolated
// plugin (rembuk/plugins/plugin_worker.hpp); not for people, so hidden from --help.
// `rembuk plugin reload --data DIR`: makes the `rembuk serve` running on DIR reload its
// plugins (SIGHUP to the pid in DIR/serve.pid; see rembuk/plugins/hangup_reload.hpp) and
// prints what the reload did; exit 0, 1 when a file was refused, 2 when no server answered.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "commands.hpp"
#include "rembuk/model/dimensions.hpp"
#include "rembuk/plugins/hangup_reload.hpp"
#include "rembuk/plugins/plugin_audit.hpp"
#include "rembuk/plugins/plugin_cases.hpp"
#include "rembuk/plugins/plugin_worker.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#include "rembuk/plugins/plugin_host.hpp"

namespace rembuk::cli {
namespace {

plugins::HostOptions host_options(double budget_ms) {
  plugins::HostOptions options;
  for (const auto& dimension : model::national_dimensions()) {
    options.national_pillar_ids.push_back(dimension.id);
  }
  options.budget = std::chrono::microseconds(static_cast<long long>(budget_ms * 1000));
  return options;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

void print_descriptor(const plugins::LoadedPlugin& plugin) {
  const auto& d = plugin.description();
  std::printf("%s %s\n", d.name.c_str(), d.version.c_str());
  std::printf("  file:       %s\n", plugin.file().c_str());
  std::printf("  sha256:     %s\n", plugin.sha256().c_str());
  std::printf("  city:       %s %s\n", d.region_code.c_str(), d.region_name.c_str());
  if (!d.description.empty()) std::printf("  about:      %s\n", d.description.c_str());
  std::printf("  pillars:    %zu\n", d.pillars.size());
  for (const auto& p : d.pillars) {
    std::printf("    %s: %s / %s\n", p.id.c_str(), p.name_id.c_str(), p.name_en.c_str());
    for (const auto& e : p.elements) {
      std::printf("      - %s: %s / %s\n", e.id.c_str(), e.name_id.c_str(), e.name_en.c_str());
    }
  }
  std::printf("  validators: %zu\n", d.validators.size());
  for (const auto& v : d.validators) {
    std::printf("    %s on %s\n", v.name.c_str(), join(v.command_types).c_str());
  }
}

std::shared_ptr<const plugins::LoadedPlugin> load_or_exit(const std::string& file,
                                                          const plugins::HostOptions& options,
                                                          const char* command) {
  auto loaded = plugins::PluginHost::check(file, options);
  if (!loaded) {
    std::fprintf(stderr, "rembuk plugin %s: %s\n", command, loaded.error().line().c_str());
    throw CLI::RuntimeError(command == std::string("check") ? 1 : 2);
  }
  return std::move(loaded).value();
}

struct AuditArgs {
  std::string data;
  std::string masterplan;
  std::string plugins;
  bool json = false;
};

std::string short_identity(const model::PluginIdentity& p) {
  return p.name + " " + p.version + " (sha256 " + p.sha256.substr(0, 12) + ")";
}

void audit(const AuditArgs& args) {
  store::LmdbOptions options;
  options.path = args.data;
  options.create_if_missing = false;
  auto log = store::open_lmdb_event_log(options);
  if (!log) {
    std::fprintf(stderr, "rembuk plugin audit: cannot open %s: %s\n", args.data.c_str(),
                 log.error().message.c_str());
    throw CLI::RuntimeError(2);
  }
  // What is installed now, by plugin name (refused files are reported, not fatal).
  std::vector<model::PluginIdentity> installed;
  if (!args.plugins.empty()) {
    plugins::PluginHost host(host_options(50));
    const auto report = host.load_directory(args.plugins);
    for (const auto& r : report.refused) {
      std::fprintf(stderr, "rembuk plugin audit: refused: %s\n", r.line().c_str());
    }
    for (const auto& p : host.plugins()) installed.push_back(p->identity());
  }
  auto installed_as = [&](const std::string& name) -> const model::PluginIdentity* {
    for (const auto& p : installed) {
      if (p.name == name) return &p;
    }
    return nullptr;
  };

  std::vector<plugins::LoggedEvent> events;
  for (store::Revision from = 1;;) {
    auto page = (*log)->read_stream(args.masterplan, from, 4096);
    if (!page) {
      std::fprintf(stderr, "rembuk plugin audit: %s\n", page.error().message.c_str());
      throw CLI::RuntimeError(2);
    }
    if (page->empty()) break;
    for (auto& e : *page) {
      events.push_back({e.revision, std::move(e.type), e.time_us, std::move(e.payload)});
      from = e.revision + 1;
    }
  }
  if (events.empty()) {
    std::fprintf(stderr, "rembuk plugin audit: no masterplan %s in %s\n", args.masterplan.c_str(),
                 args.data.c_str());
    throw CLI::RuntimeError(1);
  }
  const auto audited = plugins::audit_events(events, plugins::read_plugin_journal(args.data));

  auto identity_json = [](const model::PluginIdentity& p) {
    return boost::json::object{{"name", p.name}, {"version", p.version}, {"sha256", p.sha256}};
  };
  boost::json::array out;
  std::size_t differing = 0;
  for (const auto& a : audited) {
    boost::json::array decided_by, served_by;
    std::string text;
    for (std::size_t i = 0; i < a.recorded.size(); ++i) {
      const auto& recorded = a.recorded[i];
      const auto& served = a.served[i];
      decided_by.push_back(identity_json(recorded));
      served_by.push_back(served ? boost::json::value(identity_json(*served))
                                 : boost::json::value());
      text += (text.empty() ? "" : ", ") + short_identity(recorded);
      if (served && served->sha256 != recorded.sha256) {
        ++differing;
        text += " [served by " + short_identity(*served) + "]";
      }
    }
    if (args.json) {
      out.push_back(boost::json::object{{"version", a.revision},
                                        {"type", a.type},
                                        {"timeUs", a.time_us},
                                        {"decidedBy", std::move(decided_by)},
                                        {"servedBy", std::move(served_by)}});
    } else {
      std::printf("%8llu  %-24s %s\n", static_cast<unsigned long long>(a.revision),
                  a.type.c_str(), text.empty() ? "-" : text.c_str());
    }
  }
  if (!args.json && differing > 0) {
    std::printf("%zu event(s) served by another build than the one recorded (hot reload or "
                "restart with a new file; see docs/plugins.md, Auditing)\n",
                differing);
  }
  const auto enabled = plugins::enabled_after(events);
  boost::json::array now;
  for (const auto& p : enabled) {
    const auto* inst = installed_as(p.name);
    boost::json::object entry{{"name", p.name}, {"recorded", boost::json::object{
        {"version", p.version}, {"sha256", p.sha256}}}};
    if (!args.plugins.empty()) {
      entry["installed"] = inst == nullptr ? boost::json::value()
                                           : boost::json::object{{"version", inst->version},
                                                                 {"sha256", inst->sha256}};
      entry["sameBuild"] = inst != nullptr && inst->sha256 == p.sha256;
    }
    if (!args.json) {
      std::printf("enabled now: %s", short_identity(p).c_str());
      if (!args.plugins.empty()) {
        if (inst == nullptr) std::printf("; not installed in %s", args.plugins.c_str());
        else if (inst->sha256 == p.sha256) std::printf("; installed: the same build");
        else std::printf("; installed: another build, %s", short_identity(*inst).c_str());
      }
      std::printf("\n");
    }
    now.push_back(std::move(entry));
  }
  if (args.json) {
    std::printf("%s\n", boost::json::serialize(boost::json::object{
                             {"masterplan", args.masterplan},
                             {"events", std::move(out)},
                             {"enabled", std::move(now)}}).c_str());
  }
}

}  // namespace

void add_plugin_command(CLI::App& app) {
  auto* plugin = app.add_subcommand("plugin", "Check and test city plugins");
  plugin->require_subcommand(1);

  auto* check = plugin->add_subcommand("check", "Load a plugin and print its descriptor");
  auto check_file = std::make_shared<std::string>();
  check->add_option("file", *check_file, "The plugin library (.so)")->required();
  check->callback([check_file] {
    const auto loaded = load_or_exit(*check_file, host_options(50), "check");
    print_descriptor(*loaded);
  });

  auto* test = plugin->add_subcommand("test", "Run a plugin's cases (JSON Lines)");
  auto test_file = std::make_shared<std::string>();
  auto cases_file = std::make_shared<std::string>();
  auto budget_ms = std::make_shared<double>(50);
  test->add_option("plugin", *test_file, "The plugin library (.so)")->required();
  test->add_option("cases", *cases_file, "The cases file (.jsonl)")->required();
  test->add_option("--budget-ms", *budget_ms, "Time budget per validator call")
      ->capture_default_str();
  test->callback([test_file, cases_file, budget_ms] {
    const auto options = host_options(*budget_ms);
    const auto loaded = load_or_exit(*test_file, options, "test");
    auto cases = plugins::read_plugin_cases(*cases_file);
    if (!cases) {
      std::fprintf(stderr, "rembuk plugin test: %s\n", cases.error().c_str());
      throw CLI::RuntimeError(2);
    }
    const plugins::PluginHost host(options);  // runs validators with the host's rules
    std::printf("%s %s (sha256 %.12s) from %s\n", loaded->name().c_str(),
                loaded->description().version.c_str(), loaded->sha256().c_str(),
                test_file->c_str());
    std::size_t failed = 0;
    for (const auto& c : *cases) {
      const auto result = plugins::run_plugin_case(host, *loaded, c);
      const std::string actual = result.codes.empty() ? "accept" : "reject [" + join(result.codes) + "]";
      const std::string expected =
          c.expect_accept ? "accept" : "reject [" + join(c.expect_codes) + "]";
      const double us = static_cast<double>(result.elapsed.count()) / 1e3;
      if (result.passed) {
        std::printf("ok    %-4zu %-60s %s  (%.0f us)\n", c.line, c.name.c_str(), actual.c_str(),
                    us);
      } else {
        ++failed;
        std::printf("FAIL  %-4zu %s\n        expected %s\n        got      %s\n", c.line,
                    c.name.c_str(), expected.c_str(), actual.c_str());
        if (!result.failure_message.empty()) {
          std::printf("        because  %s\n", result.failure_message.c_str());
        }
      }
    }
    std::printf("%zu cases: %zu passed, %zu failed\n", cases->size(), cases->size() - failed,
                failed);
    if (failed > 0) throw CLI::RuntimeError(1);
  });

  auto* reload = plugin->add_subcommand("reload", "Make a running rembuk serve reload its plugins");
  auto data = std::make_shared<std::string>("./rembuk-data");
  auto timeout_ms = std::make_shared<long>(30000);
  auto as_json = std::make_shared<bool>(false);
  reload->add_option("--data", *data, "The data folder of the running server")
      ->capture_default_str();
  reload->add_option("--timeout-ms", *timeout_ms, "How long to wait for the server's report")
      ->capture_default_str();
  reload->add_flag("--json", *as_json, "Print the report file's JSON");
  reload->callback([data, timeout_ms, as_json] {
    auto report = plugins::request_reload(*data, std::chrono::milliseconds(*timeout_ms));
    if (!report) {
      std::fprintf(stderr, "rembuk plugin reload: %s\n", report.error().c_str());
      throw CLI::RuntimeError(2);
    }
    const auto& r = *report;
    const auto* refused = r.if_contains("refused");
    const bool any_refused = refused != nullptr && refused->is_array() && !refused->as_array().empty();
    if (*as_json) {
      std::printf("%s\n", boost::json::serialize(r).c_str());
    } else {
      auto list = [&](const char* key, const char* verb) {
        const auto* items = r.if_contains(key);
        if (items == nullptr || !items->is_array()) return;
        for (const auto& item : items->as_array()) {
          if (item.is_object()) {
            const auto& p = item.as_object();
            std::printf("%s %s %s (sha256 %.12s)\n", verb, p.at("name").as_string().c_str(),
                        p.at("version").as_string().c_str(), p.at("sha256").as_string().c_str());
          } else if (item.is_string()) {
            std::printf("%s %s\n", verb, item.as_string().c_str());
          }
        }
      };
      list("loaded", "loaded ");
      list("kept", "kept   ");
      list("dropped", "dropped");
      list("refused", "refused");
      std::printf("generation %s\n", boost::json::serialize(r.at("generation")).c_str());
    }
    if (any_refused) throw CLI::RuntimeError(1);
  });

  auto* audit_command = plugin->add_subcommand(
      "audit", "Which plugin versions the log records for each event of a masterplan");
  auto audit_args = std::make_shared<AuditArgs>();
  audit_command->add_option("--data", audit_args->data, "Folder of the event log")->required();
  audit_command->add_option("--masterplan", audit_args->masterplan, "Masterplan id")->required();
  audit_command->add_option("--plugins", audit_args->plugins,
                            "Compare with the plugins installed in this folder");
  audit_command->add_flag("--json", audit_args->json, "Print JSON");
  audit_command->callback([audit_args] { audit(*audit_args); });

  auto* worker = plugin->add_subcommand("worker", "Run an isolated plugin's validators (host use)");
  worker->group("");  // hidden: the host starts it
  auto worker_file = std::make_shared<std::string>();
  auto worker_sha = std::make_shared<std::string>();
  auto worker_staging = std::make_shared<std::string>();
  worker->add_option("file", *worker_file, "The plugin library (.so)")->required();
  worker->add_option("sha256", *worker_sha, "The SHA-256 the host loaded")->required();
  worker->add_option("--staging", *worker_staging, "Where to stage the library copy");
  worker->callback([worker_file, worker_sha, worker_staging] {
    // Only stdin/stdout (the host's socket) and stderr: whatever else the server had open
    // (listening sockets, the LMDB files) must not stay open in a plugin's process.
    ::close_range(3, ~0u, 0);
    const int code = plugins::run_plugin_worker(*worker_file, *worker_sha, *worker_staging,
                                                STDIN_FILENO, STDOUT_FILENO);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace rembuk::cli
