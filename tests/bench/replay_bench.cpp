// replay: folds a log of realistic events into the document view, measures time travel and
// a restart.
//
//   1. Fixture (skipped when --data already holds the log): N events over M masterplans,
//      generated through the model's decide (tests/projections/random_commands.hpp picks
//      commands that fit each masterplan's state; --profile city, the default, keeps each
//      masterplan the size of a real city's, --profile unbounded is the older stress history
//      whose entities grow without bound) and appended through the store with
//      nosync and many appends in flight, so the writer commits large batches. This is
//      fixture building, not a measurement. Masterplan 0 gets a tenth of the events (the
//      big "masterplan of 100,000 events" the targets name); the rest share the remainder. Commit
//      times come from a synthetic clock (one second per commit) so time travel has a past.
//      Snapshots are written every K versions as the states grow (what the live side does).
//      A marker file in the folder (fixture_marker) records how the log was built; a folder
//      built differently is refused rather than measured under the wrong name.
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

#include "random_commands.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/command.hpp"
#include "rembuk/model/decide.hpp"
#include "rembuk/model/schema_registry.hpp"
#include "rembuk/projections/fold.hpp"
#include "rembuk/projections/rebuild.hpp"
#include "rembuk/projections/snapshotter.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/projections/views.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
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

// How a --data folder's log was built, kept beside it in fixture_marker.
struct FixtureShape {
  std::uint64_t events = 0;
  int masterplans = 0;
  std::uint64_t every = 0;
  std::string profile;
  bool marked = false;  // false: no marker (an older build made the folder)
};

constexpr const char* fixture_marker = "rembuk-bench-replay.json";

constexpr std::int64_t epoch_us = 1'546'300'800'000'000;  // 2019-01-01T00:00:00Z

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

std::string masterplan_id(int i) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "kota-%03d", i);
  return buffer;
}

std::optional<projections::testing::CityProfile> city_profile(const std::string& name) {
  if (name == "city") return projections::testing::CityProfile::city();
  return std::nullopt;
}

void write_marker(const std::string& folder, const ReplayArgs& args) {
  const json::object marker{{"events", args.events},
                            {"masterplans", args.masterplans},
                            {"every", args.every},
                            {"profile", args.profile}};
  std::ofstream out(std::filesystem::path(folder) / fixture_marker, std::ios::trunc);
  out << json::serialize(marker) << "\n";
  if (!out) die("cannot write the fixture marker in " + folder);
}

// What the folder's marker says; a folder without one holds what older builds made, which
// is the unbounded profile (the other parameters are unknown then).
FixtureShape read_marker(const std::string& folder) {
  FixtureShape shape;
  shape.profile = "unbounded";
  std::ifstream in(std::filesystem::path(folder) / fixture_marker);
  if (!in) return shape;
  std::stringstream text;
  text << in.rdbuf();
  json::error_code ec;
  const json::value value = json::parse(text.str(), ec);
  const json::object* object = ec ? nullptr : value.if_object();
  const auto number = [&](const char* key) -> std::optional<std::int64_t> {
    const json::value* v = object == nullptr ? nullptr : object->if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    return std::nullopt;
  };
  const auto events = number("events");
  const auto masterplans = number("masterplans");
  const auto every = number("every");
  const json::value* profile = object == nullptr ? nullptr : object->if_contains("profile");
  if (!events || !masterplans || !every || profile == nullptr || !profile->is_string()) {
    die("the fixture marker " + (std::filesystem::path(folder) / fixture_marker).string() +
        " is unreadable; build the fixture again in an empty folder");
  }
  shape.events = static_cast<std::uint64_t>(*events);
  shape.masterplans = static_cast<int>(*masterplans);
  shape.every = static_cast<std::uint64_t>(*every);
  shape.profile = std::string(profile->get_string());
  shape.marked = true;
  return shape;
}

// Refuses a fixture built with other parameters: its figures would be reported as if they
// were this run's.
void check_fixture(const std::string& folder, const ReplayArgs& args) {
  const FixtureShape shape = read_marker(folder);
  std::string differs;
  const auto compare = [&](const char* option, const std::string& built,
                           const std::string& asked) {
    if (built != asked) {
      differs += std::string(differs.empty() ? "" : ", ") + option + " " + built + " (asked " +
                 asked + ")";
    }
  };
  compare("--profile", shape.profile, args.profile);
  if (shape.marked) {
    compare("--events", std::to_string(shape.events), std::to_string(args.events));
    compare("--masterplans", std::to_string(shape.masterplans),
            std::to_string(args.masterplans));
    compare("--every", std::to_string(shape.every), std::to_string(args.every));
  }
  if (!differs.empty()) {
    die(folder + " holds a fixture built with " + differs +
        (shape.marked ? "" : "; it has no " + std::string(fixture_marker) +
                                 ", so an older build made it, with the unbounded profile") +
        ". Pass the options it was built with, or use another (or an empty) --data folder.");
  }
}

std::unique_ptr<store::EventLog> open(const std::string& path, std::atomic<std::int64_t>* clock) {
  store::LmdbOptions options;
  options.path = path;
  options.durability = store::Durability::nosync;
  options.initial_map_size = std::size_t{1} << 31;
  options.max_batch_appends = 4096;
  if (clock != nullptr) options.clock = [clock] { return clock->fetch_add(1'000'000); };
  auto log = store::open_lmdb_event_log(options);
  if (!log.ok()) die("cannot open the log in " + path + ": " + log.error().message);
  return std::move(log).value();
}

// Bounds the appends in flight, so the fixture does not queue the whole log in memory.
class InFlight {
 public:
  explicit InFlight(std::size_t limit) : limit_(limit) {}
  void acquire() {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return count_ < limit_; });
    ++count_;
  }
  void release(bool ok) {
    std::lock_guard lock(mutex_);
    --count_;
    if (!ok) failed_ = true;
    room_.notify_all();
  }
  bool drain() {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return count_ == 0; });
    return !failed_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable room_;
  std::size_t count_ = 0;      // GUARDED_BY(mutex_)
  std::size_t limit_;
  bool failed_ = false;        // GUARDED_BY(mutex_)
};

// Builds the fixture: every masterplan's commands decided in memory, appended async.
void build_fixture(const ReplayArgs& args, const std::string& path) {
  std::atomic<std::int64_t> clock{epoch_us};
  auto log = open(path, &clock);
  projections::Snapshotter snapshotter(*log, projections::SnapshotPolicy{args.every});
  InFlight in_flight(8192);
  const auto& schemas = model::SchemaRegistry::builtin();
  const auto started = Clock::now();
  std::uint64_t written = 0;
  const std::uint64_t big = args.events / 10;
  const std::uint64_t rest = args.masterplans > 1 ? (args.events - big) / static_cast<std::uint64_t>(args.masterplans - 1) : 0;
  for (int m = 0; m < args.masterplans; ++m) {
    std::uint64_t target = m == 0 ? (args.masterplans == 1 ? args.events : big) : rest;
    if (m == args.masterplans - 1 && m != 0) target = args.events - written;
    model::MasterplanState state = projections::empty_state(masterplan_id(m));
    projections::testing::CommandGenerator generator(static_cast<std::uint64_t>(m) + 1, 2019,
                                                     city_profile(args.profile));
    std::vector<model::EventRecord> last_records;  // the last accepted command's, for Undo
    std::uint64_t serial = 0;
    const model::Actor actor{"u-tim-" + std::to_string(m % 7), {"tim_pelaksana"}, ""};
    while (state.version < target) {
      auto decoded = model::decode_command(json::value(generator.next(state)), schemas);
      if (!decoded) continue;
      model::Command command = std::move(decoded).value();
      command.command_id = state.id + "-" + std::to_string(++serial);
      model::DecideContext context{nullptr, epoch_us, {}, {}};
      if (!last_records.empty() && last_records.front().command_id == model::undo_target(command)) {
        context.undo_events = last_records;
      }
      auto decision = model::decide(state, command, actor, context);
      if (!decision || decision->empty()) continue;
      store::AppendRequest request;
      request.stream = state.id;
      request.expected = store::ExpectedRevision::exact(state.version);
      request.command_id = command.command_id;
      request.actor = actor.user;
      last_records.clear();
      for (auto& event : *decision) {
        request.events.push_back({event.type, event.schema_version, json::serialize(event.payload)});
        model::EventRecord record{event.type, event.schema_version, std::move(event.payload),
                                  state.version + 1, actor.user, command.command_id, 0};
        model::apply_in_place(state, record);
        last_records.push_back(std::move(record));
      }
      generator.accepted(command.command_id);
      in_flight.acquire();
      log->append(std::move(request),
                  [&in_flight](store::StoreResult<store::AppendResult> r) { in_flight.release(r.ok()); });
      if (state.version / args.every != (state.version - last_records.size()) / args.every) {
        // Crossed a multiple of K: the appends before it must be committed first.
        if (!in_flight.drain()) die("an append failed while building the fixture");
        if (auto s = snapshotter.observe(state); !s) die("snapshot: " + s.error().message);
      }
    }
    written += state.version;
    std::fprintf(stderr, "\rfixture: %llu/%llu events (%.0f events/s)   ",
                 static_cast<unsigned long long>(written),
                 static_cast<unsigned long long>(args.events),
                 static_cast<double>(written) / std::max(1e-9, ms_since(started) / 1000));
  }
  if (!in_flight.drain()) die("an append failed while building the fixture");
  std::fprintf(stderr, "\n");
}

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
    double build_s = 0;
    {
      auto log = open(path, nullptr);
      auto head = log->head();
      if (!head) die("head: " + head.error().message);
      if (head->position != 0) check_fixture(path, *args);
      if (head->position != 0 && head->position < args->events) {
        die(path + " holds " + std::to_string(head->position) + " events, fewer than --events");
      }
      if (head->position == 0) {
        log.reset();
        // Written first: a build cut short leaves a marked folder with too few events,
        // which the check above refuses, rather than an unmarked one taken for unbounded.
        write_marker(path, *args);
        const auto started = Clock::now();
        build_fixture(*args, path);
        build_s = ms_since(started) / 1000;
      }
    }

    auto log = open(path, nullptr);
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
    log = open(path, nullptr);
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
