// plugin-isolation: what running a plugin's validators in a worker process costs per
// validation. The real Padang plugin, a realistic state (plugins/padang/tests/states/
// complete.json, 168 lines of JSON) and an AddProgram into its coastal pillar are validated
// through PluginHost::validate N times in process and N times isolated (`rembuk plugin
// worker`, one warm worker; the first call, which starts it, is not counted). One thread:
// this is the latency one command pays, not a throughput.
//
// Output: {"scenario":"plugin-isolation","calls":…,"in_process_p50_us":…,
//          "in_process_p99_us":…,"isolated_p50_us":…,"isolated_p99_us":…,
//          "cost_p50_us":…,"worker_start_ms":…,"state_bytes":…}
// worker_start_ms is the first isolated call: spawn, load, hello and one validation.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "rembuk/model/dimensions.hpp"
#include "rembuk/plugins/plugin_host.hpp"
#include "scenarios.hpp"

#ifndef REMBUK_BENCH_PADANG_PLUGIN
#define REMBUK_BENCH_PADANG_PLUGIN ""
#endif
#ifndef REMBUK_BENCH_REMBUK
#define REMBUK_BENCH_REMBUK ""
#endif
#ifndef REMBUK_BENCH_PADANG_STATE
#define REMBUK_BENCH_PADANG_STATE ""
#endif

namespace rembuk::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

struct PluginBenchArgs {
  std::string plugin = REMBUK_BENCH_PADANG_PLUGIN;
  std::string rembuk = REMBUK_BENCH_REMBUK;
  std::string state = REMBUK_BENCH_PADANG_STATE;
  long calls = 20'000;
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench plugin-isolation: %s\n", why.c_str());
  std::exit(1);
}

double percentile_us(std::vector<double>& samples, double p) {
  std::sort(samples.begin(), samples.end());
  const auto at = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1));
  return samples[at];
}

// Times `calls` validations; `first_us` gets the first call's time, which is not counted
// (isolated, it starts the worker: spawn, load, hello).
std::vector<double> time_calls(const plugins::PluginHost& host, const json::object& command,
                               const json::object& state, long calls, double& first_us) {
  const auto first = Clock::now();
  if (host.validate("padang", "AddProgram", command, state).failure !=
      model::ValidatorFailure::none) {
    die("the plugin did not decide the command");
  }
  first_us = std::chrono::duration<double, std::micro>(Clock::now() - first).count();
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(calls));
  for (long i = 0; i < calls; ++i) {
    const auto start = Clock::now();
    const auto outcome = host.validate("padang", "AddProgram", command, state);
    samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (outcome.failure != model::ValidatorFailure::none || outcome.violations.size() != 1) {
      die("unexpected outcome: " + outcome.failure_message);
    }
  }
  return samples;
}

std::unique_ptr<plugins::PluginHost> make_host(const PluginBenchArgs& args, bool isolated) {
  plugins::HostOptions options;
  for (const auto& d : model::national_dimensions()) options.national_pillar_ids.push_back(d.id);
  options.budget = std::chrono::seconds(10);  // measured here, never refused
  if (isolated) options.isolated = {"padang"};
  options.worker_command = {args.rembuk, "plugin", "worker"};
  auto host = std::make_unique<plugins::PluginHost>(options);
  if (auto loaded = host->load_file(args.plugin); !loaded) die(loaded.error().line());
  return host;
}

void run(const PluginBenchArgs& args) {
  if (args.plugin.empty() || args.rembuk.empty() || args.state.empty()) {
    die("--plugin, --rembuk and --state are required in this build");
  }
  std::ifstream in(args.state);
  if (!in) die("cannot read " + args.state);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const json::object state = json::parse(text).as_object();
  // A coastal program without the BPBD: the rule reads the state's OPDs and reports one
  // violation, so the whole answer path (violations included) is timed.
  const json::object command =
      json::parse(R"({"type":"AddProgram","programId":"p-bench","title":"Pasar ikan digital",
                      "dimension":"padang_pesisir_tangguh","element":"ekonomi_bahari",
                      "leadOpd":"dkp","startYear":2020,"endYear":2022,
                      "supportingOpds":["diskominfo"]})")
          .as_object();

  double in_first_us = 0, worker_start_us = 0;
  auto in_process = time_calls(*make_host(args, false), command, state, args.calls, in_first_us);
  auto isolated = time_calls(*make_host(args, true), command, state, args.calls, worker_start_us);
  const double in_p50 = percentile_us(in_process, 0.5);
  const double iso_p50 = percentile_us(isolated, 0.5);
  std::printf(
      "{\"scenario\":\"plugin-isolation\",\"calls\":%ld,\"in_process_p50_us\":%.1f,"
      "\"in_process_p99_us\":%.1f,\"isolated_p50_us\":%.1f,\"isolated_p99_us\":%.1f,"
      "\"cost_p50_us\":%.1f,\"worker_start_ms\":%.2f,\"state_bytes\":%zu}\n",
      args.calls, in_p50, percentile_us(in_process, 0.99), iso_p50,
      percentile_us(isolated, 0.99), iso_p50 - in_p50, worker_start_us / 1000, text.size());
}

}  // namespace

void add_plugin_isolation_scenario(CLI::App& app) {
  auto* command =
      app.add_subcommand("plugin-isolation", "µs per validation: in process vs worker process");
  auto args = std::make_shared<PluginBenchArgs>();
  command->add_option("--plugin", args->plugin, "The Padang plugin (.so)")->capture_default_str();
  command->add_option("--rembuk", args->rembuk, "The rembuk executable (runs the worker)")
      ->capture_default_str();
  command->add_option("--state", args->state, "The masterplan state (JSON)")->capture_default_str();
  command->add_option("--calls", args->calls, "Validations timed each way")->capture_default_str();
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
