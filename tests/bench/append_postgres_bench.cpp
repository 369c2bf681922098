// append-postgres: the `append` workload on PostgreSQL used as an event store, the way Marten
// and message-db do it: one `events` table with a global position and a unique
// (stream, revision) key; an append is one transaction that inserts the event at the
// revision its writer expects (a concurrent writer would break the unique key: optimistic
// concurrency). T threads, one connection and one stream each, append one ~SIZE-byte JSON
// event at a time, durably (whatever the server's synchronous_commit/fsync are: compare.sh
// starts it with both on). The table is created if missing and emptied first.
//
// Output: {"scenario":"append-postgres","events_per_s":…,"p50_us":…,"p99_us":…,"threads":…,
//          "events":…,"size":…,"synchronous_commit":"on"|…}
#include <algorithm>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "scenarios.hpp"

#if REMBUK_BENCH_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

namespace rembuk::bench {
namespace {

struct PostgresAppendArgs {
  std::string conninfo;
  int threads = 64;
  long events = 20'000;
  std::size_t size = 300;
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench append-postgres: %s\n", why.c_str());
  std::exit(1);
}

#if REMBUK_BENCH_HAVE_LIBPQ

using Clock = std::chrono::steady_clock;

// One connection, closed when it goes out of scope.
struct Connection {
  explicit Connection(const std::string& conninfo) : pg(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(pg) != CONNECTION_OK) die(std::string("cannot connect: ") + PQerrorMessage(pg));
  }
  ~Connection() { PQfinish(pg); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql`; dies unless it succeeds. Returns the first value of the first row, if any.
  std::string exec(const char* sql) {
    PGresult* r = PQexec(pg, sql);
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string why = PQresultErrorMessage(r);
      PQclear(r);
      die(std::string(sql) + ": " + why);
    }
    std::string value = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return value;
  }

  PGconn* pg;
};

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events (
  position  bigserial PRIMARY KEY,
  stream    text        NOT NULL,
  revision  bigint      NOT NULL,
  type      text        NOT NULL,
  data      jsonb       NOT NULL,
  time      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream, revision)
))sql";

constexpr const char* kAppend =
    "INSERT INTO events (stream, revision, type, data) VALUES ($1, $2, 'BenchAppended', $3)";

std::string payload_of(std::size_t size) {
  const std::string head = "{\"text\":\"";
  const std::string tail = "\"}";
  const std::size_t fill = size > head.size() + tail.size() ? size - head.size() - tail.size() : 0;
  return head + std::string(fill, 'x') + tail;
}

void run(const PostgresAppendArgs& args) {
  std::string synchronous_commit;
  {
    Connection admin(args.conninfo);
    admin.exec(kSchema);
    admin.exec("TRUNCATE events RESTART IDENTITY");
    synchronous_commit = admin.exec("SHOW synchronous_commit");
  }
  const long per_thread = std::max(1L, args.events / args.threads);
  const std::string payload = payload_of(args.size);
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(args.threads));
  std::barrier ready(args.threads + 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < args.threads; ++t) {
    threads.emplace_back([&, t] {
      Connection c(args.conninfo);
      PGresult* prepared = PQprepare(c.pg, "append", kAppend, 3, nullptr);
      if (PQresultStatus(prepared) != PGRES_COMMAND_OK) die(PQresultErrorMessage(prepared));
      PQclear(prepared);
      const std::string stream = "bench-" + std::to_string(t);
      auto& mine = latencies[static_cast<std::size_t>(t)];
      mine.reserve(static_cast<std::size_t>(per_thread));
      ready.arrive_and_wait();
      for (long revision = 1; revision <= per_thread; ++revision) {
        const std::string rev = std::to_string(revision);
        const char* values[3] = {stream.c_str(), rev.c_str(), payload.c_str()};
        const auto began = Clock::now();
        // One statement outside BEGIN is one transaction: committed (durably) when it returns.
        PGresult* r = PQexecPrepared(c.pg, "append", 3, values, nullptr, nullptr, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) die(PQresultErrorMessage(r));
        PQclear(r);
        mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - began).count());
      }
    });
  }
  ready.arrive_and_wait();
  const auto began = Clock::now();
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - began).count();

  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    if (all.empty()) return 0.0;
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(all.size())));
    return all[std::min(all.size() - 1, rank == 0 ? 0 : rank - 1)];
  };
  std::printf(
      "{\"scenario\":\"append-postgres\",\"events_per_s\":%.0f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
      "\"threads\":%d,\"events\":%zu,\"size\":%zu,\"synchronous_commit\":\"%s\"}\n",
      static_cast<double>(all.size()) / seconds, pct(0.50), pct(0.99), args.threads, all.size(),
      args.size, synchronous_commit.c_str());
}

#else

void run(const PostgresAppendArgs&) { die("this rembuk-bench was built without libpq"); }

#endif

}  // namespace

void add_append_postgres_scenario(CLI::App& app) {
  auto* command = app.add_subcommand(
      "append-postgres", "The append workload on PostgreSQL as an event store (libpq)");
  auto args = std::make_shared<PostgresAppendArgs>();
  command->add_option("--conninfo", args->conninfo, "libpq connection string or URI")->required();
  command->add_option("--threads", args->threads, "Appending threads (one connection each)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  command->add_option("--events", args->events, "Events in total")->capture_default_str();
  command->add_option("--size", args->size, "Payload bytes per event")->capture_default_str();
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
