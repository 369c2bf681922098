// The PostgreSQL server the tests use, started from Debian's package by pg_fixture.sh.
//
// Under ctest the `postgres_start` fixture has started one for the whole run and the tests
// find its URI in $REMBUK_TEST_PG_DIR/conninfo. Run by hand, a test binary starts its own on
// first use and stops it at exit. When PostgreSQL is not installed, available() is false
// and why_not() says so (the tests GTEST_SKIP with that reason); when it is installed but
// could not start, why_not() carries the fixture's reason (its `why` file) and the tests fail.
//
// REQUIRES: REMBUK_PG_FIXTURE is defined as the path of pg_fixture.sh.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <system_error>

namespace rembuk::testing {

class PgServer {
 public:
  static PgServer& instance() {
    static PgServer server;
    return server;
  }

  bool available() const { return !conninfo_.empty(); }
  const std::string& conninfo() const { return conninfo_; }
  const std::string& why_not() const { return why_not_; }
  // True when PostgreSQL is simply not installed (skip); false for a failure (fail).
  bool missing() const { return missing_; }

  // A schema name no other test (or test process) on this server uses.
  std::string unique_schema() {
    static std::atomic<int> counter{0};
    return "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  }

  ~PgServer() {
    if (!own_dir_.empty()) {
      const std::string command = std::string("'") + REMBUK_PG_FIXTURE + "' stop '" + own_dir_ + "'";
      if (std::system(command.c_str()) != 0) std::fprintf(stderr, "pg_fixture stop failed\n");
    }
  }

 private:
  PgServer() {
    if (const char* dir = std::getenv("REMBUK_TEST_PG_DIR")) {
      std::ifstream in(std::filesystem::path(dir) / "conninfo");
      if (std::getline(in, conninfo_) && !conninfo_.empty()) return;
      why_not_ = fixture_reason(dir);
      if (why_not_.empty()) {
        why_not_ = "the postgres_start fixture left no conninfo in " + std::string(dir);
      }
      missing_ = why_not_.find("not installed") != std::string::npos;
      return;
    }
    own_dir_ = (std::filesystem::temp_directory_path() /
                ("rembuk-pg-" + std::to_string(::getpid())))
                   .string();
    const std::string command =
        std::string("'") + REMBUK_PG_FIXTURE + "' start '" + own_dir_ + "'";
    FILE* out = ::popen(command.c_str(), "r");
    char line[512] = {};
    const bool got = out != nullptr && std::fgets(line, sizeof line, out) != nullptr;
    const int status = out != nullptr ? ::pclose(out) : -1;
    if (got && status == 0) {
      conninfo_ = line;
      while (!conninfo_.empty() && (conninfo_.back() == '\n' || conninfo_.back() == '\r')) {
        conninfo_.pop_back();
      }
      return;
    }
    missing_ = WIFEXITED(status) && WEXITSTATUS(status) == 77;
    why_not_ = fixture_reason(own_dir_);
    if (why_not_.empty()) {
      why_not_ = missing_ ? "PostgreSQL is not installed (apt-get install postgresql)"
                          : "pg_fixture.sh could not start PostgreSQL";
    }
    if (missing_) {
      std::error_code ignored;
      std::filesystem::remove_all(own_dir_, ignored);
      own_dir_.clear();
    }
  }

  // The reason pg_fixture.sh wrote when it could not start the server ("" when none).
  static std::string fixture_reason(const std::filesystem::path& dir) {
    std::ifstream in(dir / "why");
    std::string reason, line;
    while (std::getline(in, line)) reason += (reason.empty() ? "" : "\n") + line;
    return reason;
  }

  std::string conninfo_;
  std::string why_not_;
  bool missing_ = false;
  std::string own_dir_;  // set when this process started the server (and must stop it)
};

}  // namespace rembuk::testing
