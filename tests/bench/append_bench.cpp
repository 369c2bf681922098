// append: T threads append one ~SIZE-byte event each time through the event log, durably;
// then the same volume goes into a fresh LMDB environment as raw puts, in transactions of
// the log's measured average batch size, with the same durability. The ratio says what the
// log costs over LMDB itself (encoding, hashing, indexes, the queue and the hand-offs).
//
// Output: {"scenario":"append","events_per_s":…,"p50_us":…,"p99_us":…,"avg_batch":…,
//          "raw_lmdb_events_per_s":…,"ratio_vs_raw":…, then extra keys}
#include <lmdb.h>
#include <stdlib.h>

#include <algorithm>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "rembuk/store/lmdb_event_log.hpp"
#include "scenarios.hpp"

namespace rembuk::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct AppendArgs {
  int threads = 64;
  long events = 20'000;
  std::size_t size = 300;
  std::string data;
  bool nosync = false;
};

struct LogFigures {
  double events_per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
  double avg_batch = 0;
  std::uint64_t commits = 0;
  std::size_t record_bytes = 0;  // average stored value size, for the raw run
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench append: %s\n", why.c_str());
  std::exit(1);
}

// A JSON object payload of exactly `size` bytes (at least the braces and one field).
std::string payload_of(std::size_t size) {
  const std::string head = "{\"text\":\"";
  const std::string tail = "\"}";
  const std::size_t fill = size > head.size() + tail.size() ? size - head.size() - tail.size() : 0;
  return head + std::string(fill, 'x') + tail;
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

LogFigures run_log(const AppendArgs& args, const std::string& path) {
  store::LmdbOptions options;
  options.path = path;
  options.durability = args.nosync ? store::Durability::nosync : store::Durability::sync;
  options.initial_map_size = std::size_t{1} << 30;
  auto opened = store::open_lmdb_event_log(options);
  if (!opened.ok()) die("cannot open the log: " + opened.error().message);
  auto log = std::move(opened).value();
  const auto before = store::commit_stats(*log);

  const std::string payload = payload_of(args.size);
  const long per_thread = std::max(1L, args.events / args.threads);
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(args.threads));
  std::barrier start(args.threads + 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < args.threads; ++t) {
    threads.emplace_back([&, t] {
      auto& mine = latencies[static_cast<std::size_t>(t)];
      mine.reserve(static_cast<std::size_t>(per_thread));
      start.arrive_and_wait();
      for (long i = 0; i < per_thread; ++i) {
        store::AppendRequest request;
        request.stream = "bench-" + std::to_string(t % 16);
        request.command_id = "bench-" + std::to_string(t) + "-" + std::to_string(i);
        request.actor = "bench";
        request.events.push_back(store::EventData{"BenchHappened", 1, payload});
        const auto began = Clock::now();
        auto result = log->append(std::move(request));
        const auto took = Clock::now() - began;
        if (!result.ok()) die("append failed: " + result.error().message);
        mine.push_back(std::chrono::duration<double, std::micro>(took).count());
      }
    });
  }
  start.arrive_and_wait();
  const auto began = Clock::now();
  for (auto& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - began).count();

  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  const auto after = store::commit_stats(*log);
  LogFigures f;
  f.events_per_s = static_cast<double>(all.size()) / seconds;
  f.p50_us = percentile(all, 0.50);
  f.p99_us = percentile(all, 0.99);
  f.commits = after.commits - before.commits;
  f.avg_batch = f.commits == 0 ? 0
                               : static_cast<double>(after.appends - before.appends) /
                                     static_cast<double>(f.commits);
  auto last = log->read_all_backward(0, 1);
  if (last.ok() && !last->empty()) {
    const auto& e = last->front();
    // Record framing (see docs/event-record.md): 1 + 8 + 8 + 4 + 8 + 5 length fields + hashes.
    f.record_bytes = 1 + 8 + 8 + 4 + 8 + 5 * 4 + 64 + e.stream.size() + e.type.size() +
                     e.actor.size() + e.command_id.size() + e.payload.size();
  }
  return f;
}

void check(int rc, const char* what) {
  if (rc != MDB_SUCCESS) die(std::string(what) + ": " + mdb_strerror(rc));
}

// The same number of puts, straight into LMDB, in transactions of `batch` puts.
double run_raw(const AppendArgs& args, const std::string& path, long events, std::size_t batch,
               std::size_t value_bytes) {
  std::filesystem::create_directories(path);
  MDB_env* env = nullptr;
  check(mdb_env_create(&env), "mdb_env_create");
  check(mdb_env_set_mapsize(env, std::size_t{1} << 30), "mdb_env_set_mapsize");
  check(mdb_env_set_maxdbs(env, 2), "mdb_env_set_maxdbs");
  unsigned flags = MDB_NOTLS;
  if (args.nosync) flags |= MDB_NOSYNC;
  check(mdb_env_open(env, path.c_str(), flags, 0644), "mdb_env_open");
  MDB_dbi dbi = 0;
  {
    MDB_txn* txn = nullptr;
    check(mdb_txn_begin(env, nullptr, 0, &txn), "mdb_txn_begin");
    check(mdb_dbi_open(txn, "events", MDB_CREATE, &dbi), "mdb_dbi_open");
    check(mdb_txn_commit(txn), "mdb_txn_commit");
  }
  std::string value(value_bytes, 'v');
  const auto began = Clock::now();
  long written = 0;
  while (written < events) {
    MDB_txn* txn = nullptr;
    check(mdb_txn_begin(env, nullptr, 0, &txn), "mdb_txn_begin");
    for (std::size_t i = 0; i < batch && written < events; ++i) {
      ++written;
      unsigned char key[8];
      for (int b = 0; b < 8; ++b) key[b] = static_cast<unsigned char>(written >> (56 - 8 * b));
      MDB_val k{sizeof key, key};
      MDB_val v{value.size(), value.data()};
      check(mdb_put(txn, dbi, &k, &v, MDB_APPEND), "mdb_put");
    }
    check(mdb_txn_commit(txn), "mdb_txn_commit");
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - began).count();
  mdb_env_close(env);
  return static_cast<double>(events) / seconds;
}

// A temporary folder removed at exit, unless the user named one with --data.
class WorkDir {
 public:
  explicit WorkDir(const std::string& given) : keep_(!given.empty()) {
    if (keep_) {
      path_ = given;
      return;
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "rembuk-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) die("cannot create a temporary folder");
    path_ = pattern;
  }
  ~WorkDir() {
    std::error_code ec;
    if (!keep_) std::filesystem::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  bool keep() const { return keep_; }

 private:
  std::filesystem::path path_;
  bool keep_;
};

void run(const AppendArgs& args) {
  if (args.threads < 1 || args.events < 1) die("--threads and --events must be positive");
  WorkDir dir(args.data);
  const LogFigures log = run_log(args, dir.path().string());
  const long events = std::max(1L, args.events / args.threads) * args.threads;
  const auto batch = static_cast<std::size_t>(std::max(1.0, std::round(log.avg_batch)));
  // The raw run writes beside the log; with --data it is removed afterwards all the same.
  const auto raw_path = dir.path() / "raw-lmdb";
  const double raw = run_raw(args, raw_path.string(), events, batch, log.record_bytes);
  std::error_code ec;
  std::filesystem::remove_all(raw_path, ec);

  std::printf(
      "{\"scenario\":\"append\",\"events_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
      "\"avg_batch\":%.2f,\"raw_lmdb_events_per_s\":%.1f,\"ratio_vs_raw\":%.3f,"
      "\"threads\":%d,\"events\":%ld,\"size\":%zu,\"commits\":%llu,\"record_bytes\":%zu,"
      "\"durability\":\"%s\"}\n",
      log.events_per_s, log.p50_us, log.p99_us, log.avg_batch, raw, log.events_per_s / raw,
      args.threads, events, args.size, static_cast<unsigned long long>(log.commits),
      log.record_bytes, args.nosync ? "nosync" : "sync");
}

}  // namespace

void add_append_scenario(CLI::App& app) {
  auto* command = app.add_subcommand("append", "Concurrent durable appends vs raw LMDB puts");
  auto args = std::make_shared<AppendArgs>();
  command->add_option("--threads", args->threads, "Appending threads")->default_val(64);
  command->add_option("--events", args->events, "Events in total")->default_val(20'000);
  command->add_option("--size", args->size, "Payload bytes per event")->default_val(300);
  command->add_option("--data", args->data, "Keep the log in this folder (default: temporary)");
  command->add_flag("--nosync", args->nosync, "Both runs without fsync (not the target figure)");
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
