// lmdb-reference: this machine against the reference figures for "this kind of machine" — a raw,
// durable LMDB append of 300-byte records at about 4,000 commits/s one at a time and about
// 800,000 records/s in batches of 1,000 — and the floor any log built on LMDB can reach for
// the `append` scenario's latency here.
//
// The floor: T closed-loop threads (64, as `append`) whose puts one writer thread commits in
// groups, on raw LMDB (one B-tree, no encoding, hash or index; a second thread tells the
// callers, as in the log). Twice: with LMDB's own commit (two syncs; callers told when it
// returns), and with the log's (MDB_NOMETASYNC: one sync; callers told once the next sync has
// made the commit's meta page durable). Whatever rembuk's log does on top can only add to it,
// so where the floor's p99 passes 2 ms, the disk decides `append`'s p99, not the log.
//
//   rembuk-bench lmdb-reference [--dir DIR] [--commits 5000] [--batches 200]
//                               [--batch-size 1000] [--size 300] [--threads 64]
//                               [--appends 100000]
// Output: {"scenario":"lmdb-reference","single_commits_per_s":…,"single_p50_us":…,
//          "single_p99_us":…,"single_p999_us":…,"single_max_us":…,"batch_records_per_s":…,
//          "floor_two_syncs_appends_per_s":…,"floor_two_syncs_p50_us":…,"floor_two_syncs_p90_us":…,
//          "floor_two_syncs_p99_us":…,"floor_two_syncs_avg_batch":…, the same for
//          floor_one_sync_…, then the arguments}
#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "percentile.hpp"
#include "raw_lmdb.hpp"
#include "scenarios.hpp"
#include "work_dir.hpp"

namespace rembuk::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct ReferenceArgs {
  std::string dir;
  long commits = 5'000;  // one record each
  long batches = 200;    // of batch_size records each
  std::size_t batch_size = 1'000;
  std::size_t size = 300;  // bytes per record
  int threads = 64;        // closed-loop appenders of the floor
  long appends = 100'000;  // in total, per floor
};

double micros_since(Clock::time_point began) {
  return std::chrono::duration<double, std::micro>(Clock::now() - began).count();
}

struct Figures {
  double per_s = 0;
  std::vector<double> latencies;  // µs, sorted
  double avg_batch = 0;
};

// A caller's place in the queue: the writer's teller sets `done` once the put is durable.
struct Ticket {
  std::atomic<bool> done{false};
};

// The group commit floor: one writer, one teller, `threads` closed-loop callers.
class GroupFloor {
 public:
  GroupFloor(const std::string& path, RawSync sync, std::size_t size)
      : lmdb_(path, sync), hold_(sync == RawSync::one_sync), value_(size, 'v') {}

  Figures run(int threads, long appends) {
    std::thread writer([this] { write(); });
    std::thread teller([this] { tell(); });
    const long each = std::max(1L, appends / threads);
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
    std::barrier start(threads + 1);
    std::vector<std::thread> callers;
    for (int t = 0; t < threads; ++t) {
      callers.emplace_back([&, t] {
        auto& mine = latencies[static_cast<std::size_t>(t)];
        mine.reserve(static_cast<std::size_t>(each));
        Ticket ticket;
        start.arrive_and_wait();
        for (long i = 0; i < each; ++i) {
          const auto began = Clock::now();
          ticket.done.store(false);
          {
            std::lock_guard lock(mutex_);
            queue_.push_back(&ticket);
          }
          queued_.notify_one();
          ticket.done.wait(false);
          mine.push_back(micros_since(began));
        }
      });
    }
    start.arrive_and_wait();
    const auto began = Clock::now();
    for (auto& caller : callers) caller.join();
    const double seconds = micros_since(began) / 1e6;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    queued_.notify_one();
    writer.join();
    {
      std::lock_guard lock(told_mutex_);
      told_done_ = true;
    }
    to_tell_.notify_one();
    teller.join();

    Figures f;
    for (auto& v : latencies) f.latencies.insert(f.latencies.end(), v.begin(), v.end());
    std::sort(f.latencies.begin(), f.latencies.end());
    f.per_s = static_cast<double>(f.latencies.size()) / seconds;
    f.avg_batch =
        commits_ == 0 ? 0 : static_cast<double>(lmdb_.written()) / static_cast<double>(commits_);
    return f;
  }

 private:
  void write() {
    std::vector<Ticket*> batch;
    std::vector<Ticket*> held;  // one_sync: committed, meta page not durable yet
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        if (queue_.empty() && !held.empty()) {
          lock.unlock();
          lmdb_.sync();
          hand_over(held);
          continue;
        }
        queued_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) return;
        batch.assign(queue_.begin(), queue_.end());
        queue_.clear();
      }
      lmdb_.commit(batch.size(), value_);
      ++commits_;
      if (hold_) {
        hand_over(held);  // this commit's data sync made their meta page durable
        held.swap(batch);
      } else {
        hand_over(batch);
      }
    }
  }

  void hand_over(std::vector<Ticket*>& tickets) {
    if (tickets.empty()) return;
    {
      std::lock_guard lock(told_mutex_);
      told_.insert(told_.end(), tickets.begin(), tickets.end());
    }
    tickets.clear();
    to_tell_.notify_one();
  }

  void tell() {
    std::vector<Ticket*> now;
    for (;;) {
      {
        std::unique_lock lock(told_mutex_);
        to_tell_.wait(lock, [&] { return !told_.empty() || told_done_; });
        if (told_.empty()) return;
        now.swap(told_);
      }
      for (Ticket* t : now) {
        t->done.store(true);
        t->done.notify_one();
      }
      now.clear();
    }
  }

  RawLmdb lmdb_;
  const bool hold_;
  const std::string value_;
  long commits_ = 0;  // writer thread; read after it joined

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Ticket*> queue_;  // guarded by mutex_
  bool stopping_ = false;      // guarded by mutex_

  std::mutex told_mutex_;
  std::condition_variable to_tell_;
  std::vector<Ticket*> told_;  // guarded by told_mutex_
  bool told_done_ = false;     // guarded by told_mutex_
};

void print_floor(const char* name, const Figures& f) {
  std::printf(
      "\"floor_%s_appends_per_s\":%.1f,\"floor_%s_p50_us\":%.1f,\"floor_%s_p90_us\":%.1f,"
      "\"floor_%s_p99_us\":%.1f,\"floor_%s_p999_us\":%.1f,\"floor_%s_avg_batch\":%.2f,",
      name, f.per_s, name, sorted_percentile(f.latencies, 0.50), name,
      sorted_percentile(f.latencies, 0.90), name, sorted_percentile(f.latencies, 0.99), name,
      sorted_percentile(f.latencies, 0.999), name, f.avg_batch);
}

void run(const ReferenceArgs& args) {
  if (args.commits < 1 || args.batches < 1 || args.batch_size < 1 || args.threads < 1 ||
      args.appends < 1) {
    std::fprintf(stderr, "rembuk-bench lmdb-reference: counts must be positive\n");
    std::exit(1);
  }
  WorkDir dir(args.dir);
  const std::string value(args.size, 'v');

  // One record per commit, then batches, in one environment (as the reference figures are given).
  std::vector<double> singles;
  double single_seconds = 0;
  double batch_seconds = 0;
  {
    RawLmdb lmdb((dir.path() / "reference").string(), RawSync::two_syncs);
    singles.reserve(static_cast<std::size_t>(args.commits));
    auto began = Clock::now();
    for (long i = 0; i < args.commits; ++i) singles.push_back(lmdb.commit(1, value));
    single_seconds = micros_since(began) / 1e6;
    began = Clock::now();
    for (long i = 0; i < args.batches; ++i) lmdb.commit(args.batch_size, value);
    batch_seconds = micros_since(began) / 1e6;
  }
  std::sort(singles.begin(), singles.end());

  const Figures two =
      GroupFloor((dir.path() / "floor-two-syncs").string(), RawSync::two_syncs, args.size)
          .run(args.threads, args.appends);
  const Figures one =
      GroupFloor((dir.path() / "floor-one-sync").string(), RawSync::one_sync, args.size)
          .run(args.threads, args.appends);

  std::printf(
      "{\"scenario\":\"lmdb-reference\",\"single_commits_per_s\":%.1f,\"single_p50_us\":%.1f,"
      "\"single_p99_us\":%.1f,\"single_p999_us\":%.1f,\"single_max_us\":%.1f,"
      "\"batch_records_per_s\":%.1f,",
      static_cast<double>(args.commits) / single_seconds, sorted_percentile(singles, 0.50),
      sorted_percentile(singles, 0.99), sorted_percentile(singles, 0.999), singles.back(),
      static_cast<double>(args.batches) * static_cast<double>(args.batch_size) / batch_seconds);
  print_floor("two_syncs", two);
  print_floor("one_sync", one);
  std::printf(
      "\"commits\":%ld,\"batches\":%ld,\"batch_size\":%zu,\"size\":%zu,\"threads\":%d,"
      "\"appends\":%ld}\n",
      args.commits, args.batches, args.batch_size, args.size, args.threads, args.appends);
}

}  // namespace

void add_lmdb_reference_scenario(CLI::App& app) {
  auto* command = app.add_subcommand(
      "lmdb-reference",
      "Raw durable LMDB on this disk: the reference figures and the group-commit floor");
  auto args = std::make_shared<ReferenceArgs>();
  command->add_option("--dir", args->dir, "Write here (default: a temporary folder)");
  command->add_option("--commits", args->commits, "Commits of one record")->default_val(5'000);
  command->add_option("--batches", args->batches, "Commits of --batch-size records")
      ->default_val(200);
  command->add_option("--batch-size", args->batch_size, "Records per batch")->default_val(1'000);
  command->add_option("--size", args->size, "Bytes per record")->default_val(300);
  command->add_option("--threads", args->threads, "Closed-loop appenders of the floor")
      ->default_val(64);
  command->add_option("--appends", args->appends, "Appends per floor, in total")
      ->default_val(100'000);
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
