// HangupReload: hot reload of a running `rembuk serve`'s plugins, by SIGHUP.
//
// Server side: `HangupReload::start(host, data_dir)` writes `<data_dir>/serve.pid` (holding
// an exclusive flock on it for the server's life, so a stale file is told from a live one),
// installs a SIGHUP handler and starts one thread. The handler only writes a byte to a pipe
// (async-signal-safe); the thread reads it and calls PluginHost::reload() outside any signal
// context, then writes what the reload did to `<data_dir>/plugins-reload.json` (replaced
// atomically by rename) and hands the report to the listener (the server logs it).
// Each start, reload and stop is also appended to `<data_dir>/plugins-journal.jsonl`
// (plugin_audit.hpp), so an audit can tell which build served each event.
// Connections are never touched: the reload swaps the host's registry, commands decided
// after the swap use the new versions, and an old library is unloaded when the last command
// holding it finishes (see PluginHost).
//
// Client side: `request_reload(data_dir)` (what `rembuk plugin reload --data DIR` runs) reads
// the pid file, checks that a server holds its lock, sends SIGHUP and waits until the report
// file shows a reload newer than the one before, then returns that report.
//
// The report file (one JSON object):
//   {"pid": 1234, "sequence": 3, "generation": 5,
//    "loaded": [{"name","version","sha256"}], "kept": [...], "dropped": ["name"],
//    "refused": ["<file>: <cause>"]}
// `sequence` counts the reloads of this server process (1 for the first SIGHUP).
//
// Thread safety: at most one HangupReload per process (there is one SIGHUP disposition).
// reload_now() may be called from any thread; reloads are serialised by the host.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

#include "rembuk/common/result.hpp"
#include "rembuk/plugins/plugin_host.hpp"

namespace rembuk::plugins {

// The report as the JSON object of the report file (without pid and sequence).
boost::json::object to_json(const LoadReport& report);
// One line per loaded, dropped and refused plugin, for a server's log.
std::vector<std::string> report_lines(const LoadReport& report);

class HangupReload {
 public:
  using Listener = std::function<void(const LoadReport&)>;

  // REQUIRES: `host` outlives the returned object; no other HangupReload in this process.
  // Fails (with the reason) when the pid file cannot be written or another server holds it.
  static Result<std::unique_ptr<HangupReload>, std::string> start(
      PluginHost& host, const std::filesystem::path& data_dir, Listener listener = {});

  // Restores the previous SIGHUP disposition, stops the thread, removes the pid file.
  ~HangupReload();
  HangupReload(const HangupReload&) = delete;
  HangupReload& operator=(const HangupReload&) = delete;

  // Reloads now, exactly as a SIGHUP does (report file and listener included).
  LoadReport reload_now();

  static std::filesystem::path pid_file(const std::filesystem::path& data_dir);
  static std::filesystem::path report_file(const std::filesystem::path& data_dir);

 private:
  HangupReload(PluginHost& host, std::filesystem::path data_dir, Listener listener);
  void run();

  PluginHost& host_;
  const std::filesystem::path data_dir_;
  const Listener listener_;
  int pid_fd_ = -1;
  int pipe_[2] = {-1, -1};
  std::atomic<std::uint64_t> sequence_{0};
  std::thread thread_;
};

// Sends SIGHUP to the server that holds `<data_dir>/serve.pid` and returns the report of the
// reload it ran (the report file's object). An error says why: no pid file, no server
// holds it, the signal could not be sent, or no report within `timeout`.
Result<boost::json::object, std::string> request_reload(
    const std::filesystem::path& data_dir,
    std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace rembuk::plugins
