#include "wal_recovery.hpp"

#include <cstdio>
#include <filesystem>

#include "log_reader.hpp"
#include "store_errors.hpp"
#include "write_ahead_log.hpp"

namespace rembuk::store {
namespace {

MDB_dbi dbi_of(const Dbis& dbis, WalDbi code) {
  switch (code) {
    case WalDbi::events:
      return dbis.events;
    case WalDbi::stream_chunks:
      return dbis.stream_chunks;
    case WalDbi::heads:
      return dbis.heads;
    case WalDbi::commands:
      return dbis.commands;
  }
  return dbis.events;
}

// One attempt; returns the head after the frames applied.
Position apply(LogEnvironment& env, const LeftBehind& left, WalRecovery& report) {
  lmdb::Txn txn = env.begin_write();
  Position head = LogReader(txn, env.dbis()).head().position;
  report.frames_applied = 0;
  report.not_applied.clear();
  for (const WalFrame& frame : left.frames) {
    if (frame.last <= head) continue;
    if (frame.first != head + 1) {
      report.not_applied = "the frame of positions " + std::to_string(frame.first) + ".." +
                           std::to_string(frame.last) + " does not follow the log's head " +
                           std::to_string(head);
      break;
    }
    for (const WalFrame::Put& put : frame.puts()) {
      txn.put(dbi_of(env.dbis(), put.dbi), put.key, put.value,
              put.dbi == WalDbi::events ? MDB_APPEND : 0);
    }
    head = frame.last;
    ++report.frames_applied;
  }
  txn.commit();
  return head;
}

}  // namespace

WalRecovery recover_left_behind(LogEnvironment& env, const std::string& log_dir) {
  WalRecovery report;
  LeftBehind left;
  read_left_behind(log_dir, left);
  report.files = left.files.size();
  if (left.files.empty()) return report;
  for (;;) {
    try {
      report.head = apply(env, left, report);
      break;
    } catch (const lmdb::LmdbError& e) {
      if (e.code() != MDB_MAP_FULL) throw;
      env.grow();
    }
  }
  lmdb::check("mdb_env_sync", mdb_env_sync(env.env(), 1));
  if (!left.problem.empty() && report.not_applied.empty()) report.not_applied = left.problem;
  for (const auto& file : left.files) {
    std::error_code ec;
    if (report.not_applied.empty()) {
      std::filesystem::remove(file, ec);
    } else {
      std::filesystem::rename(file, std::filesystem::path(file).concat(".unapplied"), ec);
    }
    sync_folder_of(file);
  }
  if (report.frames_applied > 0 || !report.not_applied.empty()) {
    std::fprintf(stderr,
                 "rembuk store: %zu write-ahead file(s) of an open that did not close: %zu "
                 "batch(es) put back, head now %llu%s%s\n",
                 report.files, report.frames_applied,
                 static_cast<unsigned long long>(report.head),
                 report.not_applied.empty() ? "" : "; not applied: ",
                 report.not_applied.c_str());
  }
  return report;
}

}  // namespace rembuk::store
