// Moving a city's log between stores with the real `rembuk`: the Padang example on LMDB,
// backed up, restored into PostgreSQL (a database of its own, default schema), backed up from
// there and restored into LMDB again. Every step verifies, the log reads the same event for
// event on all three, and the final copy serves the same state at several versions.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "pg_server.hpp"

namespace {

using rembuk::testing::PgServer;

struct CommandRun {
  int exit_code = -1;
  std::string out;
};

CommandRun run_rembuk(const std::string& args, bool with_stderr = true) {
  const std::string command =
      std::string(REMBUK_BINARY) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  CommandRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class BackupCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& server = PgServer::instance();
    if (!server.available()) {
      if (server.missing()) GTEST_SKIP() << server.why_not();
      FAIL() << server.why_not();
    }
    db_ = "backup_cli_" + std::to_string(::getpid());
    PGconn* admin = PQconnectdb(server.conninfo().c_str());
    ASSERT_EQ(PQstatus(admin), CONNECTION_OK) << PQerrorMessage(admin);
    PQclear(PQexec(admin, ("DROP DATABASE IF EXISTS " + db_).c_str()));
    PGresult* created = PQexec(admin, ("CREATE DATABASE " + db_).c_str());
    ASSERT_EQ(PQresultStatus(created), PGRES_COMMAND_OK) << PQerrorMessage(admin);
    PQclear(created);
    PQfinish(admin);
    store_ = server.conninfo().substr(0, server.conninfo().rfind('/') + 1) + db_;
    dir_ = std::filesystem::temp_directory_path() / db_;
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string at(const std::string& name) const { return (dir_ / name).string(); }

  std::string db_;
  std::string store_;
  std::filesystem::path dir_;
};

TEST_F(BackupCliTest, LmdbToPostgresToLmdbKeepsEveryByteOfHistory) {
  const std::string data = at("lmdb");
  ASSERT_EQ(run_rembuk("import --data " + data + " " + REMBUK_EXAMPLE + " >/dev/null").exit_code, 0);
  ASSERT_EQ(run_rembuk("audit checkpoint --data " + data).exit_code, 0);
  auto backup = run_rembuk("backup --data " + data + " --out " + at("from-lmdb.bk"));
  ASSERT_EQ(backup.exit_code, 0) << backup.out;

  auto to_pg = run_rembuk("restore " + at("from-lmdb.bk") + " --store '" + store_ + "'");
  ASSERT_EQ(to_pg.exit_code, 0) << to_pg.out;
  auto verify_pg = run_rembuk("verify --store '" + store_ + "'");
  ASSERT_EQ(verify_pg.exit_code, 0) << verify_pg.out;
  const auto original_log = run_rembuk("log --data " + data + " --json", false).out;
  EXPECT_EQ(original_log, run_rembuk("log --store '" + store_ + "' --json", false).out);

  // A second restore into the same database is refused: it holds events.
  auto again = run_rembuk("restore " + at("from-lmdb.bk") + " --store '" + store_ + "'");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("already holds"), std::string::npos) << again.out;

  auto from_pg = run_rembuk("backup --store '" + store_ + "' --data " + data + " --out " +
                            at("from-pg.bk"));
  ASSERT_EQ(from_pg.exit_code, 0) << from_pg.out;
  EXPECT_NE(from_pg.out.find("source: postgres"), std::string::npos) << from_pg.out;
  ASSERT_EQ(run_rembuk("backup verify " + at("from-pg.bk")).exit_code, 0);
  auto back = run_rembuk("restore " + at("from-pg.bk") + " --data " + at("back"));
  ASSERT_EQ(back.exit_code, 0) << back.out;
  ASSERT_EQ(run_rembuk("verify --data " + at("back")).exit_code, 0);
  EXPECT_EQ(original_log, run_rembuk("log --data " + at("back") + " --json", false).out);
  for (const char* version : {"1", "25", "60"}) {
    const std::string replay = std::string("replay --masterplan padang-2019 --json --at ") + version;
    EXPECT_EQ(run_rembuk(replay + " --data " + data, false).out,
              run_rembuk(replay + " --data " + at("back"), false).out)
        << "version " << version;
  }
}

}  // namespace
