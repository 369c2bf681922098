#include "city_fixture.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "random_commands.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/command.hpp"
#include "rembuk/model/decide.hpp"
#include "rembuk/model/schema_registry.hpp"
#include "rembuk/model/snapshot_codec.hpp"
#include "rembuk/projections/fold.hpp"
#include "rembuk/projections/snapshotter.hpp"
#include "rembuk/store/lmdb_event_log.hpp"

namespace rembuk::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr const char* fixture_marker = "rembuk-bench-replay.json";
constexpr std::int64_t epoch_us = 1'546'300'800'000'000;  // 2019-01-01T00:00:00Z
// The engine's SnapshotWriter: a snapshot of B bytes is followed by the next one no sooner
// than B / 1024 versions later.
constexpr std::uint64_t bytes_per_version = 1024;

std::string g_scenario = "fixture";

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench %s: %s\n", g_scenario.c_str(), why.c_str());
  std::exit(1);
}

// How a folder's log was built, kept beside it in fixture_marker.
struct FixtureShape {
  CityFixtureSpec spec;
  bool marked = false;  // false: no marker (an older build made the folder)
};

std::optional<projections::testing::CityProfile> city_profile(const std::string& name) {
  if (name == "city") return projections::testing::CityProfile::city();
  return std::nullopt;
}

void write_marker(const std::string& folder, const CityFixtureSpec& spec) {
  json::object marker{{"events", spec.events},
                      {"masterplans", spec.masterplans},
                      {"every", spec.every},
                      {"profile", spec.profile}};
  if (spec.snapshots != "every") marker["snapshots"] = spec.snapshots;
  std::ofstream out(std::filesystem::path(folder) / fixture_marker, std::ios::trunc);
  out << json::serialize(marker) << "\n";
  if (!out) die("cannot write the fixture marker in " + folder);
}

// What the folder's marker says; a folder without one holds what older builds made, which
// is the unbounded profile (the other parameters are unknown then).
FixtureShape read_marker(const std::string& folder) {
  FixtureShape shape;
  shape.spec.profile = "unbounded";
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
  const auto text_of = [&](const char* key) -> const json::string* {
    const json::value* v = object == nullptr ? nullptr : object->if_contains(key);
    return v == nullptr ? nullptr : v->if_string();
  };
  const auto events = number("events");
  const auto masterplans = number("masterplans");
  const auto every = number("every");
  const json::string* profile = text_of("profile");
  if (!events || !masterplans || !every || profile == nullptr) {
    die("the fixture marker " + (std::filesystem::path(folder) / fixture_marker).string() +
        " is unreadable; build the fixture again in an empty folder");
  }
  shape.spec.events = static_cast<std::uint64_t>(*events);
  shape.spec.masterplans = static_cast<int>(*masterplans);
  shape.spec.every = static_cast<std::uint64_t>(*every);
  shape.spec.profile = std::string(*profile);
  const json::string* snapshots = text_of("snapshots");
  shape.spec.snapshots = snapshots == nullptr ? "every" : std::string(*snapshots);
  shape.marked = true;
  return shape;
}

// Refuses a fixture built with other parameters: its figures would be reported as if they
// were this run's.
void check_fixture(const std::string& folder, const CityFixtureSpec& spec) {
  const FixtureShape shape = read_marker(folder);
  std::string differs;
  const auto compare = [&](const char* option, const std::string& built,
                           const std::string& asked) {
    if (built != asked) {
      differs += std::string(differs.empty() ? "" : ", ") + option + " " + built + " (asked " +
                 asked + ")";
    }
  };
  compare("--profile", shape.spec.profile, spec.profile);
  if (shape.marked) {
    compare("--events", std::to_string(shape.spec.events), std::to_string(spec.events));
    compare("--masterplans", std::to_string(shape.spec.masterplans),
            std::to_string(spec.masterplans));
    compare("--every", std::to_string(shape.spec.every), std::to_string(spec.every));
    compare("snapshots", shape.spec.snapshots, spec.snapshots);
  }
  if (!differs.empty()) {
    die(folder + " holds a fixture built with " + differs +
        (shape.marked ? "" : "; it has no " + std::string(fixture_marker) +
                                 ", so an older build made it, with the unbounded profile") +
        ". Pass the options it was built with, or use another (or an empty) --data folder.");
  }
}

std::unique_ptr<store::EventLog> open_log(const std::string& path,
                                          std::atomic<std::int64_t>* clock) {
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

// How many events masterplan m gets.
std::vector<std::uint64_t> targets_of(const CityFixtureSpec& spec) {
  std::vector<std::uint64_t> targets(static_cast<std::size_t>(spec.masterplans), 0);
  if (spec.masterplans == 1) {
    targets[0] = spec.events;
    return targets;
  }
  const std::uint64_t big = spec.events / 10;
  const std::uint64_t rest = (spec.events - big) / static_cast<std::uint64_t>(spec.masterplans - 1);
  targets[0] = big;
  std::uint64_t given = big;
  for (std::size_t m = 1; m < targets.size(); ++m) {
    targets[m] = m + 1 == targets.size() ? spec.events - given : rest;
    given += targets[m];
  }
  return targets;
}

struct Progress {
  std::atomic<std::uint64_t> written{0};
  Clock::time_point started = Clock::now();
  std::mutex print;
};

// Decides and appends masterplan m's history.
void build_masterplan(int m, std::uint64_t target, const CityFixtureSpec& spec,
                      store::EventLog& log, projections::Snapshotter& snapshotter,
                      InFlight& in_flight, Progress& progress) {
  const auto& schemas = model::SchemaRegistry::builtin();
  model::MasterplanState state = projections::empty_state(fixture_masterplan_id(m));
  projections::testing::CommandGenerator generator(static_cast<std::uint64_t>(m) + 1, 2019,
                                                   city_profile(spec.profile));
  std::vector<model::EventRecord> last_records;  // the last accepted command's, for Undo
  std::uint64_t serial = 0;
  std::optional<std::uint64_t> snapshot_version;  // engine rule: the last one written
  std::uint64_t snapshot_bytes = 0;
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
    log.append(std::move(request),
               [&in_flight](store::StoreResult<store::AppendResult> r) { in_flight.release(r.ok()); });
    if (state.version / spec.every == (state.version - last_records.size()) / spec.every) continue;
    // Crossed a multiple of K.
    if (spec.snapshots == "engine") {
      if (snapshot_version &&
          state.version < *snapshot_version + std::max(spec.every, snapshot_bytes / bytes_per_version)) {
        continue;
      }
      // The appends before it must be committed first.
      if (!in_flight.drain()) die("an append failed while building the fixture");
      const std::string bytes = projections::encode_snapshot(state);
      if (auto put = log.put_snapshot(state.id, state.version, bytes,
                                      model::snapshot_content_end(bytes));
          !put) {
        die("snapshot: " + put.error().message);
      }
      snapshot_version = state.version;
      snapshot_bytes = bytes.size();
    } else {
      if (!in_flight.drain()) die("an append failed while building the fixture");
      if (auto s = snapshotter.observe(state); !s) die("snapshot: " + s.error().message);
    }
  }
  const std::uint64_t written = progress.written += state.version;
  const double seconds =
      std::max(1e-9, std::chrono::duration<double>(Clock::now() - progress.started).count());
  std::lock_guard lock(progress.print);
  std::fprintf(stderr, "\rfixture: %llu/%llu events (%.0f events/s)   ",
               static_cast<unsigned long long>(written),
               static_cast<unsigned long long>(spec.events),
               static_cast<double>(written) / seconds);
}

void build_fixture(const CityFixtureSpec& spec, const std::string& path) {
  std::atomic<std::int64_t> clock{epoch_us};
  auto log = open_log(path, &clock);
  projections::Snapshotter snapshotter(*log, projections::SnapshotPolicy{spec.every});
  const std::vector<std::uint64_t> targets = targets_of(spec);
  Progress progress;
  std::atomic<int> next{0};
  const auto work = [&] {
    InFlight in_flight(8192);
    for (int m = next++; m < spec.masterplans; m = next++) {
      build_masterplan(m, targets[static_cast<std::size_t>(m)], spec, *log, snapshotter,
                       in_flight, progress);
    }
    if (!in_flight.drain()) die("an append failed while building the fixture");
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::max(1u, spec.threads); ++t) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  std::fprintf(stderr, "\n");
}

}  // namespace

std::string fixture_masterplan_id(int index) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "kota-%03d", index);
  return buffer;
}

std::unique_ptr<store::EventLog> open_fixture_log(const std::string& folder) {
  return open_log(folder, nullptr);
}

double ensure_city_fixture(const std::string& scenario, const std::string& folder,
                           const CityFixtureSpec& spec) {
  g_scenario = scenario;
  auto log = open_log(folder, nullptr);
  auto head = log->head();
  if (!head) die("head: " + head.error().message);
  if (head->position != 0) {
    check_fixture(folder, spec);
    if (head->position < spec.events) {
      die(folder + " holds " + std::to_string(head->position) + " events, fewer than --events");
    }
    return 0;
  }
  log.reset();
  // Written first: a build cut short leaves a marked folder with too few events, which the
  // check above refuses, rather than an unmarked one taken for unbounded.
  write_marker(folder, spec);
  const auto started = Clock::now();
  build_fixture(spec, folder);
  return std::chrono::duration<double>(Clock::now() - started).count();
}

}  // namespace rembuk::bench
