// append: T threads append one ~SIZE-byte event each time through the event log, durably;
// the same volume also goes into a separate LMDB environment as raw puts (one put per event,
// MDB_APPEND), in transactions of the log's measured average batch size, with the same
// durability. The ratio says what the log costs over LMDB itself: encoding, hashing, the
// streams/heads/commands indexes, the queue and the hand-offs between threads.
//
// The disk of a shared machine changes speed from one second to the next, so the two are run
// in alternating rounds (log, raw, log, raw, …) and summed: both see the same conditions.
//
// Output: {"scenario":"append","events_per_s":…,"p50_us":…,"p99_us":…,"avg_batch":…,
//          "raw_lmdb_events_per_s":…,"ratio_vs_raw":…, then extra keys}
#include <algorithm>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "command_ids.hpp"
#include "percentile.hpp"
#include "raw_lmdb.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#include "scenarios.hpp"
#include "work_dir.hpp"

namespace rembuk::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct AppendArgs {
  int threads = 64;
  long events = 20'000;
  std::size_t size = 300;
  std::string data;
  int rounds = 4;
  bool nosync = false;
  // MiB of the log's file kept written ahead (LmdbOptions::reserve_bytes); 0: none.
  std::size_t reserve_mib = store::LmdbOptions{}.reserve_bytes >> 20;
  // How command ids are made (docs/event-record.md, "Writing": where ids sort decides how
  // many pages of the commands index a commit dirties):
  //   client: what rembuk's clients send, "c-" <ms since epoch, base 36> "-" <random>, so ids
  //           made close in time sort close together in the commands index;
  //   random: uniformly random ids (e.g. UUIDv4 from a third-party client);
  //   none:   no command id, no idempotency entry.
  std::string command_ids = "client";
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench append: %s\n", why.c_str());
  std::exit(1);
}

double micros_since(Clock::time_point began) {
  return std::chrono::duration<double, std::micro>(Clock::now() - began).count();
}

// A JSON object payload of exactly `size` bytes (at least the braces and one field).
std::string payload_of(std::size_t size) {
  const std::string head = "{\"text\":\"";
  const std::string tail = "\"}";
  const std::size_t fill = size > head.size() + tail.size() ? size - head.size() - tail.size() : 0;
  return head + std::string(fill, 'x') + tail;
}

// The event log side: rounds of T threads, each appending `per_thread` events one by one.
class LogRun {
 public:
  LogRun(const AppendArgs& args, const std::string& path)
      : args_(args), payload_(payload_of(args.size)) {
    store::LmdbOptions options;
    options.path = path;
    options.durability = args.nosync ? store::Durability::nosync : store::Durability::sync;
    options.initial_map_size = std::size_t{1} << 30;
    options.reserve_bytes = args.reserve_mib << 20;
    auto opened = store::open_lmdb_event_log(options);
    if (!opened.ok()) die("cannot open the log: " + opened.error().message);
    log_ = std::move(opened).value();
    start_ = store::commit_stats(*log_);
  }

  void round(long per_thread) {
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(args_.threads));
    std::barrier start(args_.threads + 1);
    std::vector<std::thread> threads;
    for (int t = 0; t < args_.threads; ++t) {
      threads.emplace_back([&, t] {
        auto& mine = latencies[static_cast<std::size_t>(t)];
        std::seed_seq seed{t, static_cast<int>(sequence_)};
        std::mt19937_64 random(seed);
        mine.reserve(static_cast<std::size_t>(per_thread));
        start.arrive_and_wait();
        for (long i = 0; i < per_thread; ++i) {
          store::AppendRequest request;
          request.stream = "bench-" + std::to_string(t % 16);
          request.command_id = command_id(random);
          request.actor = "bench";
          request.events.push_back(store::EventData{"BenchHappened", 1, payload_});
          const auto began = Clock::now();
          auto result = log_->append(std::move(request));
          if (!result.ok()) die("append failed: " + result.error().message);
          mine.push_back(micros_since(began));
        }
      });
    }
    start.arrive_and_wait();
    const auto began = Clock::now();
    for (auto& thread : threads) thread.join();
    seconds_ += micros_since(began) / 1e6;
    sequence_ += per_thread;
    for (auto& v : latencies) latencies_.insert(latencies_.end(), v.begin(), v.end());
  }

  std::string command_id(std::mt19937_64& random) const {
    if (args_.command_ids == "none") return {};
    return args_.command_ids == "client" ? client_command_id(random) : random_command_id(random);
  }

  double avg_batch() const {
    const auto now = store::commit_stats(*log_);
    const auto commits = now.commits - start_.commits;
    return commits == 0
               ? 0.0
               : static_cast<double>(now.appends - start_.appends) / static_cast<double>(commits);
  }
  std::uint64_t commits() const { return store::commit_stats(*log_).commits - start_.commits; }
  std::uint64_t explicit_syncs() const {
    return store::commit_stats(*log_).explicit_syncs - start_.explicit_syncs;
  }
  store::CommitStats stats() const { return store::commit_stats(*log_); }
  double seconds() const { return seconds_; }
  std::vector<double>& latencies() { return latencies_; }

  // The stored size of the last record (docs/event-record.md: fixed fields + strings + hashes).
  std::size_t record_bytes() const {
    auto last = log_->read_all_backward(0, 1);
    if (!last.ok() || last->empty()) return args_.size;
    const auto& e = last->front();
    return 1 + 8 + 8 + 4 + 8 + 5 * 4 + 64 + e.stream.size() + e.type.size() + e.actor.size() +
           e.command_id.size() + e.payload.size();
  }

 private:
  const AppendArgs& args_;
  const std::string payload_;
  std::unique_ptr<store::EventLog> log_;
  store::CommitStats start_;
  long sequence_ = 0;
  double seconds_ = 0;
  std::vector<double> latencies_;
};

// The raw side: the same volume in transactions of `batch` puts, with the log's durability
// (LMDB's own commit: two syncs, where the log makes one).
class RawRun {
 public:
  RawRun(const AppendArgs& args, const std::string& path)
      : lmdb_(path, args.nosync ? RawSync::none : RawSync::two_syncs) {}

  void round(long events, std::size_t batch, std::size_t value_bytes) {
    const std::string value(value_bytes, 'v');
    const auto began = Clock::now();
    for (long done = 0; done < events;) {
      const auto count =
          static_cast<std::size_t>(std::min<long>(static_cast<long>(batch), events - done));
      commits_.push_back(lmdb_.commit(count, value));
      done += static_cast<long>(count);
    }
    seconds_ += micros_since(began) / 1e6;
  }

  double seconds() const { return seconds_; }
  long written() const { return lmdb_.written(); }
  std::vector<double>& commit_latencies() { return commits_; }

 private:
  RawLmdb lmdb_;
  double seconds_ = 0;
  std::vector<double> commits_;
};

void run(const AppendArgs& args) {
  if (args.threads < 1 || args.events < 1 || args.rounds < 1) {
    die("--threads, --events and --rounds must be positive");
  }
  WorkDir dir(args.data);
  // The raw environment lives beside the log and is removed afterwards, even with --data.
  const auto raw_path = dir.path() / "raw-lmdb";
  {
    LogRun log(args, dir.path().string());
    RawRun raw(args, raw_path.string());
    const long per_thread = std::max(1L, args.events / args.threads);
    const long per_round = std::max(1L, per_thread / args.rounds);
    for (long done = 0; done < per_thread; done += per_round) {
      const long now = std::min(per_round, per_thread - done);
      log.round(now);
      const auto batch = static_cast<std::size_t>(std::max(1.0, std::round(log.avg_batch())));
      raw.round(now * args.threads, batch, log.record_bytes());
    }

    auto& latencies = log.latencies();
    std::sort(latencies.begin(), latencies.end());
    auto& commits = raw.commit_latencies();
    std::sort(commits.begin(), commits.end());
    const double log_rate = static_cast<double>(latencies.size()) / log.seconds();
    const double raw_rate = static_cast<double>(raw.written()) / raw.seconds();
    std::printf(
        "{\"scenario\":\"append\",\"events_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
        "\"avg_batch\":%.2f,\"raw_lmdb_events_per_s\":%.1f,\"ratio_vs_raw\":%.3f,"
        "\"threads\":%d,\"events\":%zu,\"size\":%zu,\"commits\":%llu,\"record_bytes\":%zu,"
        "\"raw_commit_p50_us\":%.1f,\"raw_commit_p99_us\":%.1f,\"rounds\":%d,"
        "\"durability\":\"%s\",\"command_ids\":\"%s\",\"explicit_syncs\":%llu,"
        "\"p90_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,\"reserve_mib\":%zu,"
        "\"reserve_steps\":%llu,\"reserve_waits\":%llu}\n",
        log_rate, sorted_percentile(latencies, 0.50), sorted_percentile(latencies, 0.99),
        log.avg_batch(), raw_rate, log_rate / raw_rate, args.threads, latencies.size(), args.size,
        static_cast<unsigned long long>(log.commits()), log.record_bytes(),
        sorted_percentile(commits, 0.50), sorted_percentile(commits, 0.99), args.rounds,
        args.nosync ? "nosync" : "sync", args.command_ids.c_str(),
        static_cast<unsigned long long>(log.explicit_syncs()), sorted_percentile(latencies, 0.90),
        sorted_percentile(latencies, 0.999), latencies.empty() ? 0.0 : latencies.back(),
        args.reserve_mib, static_cast<unsigned long long>(log.stats().reserve_steps),
        static_cast<unsigned long long>(log.stats().reserve_waits));
  }
  std::error_code ec;
  std::filesystem::remove_all(raw_path, ec);
}

}  // namespace

void add_append_scenario(CLI::App& app) {
  auto* command = app.add_subcommand("append", "Concurrent durable appends vs raw LMDB puts");
  auto args = std::make_shared<AppendArgs>();
  command->add_option("--threads", args->threads, "Appending threads")->default_val(64);
  command->add_option("--events", args->events, "Events in total")->default_val(20'000);
  command->add_option("--size", args->size, "Payload bytes per event")->default_val(300);
  command->add_option("--data", args->data, "Keep the log in this folder (default: temporary)");
  command->add_option("--rounds", args->rounds, "Alternating log/raw rounds")->default_val(4);
  command
      ->add_option("--command-ids", args->command_ids,
                   "client (time-ordered, as rembuk's clients make them), random, or none")
      ->check(CLI::IsMember({"client", "random", "none"}))
      ->default_val("client");
  command->add_flag_callback(
      "--no-command-ids", [args] { args->command_ids = "none"; }, "Same as --command-ids none");
  command->add_flag("--nosync", args->nosync, "Both sides without fsync (not the target figure)");
  command
      ->add_option("--reserve-mib", args->reserve_mib,
                   "MiB of the log's file written ahead of its use (0: LMDB extends it at "
                   "each commit)")
      ->default_val(args->reserve_mib);
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
