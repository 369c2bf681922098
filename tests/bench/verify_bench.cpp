// verify: `rembuk verify` of an LMDB log on one thread and on every core, against the bare
// parts: the same records read with a raw LMDB cursor and SHA-256'd (OpenSSL), one core.
//
//   rembuk-bench verify --data DIR [--runs 3]
//
// DIR holds a log (a replay fixture, `rembuk-bench replay --data DIR` builds one; a served
// data folder works too); it is opened read-only in spirit: nothing is written. Medians of
// --runs runs of each.
//
// Output: {"scenario":"verify","events":…,"verify_events_per_s":… (every core),
//          "verify_1_thread_events_per_s":…,"floor_1_core_events_per_s":… (cursor + SHA-256),
//          "threads":…,"mb":…,"runs":…}
#include <lmdb.h>
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "rembuk/store/lmdb_event_log.hpp"
#include "scenarios.hpp"

namespace rembuk::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct VerifyArgs {
  std::string data;
  int runs = 3;
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench verify: %s\n", why.c_str());
  std::exit(1);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The floor: every record of `events` read in key order and hashed whole, one core.
// Returns {records, bytes}.
std::pair<std::uint64_t, std::uint64_t> hash_every_record(const std::string& path) {
  MDB_env* env = nullptr;
  auto check = [](int rc, const char* what) {
    if (rc != MDB_SUCCESS) die(std::string(what) + ": " + mdb_strerror(rc));
  };
  check(mdb_env_create(&env), "mdb_env_create");
  check(mdb_env_set_maxdbs(env, 16), "mdb_env_set_maxdbs");
  check(mdb_env_open(env, path.c_str(), MDB_RDONLY | MDB_NOTLS, 0644), "mdb_env_open");
  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn), "mdb_txn_begin");
  MDB_dbi dbi = 0;
  check(mdb_dbi_open(txn, "events", 0, &dbi), "mdb_dbi_open(events)");
  MDB_cursor* cursor = nullptr;
  check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
  MDB_val key{};
  MDB_val value{};
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned char sink = 0;
  for (int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == MDB_SUCCESS;
       rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
    SHA256(static_cast<const unsigned char*>(value.mv_data), value.mv_size, digest);
    sink ^= digest[0];
    ++records;
    bytes += value.mv_size;
  }
  mdb_cursor_close(cursor);
  mdb_txn_abort(txn);
  mdb_env_close(env);
  if (sink == 0xff) std::fputc(' ', stderr);  // keeps the hashing from being optimised away
  return {records, bytes};
}

double seconds_since(Clock::time_point began) {
  return std::chrono::duration<double>(Clock::now() - began).count();
}

void run(const VerifyArgs& args) {
  store::LmdbOptions options;
  options.path = args.data;
  options.create_if_missing = false;
  options.reserve_bytes = 0;
  auto opened = store::open_lmdb_event_log(options);
  if (!opened) die("cannot open " + args.data + ": " + opened.error().message);
  auto& log = **opened;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<double> all, one, floor;
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
  for (int r = 0; r < args.runs; ++r) {
    for (const unsigned threads : {0u, 1u}) {
      store::VerifyOptions verify;
      verify.threads = threads;
      const auto began = Clock::now();
      const auto report = store::verify_lmdb_log(log, verify);
      (threads == 0 ? all : one).push_back(seconds_since(began));
      if (!report.ok) die("the log does not verify: " + report.reason);
      events = report.events_checked;
    }
    const auto began = Clock::now();
    const auto [records, record_bytes] = hash_every_record(args.data);
    floor.push_back(seconds_since(began));
    if (records != events) die("the raw walk saw another number of records");
    bytes = record_bytes;
  }
  const double n = static_cast<double>(events);
  std::printf("{\"scenario\":\"verify\",\"events\":%llu,\"verify_events_per_s\":%.0f,"
              "\"verify_1_thread_events_per_s\":%.0f,\"floor_1_core_events_per_s\":%.0f,"
              "\"threads\":%u,\"mb\":%.1f,\"runs\":%d}\n",
              static_cast<unsigned long long>(events), n / median(all), n / median(one),
              n / median(floor), cores, static_cast<double>(bytes) / 1e6, args.runs);
}

}  // namespace

void add_verify_scenario(CLI::App& app) {
  auto* command = app.add_subcommand(
      "verify", "rembuk verify of a log on one thread and on every core, against the bare parts");
  auto args = std::make_shared<VerifyArgs>();
  command->add_option("--data", args->data, "Folder holding the log (e.g. a replay fixture)")
      ->required();
  command->add_option("--runs", args->runs, "Runs of each (the median is reported)")
      ->capture_default_str();
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
