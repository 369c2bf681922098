// replay: folds a log of realistic events into the document view, measures time travel and
// a restart.
//
//   1. Fixture (skipped when --data already holds the log): N events over M masterplans,
//      built as city_fixture.hpp says (snapshots every K versions). This is fixture
//      building, not a measurement.
//   2. events_per_s: one thread reads the whole log (read_all, in position order), decodes
//      each record, applies it to its masterplan's state (content only, as every view does:
//      Bookkeeping::omit), then renders the document view of every masterplan. Median of
//      --runs runs. events_per_s_with_bookkeeping: one more run that also keeps the
//      bookkeeping decide needs (what rebuild and the engine fold).
//   3. state_at_p99_ms: --probes calls of state_at (half) and state_at_time (half) at
//      random versions / moments of masterplan 0 (read-only states, as views use them).
//   4. restart_ready_ms: close the log, reopen it and load the current state of every
//      masterplan with its bookkeeping (latest snapshot + events after it), as the engine
//      does: ready to serve.
//   --rebuild-snapshots first rewrites every snapshot in the current format (what
//   `rembuk rebuild` does) for a fixture built by an older rembuk.
//
// Output: {"scenario":"replay","events":…,"events_per_s":…,"state_at_p99_ms":…,
//          "restart_ready_ms":…, then extra keys, among them "profile" and the big
//          masterplan's entity counts "big_programs", "big_opds", …}
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "city_fixture.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/projections/fold.hpp"
#include "rembuk/projections/rebuild.hpp"
#include "rembuk/projections/snapshotter.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/projections/views.hpp"
#include "scenarios.hpp"

namespace rembuk::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

struct ReplayArgs {
  std::uint64_t events = 1'000'000;
  int masterplans = 100;
  std::string data;
  std::uint64_t every = 1000;
  int probes = 400;
  int runs = 5;
  bool rebuild_snapshots = false;
  std::string profile = "city";  // or "unbounded"
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench replay: %s\n", why.c_str());
  std::exit(1);
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string masterplan_id(int i) { return fixture_masterplan_id(i); }

std::unique_ptr<store::EventLog> open(const std::string& path) { return open_fixture_log(path); }

// What the biggest masterplan holds at its last version: says whether a figure was taken on
// a city-sized or a stress-sized state.
struct EntityCounts {
  std::size_t programs = 0;
  std::size_t opds = 0;
  std::size_t strategic_issues = 0;
  std::size_t missions = 0;
  std::size_t comments = 0;
  std::size_t indicators = 0;
  std::size_t budget_lines = 0;
  std::size_t supporting_opds = 0;
};

EntityCounts count_entities(const model::MasterplanState& state) {
  EntityCounts counts{state.programs.size(), state.opds.size(), state.strategic_issues.size(),
                      state.missions.size(), state.comments.size()};
  for (const auto& [id, program] : state.programs) {
    counts.indicators += program.indicators.size();
    counts.budget_lines += program.budget.size();
    counts.supporting_opds += program.supporting_opds.size();
  }
  return counts;
}

// Step 2: read everything in position order and fold into per-masterplan states.
struct FoldFigures {
  double fold_s = 0;
  double document_ms = 0;
  std::uint64_t events = 0;
  std::size_t document_bytes = 0;
  EntityCounts big;  // of masterplan_id(0)
};

FoldFigures fold_all(store::EventLog& log, model::Bookkeeping bookkeeping) {
  FoldFigures figures;
  std::map<std::string, model::MasterplanState, std::less<>> states;
  const auto started = Clock::now();
  for (store::Position next = 1;;) {
    auto batch = log.read_all(next, 8192);
    if (!batch) die("read_all: " + batch.error().message);
    if (batch->empty()) break;
    // Consecutive events of one stream are folded as one span.
    std::size_t begin = 0;
    while (begin < batch->size()) {
      std::size_t end = begin + 1;
      while (end < batch->size() && (*batch)[end].stream == (*batch)[begin].stream) ++end;
      auto it = states.find((*batch)[begin].stream);
      if (it == states.end()) {
        it = states.emplace((*batch)[begin].stream, projections::empty_state((*batch)[begin].stream)).first;
      }
      auto folded = projections::fold(it->second, std::span(batch->data() + begin, end - begin),
                                      bookkeeping);
      if (!folded) die("fold: " + folded.error().message);
      begin = end;
    }
    figures.events += batch->size();
    next = batch->back().position + 1;
  }
  figures.fold_s = std::chrono::duration<double>(Clock::now() - started).count();
  const auto documents = Clock::now();
  for (const auto& [id, state] : states) {
    figures.document_bytes += json::serialize(projections::document_view(state, {})).size();
  }
  figures.document_ms = ms_since(documents);
  if (auto it = states.find(masterplan_id(0)); it != states.end()) {
    figures.big = count_entities(it->second);
  }
  return figures;
}

}  // namespace

void add_replay_scenario(CLI::App& app) {
  auto* command = app.add_subcommand("replay", "Fold a large log into views; time travel; restart");
  auto args = std::make_shared<ReplayArgs>();
  command->add_option("--events", args->events, "Events in the log")->default_val(1'000'000);
  command->add_option("--masterplans", args->masterplans, "Masterplans (streams)")->default_val(100);
  command->add_option("--data", args->data,
                      "Keep the log in this folder between runs (built when missing)");
  command->add_option("--every", args->every, "Snapshot every K versions")->default_val(1000);
  command->add_option("--probes", args->probes, "state_at calls measured")->default_val(400);
  command->add_option("--runs", args->runs, "Fold runs (the median is reported)")->default_val(5);
  command->add_option("--profile", args->profile,
                      "Fixture history: city (entities capped at a real city's size) or "
                      "unbounded (they grow without bound: the older stress history)")
      ->check(CLI::IsMember({"city", "unbounded"}))
      ->default_val("city");
  command->add_flag("--rebuild-snapshots", args->rebuild_snapshots,
                    "Rewrite every snapshot in the current format first (rembuk rebuild)");
  command->callback([args] {
    std::string path = args->data;
    std::filesystem::path temporary;
    if (path.empty()) {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "rembuk-bench-replay-XXXXXX").string();
      if (mkdtemp(pattern.data()) == nullptr) die("cannot create a temporary folder");
      temporary = pattern;
      path = temporary.string();
    }
    // The fixture: reuse a log that already holds the requested events.
    CityFixtureSpec spec;
    spec.events = args->events;
    spec.masterplans = args->masterplans;
    spec.every = args->every;
    spec.profile = args->profile;
    const double build_s = ensure_city_fixture("replay", path, spec);

    auto log = open(path);
    double rebuild_s = 0;
    if (args->rebuild_snapshots) {
      projections::RebuildOptions options;
      options.policy.every = args->every;
      auto rebuilt = projections::rebuild(*log, options);
      if (!rebuilt) die("rebuild: " + rebuilt.error().message);
      rebuild_s = rebuilt->elapsed_s;
    }

    // 2. Fold, median of runs.
    std::vector<double> rates;
    FoldFigures figures;
    for (int run = 0; run < std::max(1, args->runs); ++run) {
      figures = fold_all(*log, model::Bookkeeping::omit);
      rates.push_back(static_cast<double>(figures.events) / figures.fold_s);
    }
    const double events_per_s = percentile(rates, 0.5);
    const FoldFigures full = fold_all(*log, model::Bookkeeping::include);
    const double events_per_s_full = static_cast<double>(full.events) / full.fold_s;

    // 3. Time travel on the biggest masterplan.
    const std::string big = masterplan_id(0);
    auto info = log->stream_info(big);
    if (!info || !info->has_value()) die("no " + big + " in the log");
    const model::Version last = (*info)->revision;
    auto first_event = log->read_stream(big, 1, 1);
    auto last_event = log->read_stream(big, last, 1);
    if (!first_event || !last_event || first_event->empty() || last_event->empty()) die("read");
    const std::int64_t t0 = first_event->front().time_us;
    const std::int64_t t1 = last_event->front().time_us;
    std::mt19937_64 random(42);
    std::vector<double> latencies;
    std::vector<double> decode_ms;
    std::vector<double> decode_full_ms;
    for (int probe = 0; probe < args->probes; ++probe) {
      const auto started = Clock::now();
      if (probe % 2 == 0) {
        const model::Version v = 1 + random() % last;
        auto state = projections::state_at(*log, big, v);
        if (!state || state->version != v) die("state_at failed");
      } else {
        const std::int64_t t = t0 + static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(t1 - t0 + 1));
        auto state = projections::state_at_time(*log, big, t);
        if (!state) die("state_at_time: " + state.error().message);
      }
      latencies.push_back(ms_since(started));
    }
    // What a snapshot decode alone costs at the top of the stream (the largest state).
    auto snapshot = log->get_snapshot(big, last);
    std::size_t snapshot_bytes = 0;
    std::size_t snapshot_content_bytes = 0;  // what a read-only reader decodes
    if (snapshot && snapshot->has_value()) {
      snapshot_bytes = (*snapshot)->bytes.size();
      for (int i = 0; i < 5; ++i) {
        auto started = Clock::now();
        auto decoded = projections::decode_snapshot((*snapshot)->bytes, model::Bookkeeping::omit);
        if (!decoded) die("snapshot decode: " + decoded.error().message);
        decode_ms.push_back(ms_since(started));
        snapshot_content_bytes = model::canonical_json(*decoded, model::Bookkeeping::omit).size();
        started = Clock::now();
        decoded = projections::decode_snapshot((*snapshot)->bytes, model::Bookkeeping::include);
        if (!decoded) die("snapshot decode: " + decoded.error().message);
        decode_full_ms.push_back(ms_since(started));
      }
    }

    // 4. Restart: reopen and load every masterplan's current state.
    log.reset();
    const auto restart = Clock::now();
    log = open(path);
    auto streams = log->streams();
    if (!streams) die("streams: " + streams.error().message);
    std::size_t loaded = 0;
    for (const auto& stream : *streams) {
      auto state = projections::current_state(*log, stream.stream, model::Bookkeeping::include);
      if (!state || state->version != stream.revision) die("restart load of " + stream.stream);
      ++loaded;
    }
    const double restart_ready_ms = ms_since(restart);
    log.reset();
    if (!temporary.empty()) std::filesystem::remove_all(temporary);

    // Printed by hand so that numbers read as numbers (Boost.JSON writes doubles as 1.2E3).
    std::string runs;
    for (double r : rates) runs += (runs.empty() ? "" : ",") + std::to_string(std::llround(r));
    std::printf(
        "{\"scenario\":\"replay\",\"events\":%llu,\"events_per_s\":%lld,"
        "\"state_at_p99_ms\":%.3f,\"restart_ready_ms\":%.1f,\"state_at_p50_ms\":%.3f,"
        "\"state_at_max_ms\":%.3f,\"big_masterplan_events\":%llu,\"snapshot_every\":%llu,"
        "\"snapshot_bytes\":%zu,\"snapshot_decode_ms\":%.3f,\"masterplans\":%zu,"
        "\"fold_runs_events_per_s\":[%s],\"document_views_ms\":%.1f,\"fixture_build_s\":%.1f,"
        "\"events_per_s_with_bookkeeping\":%lld,\"snapshot_decode_full_ms\":%.3f,"
        "\"rebuild_snapshots_s\":%.1f,\"profile\":\"%s\",\"big_programs\":%zu,"
        "\"big_opds\":%zu,\"big_strategic_issues\":%zu,\"big_missions\":%zu,"
        "\"big_comments\":%zu,\"big_indicators\":%zu,\"big_budget_lines\":%zu,"
        "\"big_supporting_opds\":%zu,\"snapshot_content_bytes\":%zu}\n",
        static_cast<unsigned long long>(figures.events), std::llround(events_per_s),
        percentile(latencies, 0.99), restart_ready_ms, percentile(latencies, 0.5),
        percentile(latencies, 1.0), static_cast<unsigned long long>(last),
        static_cast<unsigned long long>(args->every), snapshot_bytes, percentile(decode_ms, 0.5),
        loaded, runs.c_str(), figures.document_ms, build_s, std::llround(events_per_s_full),
        percentile(decode_full_ms, 0.5), rebuild_s, args->profile.c_str(), figures.big.programs,
        figures.big.opds, figures.big.strategic_issues, figures.big.missions,
        figures.big.comments, figures.big.indicators, figures.big.budget_lines,
        figures.big.supporting_opds, snapshot_content_bytes);
  });
}

}  // namespace rembuk::bench
