// plugin-scale: what a city plugin costs an edit as the masterplan grows. One masterplan of
// ~30 kB, ~1 MB and ~5 MB of state (its canonical JSON, what GET /api/masterplans/{id}
// returns), grown as a Bimtek grows one (programs with long descriptions, then many review
// comments); one editor, then 16, updating program titles in a closed loop through the real
// command path (CommandEngine over a real LMDB log, model::decide, the plugin host); with no
// plugin, with the Padang plugin in process, and with it isolated in `rembuk plugin worker`
// processes.
//
// Output: one JSON line per case, exactly
//   {"state_bytes","plugin","mode","clients","edits_per_s","p50_ms","p99_ms"}
// (`plugin` is "none" or "padang"; `mode` "in_process" or "isolated").
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "percentile.hpp"
#include "rembuk/engine/command_engine.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/dimensions.hpp"
#include "rembuk/plugins/plugin_host.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#include "scenarios.hpp"
#include "work_dir.hpp"

#ifndef REMBUK_BENCH_PADANG_PLUGIN
#define REMBUK_BENCH_PADANG_PLUGIN ""
#endif
#ifndef REMBUK_BENCH_REMBUK
#define REMBUK_BENCH_REMBUK ""
#endif

namespace rembuk::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

struct ScaleArgs {
  std::vector<std::size_t> sizes = {30'000, 1'000'000, 5'000'000};
  std::vector<int> clients = {1, 16};
  std::vector<std::string> cases = {"none", "in_process", "isolated"};
  double seconds = 3;
  bool nosync = false;
  std::uint64_t snapshot_every = engine::EngineOptions{}.snapshot_every;
  std::string plugin = REMBUK_BENCH_PADANG_PLUGIN;
  std::string rembuk = REMBUK_BENCH_REMBUK;
  std::string dir;
  bool workers_follow_caller_cpu = plugins::HostOptions{}.workers_follow_caller_cpu;
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench plugin-scale: %s\n", why.c_str());
  std::exit(1);
}

const model::Actor editor{"u-tim", {"tim_pelaksana"}, ""};

// Builds and edits masterplans through one engine.
class Desk {
 public:
  explicit Desk(engine::CommandEngine& engine) : engine_(engine) {}
  engine::Outcome submit(const std::string& masterplan, json::object command) {
    engine::CommandEnvelope envelope;
    envelope.masterplan = masterplan;
    envelope.command_id = "c-" + std::to_string(next_.fetch_add(1)) + "-" + masterplan;
    envelope.actor = editor;
    envelope.command = std::move(command);
    return engine_.submit_sync(std::move(envelope));
  }
  void must(const std::string& masterplan, const std::string& text) {
    const auto outcome = submit(masterplan, json::parse(text).as_object());
    if (!outcome.accepted) die("setup refused: " + outcome.code + " " + outcome.message + ": " + text);
  }
  void set_next(std::uint64_t n) { next_ = n; }
  // Submits all of `commands` at once (one group commit carries many) and waits for them.
  void must_all(const std::string& masterplan, std::vector<json::object> commands) {
    std::mutex mutex;
    std::condition_variable done;
    std::size_t left = commands.size();
    std::string refused;
    for (auto& command : commands) {
      engine::CommandEnvelope envelope;
      envelope.masterplan = masterplan;
      envelope.command_id = "c-" + std::to_string(next_.fetch_add(1)) + "-" + masterplan;
      envelope.actor = editor;
      envelope.command = std::move(command);
      engine_.submit(std::move(envelope), [&](engine::Outcome outcome) {
        std::lock_guard lock(mutex);
        if (!outcome.accepted && refused.empty()) refused = outcome.code + " " + outcome.message;
        if (--left == 0) done.notify_all();
      });
    }
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return left == 0; });
    if (!refused.empty()) die("setup refused: " + refused);
  }

 private:
  engine::CommandEngine& engine_;
  std::atomic<std::uint64_t> next_{1};
};

std::string words(std::size_t bytes, std::size_t seed) {
  static const char* pool[] = {"layanan", "publik", "terintegrasi", "warga", "kota", "data",
                               "aplikasi", "pelatihan", "nagari", "pasar", "digital", "sekolah"};
  std::string out;
  while (out.size() < bytes) {
    out += pool[(seed + out.size()) % 12];
    out += ' ';
  }
  return out;
}

// Programs with long descriptions first (a tenth of the size), then review comments, until
// the state's canonical JSON reaches `bytes`. Every masterplan gets the same content.
void grow(Desk& desk, engine::CommandEngine& engine, const std::string& masterplan,
          std::size_t bytes, bool padang) {
  desk.must(masterplan, R"({"type":"CreateMasterplan","cityName":"Kota Padang","regionCode":"13.71",
                           "startYear":2019,"endYear":2028})");
  desk.must(masterplan, R"({"type":"RegisterOpd","opdId":"bpbd",
                           "name":"Badan Penanggulangan Bencana Daerah","shortName":"BPBD"})");
  desk.must(masterplan, R"({"type":"RegisterOpd","opdId":"kominfo",
                           "name":"Dinas Komunikasi dan Informatika","shortName":"Diskominfo"})");
  if (padang) desk.must(masterplan, R"({"type":"EnablePlugin","plugin":"padang"})");
  const std::size_t programs = std::max<std::size_t>(10, bytes / 4000);
  std::vector<json::object> batch;
  for (std::size_t i = 0; i < programs; ++i) {
    batch.push_back(json::object{{"type", "AddProgram"},
                                 {"programId", "p-" + std::to_string(i)},
                                 {"title", "Program layanan " + std::to_string(i)},
                                 {"description", words(300, i)},
                                 {"dimension", "governance"},
                                 {"element", "public_service"},
                                 {"leadOpd", "kominfo"},
                                 {"startYear", 2020},
                                 {"endYear", 2024}});
  }
  desk.must_all(masterplan, std::move(batch));
  std::size_t comment = 0;
  for (;;) {
    const auto state = engine.state(masterplan);
    if (!state || !*state) die("no state");
    if (model::canonical_json(**state, model::Bookkeeping::omit).size() >= bytes) return;
    batch.clear();
    // About 450 bytes a comment: a batch never overshoots a small target by much.
    const std::size_t now = model::canonical_json(**state, model::Bookkeeping::omit).size();
    const std::size_t count = std::min<std::size_t>(500, (bytes - now) / 450 + 1);
    for (std::size_t k = 0; k < count; ++k, ++comment) {
      batch.push_back(json::object{{"type", "AddComment"},
                                   {"commentId", "k-" + std::to_string(comment)},
                                   {"target", "program/p-" + std::to_string(comment % programs)},
                                   {"text", words(400, comment)}});
    }
    desk.must_all(masterplan, std::move(batch));
  }
}

struct Case {
  std::size_t state_bytes = 0;
  std::string plugin, mode;
  int clients = 0;
  double edits_per_s = 0, p50_ms = 0, p99_ms = 0;
};

// `clients` editors update program titles of `masterplan` for `seconds`.
Case edit(Desk& desk, const std::string& masterplan, std::size_t programs, int clients,
          double seconds) {
  std::vector<std::vector<double>> samples(static_cast<std::size_t>(clients));
  std::atomic<bool> failed{false};
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto& mine = samples[static_cast<std::size_t>(c)];
      for (std::size_t n = 0; Clock::now() < end; ++n) {
        const std::size_t program = (static_cast<std::size_t>(c) * 7919 + n * 31) % programs;
        json::object update{{"type", "UpdateProgram"},
                            {"programId", "p-" + std::to_string(program)},
                            {"title", "Program layanan " + std::to_string(program) + " rev " +
                                          std::to_string(n)}};
        const auto t0 = Clock::now();
        const auto outcome = desk.submit(masterplan, std::move(update));
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!outcome.accepted) {
          std::fprintf(stderr, "edit refused: %s %s\n", outcome.code.c_str(), outcome.message.c_str());
          failed = true;
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) die("an edit was refused");
  std::vector<double> all;
  for (const auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  Case out;
  out.clients = clients;
  out.edits_per_s = static_cast<double>(all.size()) / elapsed;
  out.p50_ms = sorted_percentile(all, 0.50);
  out.p99_ms = sorted_percentile(all, 0.99);
  return out;
}

std::unique_ptr<plugins::PluginHost> make_host(const ScaleArgs& args, bool isolated,
                                               const std::filesystem::path& staging) {
  plugins::HostOptions options;
  for (const auto& d : model::national_dimensions()) options.national_pillar_ids.push_back(d.id);
  options.load.staging_dir = staging;
  if (isolated) options.isolated = {"padang"};
  options.worker_command = {args.rembuk, "plugin", "worker"};
  options.workers_follow_caller_cpu = args.workers_follow_caller_cpu;
  auto host = std::make_unique<plugins::PluginHost>(options);
  if (auto loaded = host->load_file(args.plugin); !loaded) die(loaded.error().line());
  return host;
}

void run(const ScaleArgs& args) {
  if (args.plugin.empty() || args.rembuk.empty()) die("--plugin and --rembuk are required");
  std::uint64_t next_id = 1;
  for (const std::size_t size : args.sizes) {
    if (!args.dir.empty()) std::filesystem::create_directories(args.dir + "/" + std::to_string(size));
    WorkDir work(args.dir.empty() ? "" : args.dir + "/" + std::to_string(size));
    store::LmdbOptions lmdb;
    lmdb.path = (std::filesystem::path(work.path()) / "log").string();
    lmdb.durability = args.nosync ? store::Durability::nosync : store::Durability::sync;
    auto log = store::open_lmdb_event_log(lmdb);
    if (!log) die("cannot open the log");
    const auto staging = std::filesystem::path(work.path()) / "staging";

    // Two masterplans of the same content: one without the plugin, one with Padang enabled.
    std::size_t programs = 0, state_bytes = 0;
    {
      auto host = make_host(args, false, staging);
      engine::CommandEngine engine(**log, host.get());
      Desk desk(engine);
      grow(desk, engine, "plain", size, false);
      grow(desk, engine, "padang", size, true);
      const auto state = engine.state("padang");
      programs = (*state)->programs.size();
      state_bytes = model::canonical_json(**engine.state("plain"), model::Bookkeeping::omit).size();
      next_id = 1'000'000;
    }
    for (const std::string& which : args.cases) {
      const bool isolated = which == "isolated";
      auto host = make_host(args, isolated, staging);
      engine::EngineOptions options;
      options.snapshot_every = args.snapshot_every;
      engine::CommandEngine engine(**log, host.get(), options);
      Desk desk(engine);
      for (const int clients : args.clients) {
        desk.set_next(next_id);
        const std::string masterplan = which == "none" ? "plain" : "padang";
        if (!engine.state(masterplan)) die("cannot load " + masterplan);  // before timing
        Case c = edit(desk, masterplan, programs, clients, args.seconds);
        next_id += 10'000'000;
        std::printf(
            "{\"state_bytes\":%zu,\"plugin\":\"%s\",\"mode\":\"%s\",\"clients\":%d,"
            "\"edits_per_s\":%.0f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
            state_bytes, which == "none" ? "none" : "padang",
            isolated ? "isolated" : "in_process", clients, c.edits_per_s, c.p50_ms, c.p99_ms);
        std::fflush(stdout);
      }
    }
  }
}

}  // namespace

void add_plugin_scale_scenario(CLI::App& app) {
  auto args = std::make_shared<ScaleArgs>();
  auto* command = app.add_subcommand(
      "plugin-scale", "edits/s and latency with no plugin, Padang in process and isolated, by state size");
  command->add_option("--sizes", args->sizes, "State sizes in bytes")->capture_default_str();
  command->add_option("--clients", args->clients, "Editor counts")->capture_default_str();
  command->add_option("--cases", args->cases, "none, in_process, isolated")->capture_default_str();
  command->add_option("--seconds", args->seconds, "Editing time per case")->capture_default_str();
  command->add_flag("--nosync", args->nosync, "LMDB without fsync (the plugin's cost alone)");
  command->add_option("--snapshot-every", args->snapshot_every,
                      "The engine's snapshot interval in versions (0: none) while editing")
      ->capture_default_str();
  command->add_option("--workers-follow-caller-cpu", args->workers_follow_caller_cpu,
                      "Isolated: move each worker to its caller's CPU before a call")
      ->capture_default_str();
  command->add_option("--plugin", args->plugin, "The Padang plugin (.so)")->capture_default_str();
  command->add_option("--rembuk", args->rembuk, "The rembuk executable (its workers)")
      ->capture_default_str();
  command->add_option("--dir", args->dir, "Work folder (kept); default: a temporary one");
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
