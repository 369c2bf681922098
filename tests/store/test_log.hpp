// Shared test fixtures: a temporary folder removed at the end, short request builders, and
// ContractTest: the base of the suites every EventLog backend must pass (LMDB and PostgreSQL).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rembuk/store/lmdb_event_log.hpp"
#include "rembuk/store/postgres_event_log.hpp"
#ifdef REMBUK_PG_FIXTURE
#include "pg_server.hpp"
#endif
#include "rembuk_test/temp_dir.hpp"

namespace rembuk::store::testing {

class TempDir : public rembuk::testing::TempDir {
 public:
  TempDir() : rembuk::testing::TempDir("rembuk-store-test") {}
};

inline LmdbOptions options_for(const TempDir& dir) {
  LmdbOptions options;
  options.path = (dir.path() / "log").string();
  options.durability = Durability::nosync;  // process crashes keep the page cache
  return options;
}

inline std::unique_ptr<EventLog> open_log(const LmdbOptions& options) {
  auto log = open_lmdb_event_log(options);
  if (!log.ok()) {
    ADD_FAILURE() << "open failed: " << log.error().message;
    std::abort();
  }
  return std::move(log).value();
}

inline EventData event(std::string type, std::string payload = "{}") {
  EventData e;
  e.type = std::move(type);
  e.payload = std::move(payload);
  return e;
}

inline AppendRequest request(std::string stream, int events = 1,
                             ExpectedRevision expected = ExpectedRevision::any(),
                             std::string command_id = "") {
  AppendRequest r;
  r.stream = std::move(stream);
  r.expected = expected;
  r.command_id = std::move(command_id);
  r.actor = "tester";
  for (int i = 0; i < events; ++i) {
    r.events.push_back(event("Happened", "{\"i\":" + std::to_string(i) + "}"));
  }
  return r;
}

// Waits for `done()` with a deadline, polling a condition instead of sleeping a fixed time.
template <typename Pred>
bool eventually(Pred done, std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

enum class Backend { lmdb, postgres };

// What a test may tune on the log it opens; zero/empty means the backend's default.
struct Tuning {
  std::size_t max_batch_appends = 0;
  std::function<std::int64_t()> clock;
};

// A value-parameterised fixture: each test runs once per backend. The PostgreSQL run gets a
// schema of its own on the test server; it is skipped (with the reason) only when PostgreSQL
// is not installed or this build has no libpq.
class ContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() != Backend::postgres) return;
    if (!postgres_backend_available()) GTEST_SKIP() << "this build has no libpq (libpq-dev)";
#ifdef REMBUK_PG_FIXTURE
    auto& server = rembuk::testing::PgServer::instance();
    if (!server.available()) {
      if (server.missing()) GTEST_SKIP() << server.why_not();
      FAIL() << server.why_not();
    }
    schema_ = server.unique_schema();
#else
    GTEST_SKIP() << "the tests were built without the PostgreSQL fixture";
#endif
  }

  bool is_postgres() const { return GetParam() == Backend::postgres; }

  // Opens the test's log; a second call opens the same log again (reopening).
  std::unique_ptr<EventLog> open(const Tuning& tuning = {}) {
    StoreResult<std::unique_ptr<EventLog>> log = fail(Error{ErrorCode::io_error, "unknown"});
    if (is_postgres()) {
      PostgresOptions options;
#ifdef REMBUK_PG_FIXTURE
      options.conninfo = rembuk::testing::PgServer::instance().conninfo();
#endif
      options.schema = schema_;
      if (tuning.max_batch_appends != 0) options.max_batch_appends = tuning.max_batch_appends;
      options.clock = tuning.clock;
      log = open_postgres_event_log(options);
    } else {
      LmdbOptions options = options_for(dir_);
      if (tuning.max_batch_appends != 0) options.max_batch_appends = tuning.max_batch_appends;
      options.clock = tuning.clock;
      log = open_lmdb_event_log(options);
    }
    if (!log.ok()) {
      ADD_FAILURE() << "open failed: " << log.error().message;
      std::abort();
    }
    return std::move(log).value();
  }

  CommitStats stats(const EventLog& log) const {
    return is_postgres() ? postgres_commit_stats(log) : commit_stats(log);
  }

  TempDir dir_;
  std::string schema_;
};

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::lmdb ? "Lmdb" : "Postgres";
}

}  // namespace rembuk::store::testing

#define REMBUK_CONTRACT_SUITE(suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                           \
                           ::testing::Values(::rembuk::store::testing::Backend::lmdb, \
                                             ::rembuk::store::testing::Backend::postgres), \
                           ::rembuk::store::testing::backend_name)
