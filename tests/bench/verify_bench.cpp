// verify: `rembuk verify` of an LMDB log on one thread and on every core, against the bare
// parts: the same records read with a raw LMDB cursor and SHA-256'd (OpenSSL's EVP, fetched
// once), on one core
// and on every core (each thread its share of the positions).
//
//   rembuk-bench verify --data DIR [--runs 3]
//
// DIR holds a log (a replay fixture, `rembuk-bench replay --data DIR` builds one; a served
// data folder works too); it is opened read-only in spirit: nothing is written. Medians of
// --runs runs of each.
//
// Output: {"scenario":"verify","events":…,"verify_events_per_s":… (every core),
//          "verify_1_thread_events_per_s":…,"floor_1_core_events_per_s":… (cursor + SHA-256),
//          "threads":…,"mb":…,"runs":…,"floor_events_per_s":… (the bare walk on every core)}
#include <lmdb.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
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

// The floor: every record of `events` read in key order and its canonical part (the record
// without its two stored hashes) SHA-256'd as the log hashes it, on `threads`
// threads, each with its own read transaction taking the next range of 32,768 positions
// until none is left (as verify's ranges go, without their checks). Returns {records, bytes}.
std::pair<std::uint64_t, std::uint64_t> hash_every_record(const std::string& path,
                                                          unsigned threads) {
  MDB_env* env = nullptr;
  auto check = [](int rc, const char* what) {
    if (rc != MDB_SUCCESS) die(std::string(what) + ": " + mdb_strerror(rc));
  };
  check(mdb_env_create(&env), "mdb_env_create");
  check(mdb_env_set_maxdbs(env, 16), "mdb_env_set_maxdbs");
  check(mdb_env_set_maxreaders(env, 126), "mdb_env_set_maxreaders");
  check(mdb_env_open(env, path.c_str(), MDB_RDONLY | MDB_NOTLS, 0644), "mdb_env_open");
  MDB_dbi dbi = 0;
  std::uint64_t last = 0;
  {
    MDB_txn* txn = nullptr;
    check(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn), "mdb_txn_begin");
    check(mdb_dbi_open(txn, "events", 0, &dbi), "mdb_dbi_open(events)");
    MDB_cursor* cursor = nullptr;
    check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
    MDB_val key{};
    MDB_val value{};
    if (mdb_cursor_get(cursor, &key, &value, MDB_LAST) == MDB_SUCCESS && key.mv_size == 8) {
      for (std::size_t i = 0; i < 8; ++i) {
        last = (last << 8) | static_cast<const unsigned char*>(key.mv_data)[i];
      }
    }
    mdb_cursor_close(cursor);
    mdb_txn_commit(txn);  // keeps the dbi open for the walkers
  }
  std::vector<std::uint64_t> records(threads), bytes(threads);
  std::vector<unsigned char> sinks(threads);
  // SHA-256 fetched once, as the log's hashing does (sha256.cpp).
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) die("EVP_MD_fetch(SHA256) failed");
  constexpr std::uint64_t range_positions = 1 << 15;
  std::atomic<std::uint64_t> next_range{0};
  std::vector<std::thread> walkers;
  for (unsigned t = 0; t < threads; ++t) {
    walkers.emplace_back([&, t] {
      MDB_txn* txn = nullptr;
      check(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn), "mdb_txn_begin");
      MDB_cursor* cursor = nullptr;
      check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
      EVP_MD_CTX* sha = EVP_MD_CTX_new();
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int digest_size = 0;
      for (std::uint64_t begin; (begin = 1 + next_range++ * range_positions) <= last;) {
        const std::uint64_t end = std::min(last, begin + range_positions - 1);
        unsigned char first[8];
        for (int i = 0; i < 8; ++i) first[i] = static_cast<unsigned char>(begin >> (56 - 8 * i));
        MDB_val key{sizeof first, first};
        MDB_val value{};
        for (std::uint64_t p = begin; p <= end && mdb_cursor_get(cursor, &key, &value,
                                                                 p == begin ? MDB_SET_RANGE
                                                                            : MDB_NEXT) ==
                                                      MDB_SUCCESS;
             ++p) {
          // What verify hashes: the record without its two stored hashes.
          const std::size_t canonical = value.mv_size > 64 ? value.mv_size - 64 : 0;
          if (EVP_DigestInit_ex(sha, md, nullptr) != 1 ||
              EVP_DigestUpdate(sha, value.mv_data, canonical) != 1 ||
              EVP_DigestFinal_ex(sha, digest, &digest_size) != 1) {
            die("SHA-256 failed");
          }
          sinks[t] ^= digest[0];
          ++records[t];
          bytes[t] += value.mv_size;
        }
      }
      EVP_MD_CTX_free(sha);
      mdb_cursor_close(cursor);
      mdb_txn_abort(txn);
    });
  }
  for (auto& walker : walkers) walker.join();
  EVP_MD_free(md);
  mdb_env_close(env);
  std::uint64_t all_records = 0, all_bytes = 0;
  unsigned char sink = 0;
  for (unsigned t = 0; t < threads; ++t) {
    all_records += records[t];
    all_bytes += bytes[t];
    sink ^= sinks[t];
  }
  if (sink == 0xff) std::fputc(' ', stderr);  // keeps the hashing from being optimised away
  return {all_records, all_bytes};
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
  std::vector<double> all, one, floor, floor_all;
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
    for (const unsigned threads : {1u, cores}) {
      const auto began = Clock::now();
      const auto [records, record_bytes] = hash_every_record(args.data, threads);
      (threads == 1 ? floor : floor_all).push_back(seconds_since(began));
      if (records != events) die("the raw walk saw another number of records");
      bytes = record_bytes;
    }
  }
  const double n = static_cast<double>(events);
  std::printf("{\"scenario\":\"verify\",\"events\":%llu,\"verify_events_per_s\":%.0f,"
              "\"verify_1_thread_events_per_s\":%.0f,\"floor_1_core_events_per_s\":%.0f,"
              "\"threads\":%u,\"mb\":%.1f,\"runs\":%d,\"floor_events_per_s\":%.0f}\n",
              static_cast<unsigned long long>(events), n / median(all), n / median(one),
              n / median(floor), cores, static_cast<double>(bytes) / 1e6, args.runs,
              n / median(floor_all));
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
