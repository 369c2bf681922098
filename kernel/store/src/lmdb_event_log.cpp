// LmdbEventLog: the EventLog on one LMDB environment. This file is wiring: the environment
// (log_environment), the writer (group_committer), reads (log_reader), subscriptions
// (subscription) and verify (verifier) each live in their own file.
#include "rembuk/store/lmdb_event_log.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "archive_source.hpp"
#include "commit_signal.hpp"
#include "group_committer.hpp"
#include "keys.hpp"
#include "log_environment.hpp"
#include "log_reader.hpp"
#include "request_limits.hpp"
#include "snapshot_store.hpp"
#include "store_errors.hpp"
#include "subscription.hpp"
#include "verifier.hpp"

namespace rembuk::store {

class LmdbEventLog final : public EventLog {
 public:
  LmdbEventLog(const LmdbOptions& options, std::unique_ptr<LogEnvironment> env, Position head)
      : env_(std::move(env)), signal_(head), committer_(*env_, options, signal_) {}

  ~LmdbEventLog() override { close(); }

  using EventLog::append;
  void append(AppendRequest request, AppendCallback done) override {
    committer_.submit(std::move(request), std::move(done));
  }

  StoreResult<std::vector<RecordedEvent>> read_stream(std::string_view stream,
                                                      Revision from_revision,
                                                      std::size_t max) override {
    return read<std::vector<RecordedEvent>>(
        [&](const LogReader& r) { return r.stream_forward(stream, from_revision, max); });
  }
  StoreResult<std::vector<RecordedEvent>> read_stream_backward(std::string_view stream,
                                                               Revision to_revision,
                                                               std::size_t max) override {
    return read<std::vector<RecordedEvent>>(
        [&](const LogReader& r) { return r.stream_backward(stream, to_revision, max); });
  }
  StoreResult<std::vector<RecordedEvent>> read_all(Position from_position,
                                                   std::size_t max) override {
    return read<std::vector<RecordedEvent>>(
        [&](const LogReader& r) { return r.all_forward(from_position, max); });
  }
  StoreResult<std::vector<RecordedEvent>> read_all_backward(Position to_position,
                                                            std::size_t max) override {
    return read<std::vector<RecordedEvent>>(
        [&](const LogReader& r) { return r.all_backward(to_position, max); });
  }
  StoreResult<Head> head() override {
    return read<Head>([&](const LogReader& r) { return r.head(); });
  }
  StoreResult<std::optional<StreamInfo>> stream_info(std::string_view stream) override {
    return read<std::optional<StreamInfo>>([&](const LogReader& r) -> std::optional<StreamInfo> {
      const auto head = r.stream_head(stream);
      if (!head) return std::nullopt;
      return StreamInfo{std::string(stream), head->revision, head->position};
    });
  }
  StoreResult<std::vector<StreamInfo>> streams() override {
    return read<std::vector<StreamInfo>>([&](const LogReader& r) { return r.streams(); });
  }
  StoreResult<std::optional<AppendResult>> find_command(std::string_view command_id) override {
    return read<std::optional<AppendResult>>(
        [&](const LogReader& r) { return r.command(command_id); });
  }

  std::unique_ptr<Subscription> subscribe(Position after_position,
                                          SubscriptionHandler handler) override {
    return subscribe_paced(after_position, std::chrono::milliseconds(0), std::move(handler));
  }
  std::unique_ptr<Subscription> subscribe_paced(Position after_position,
                                                std::chrono::milliseconds pace,
                                                SubscriptionHandler handler) override {
    return subscriptions_.subscribe(
        after_position, std::move(handler),
        [this](Position from, std::size_t max) { return read_all(from, max); }, signal_, pace);
  }

  StoreResult<Unit> put_snapshot(std::string_view stream, Revision revision,
                                 std::string_view bytes, std::size_t lasting_bytes) override {
    if (auto why = check_stream_name(stream)) {
      return fail(Error{ErrorCode::invalid_argument, *why});
    }
    if (closed_.load()) return closed_error();
    return committer_.write([dbis = env_->dbis(), stream = std::string(stream), revision,
                             value = std::string(bytes),
                             lasting = std::min(lasting_bytes, bytes.size())](lmdb::Txn& txn) {
      store_snapshot(txn, dbis, stream, revision, value, lasting);
    });
  }

  StoreResult<std::optional<Snapshot>> get_snapshot(std::string_view stream,
                                                    Revision max_revision) override {
    return read<std::optional<Snapshot>>(
        [&](const LogReader& r) { return r.snapshot(stream, max_revision); });
  }

  StoreResult<Unit> clear_snapshots() override {
    if (closed_.load()) return closed_error();
    return committer_.write([dbis = env_->dbis()](lmdb::Txn& txn) { drop_snapshots(txn, dbis); });
  }

  VerifyReport verify() override { return verify(VerifyOptions{}); }

  VerifyReport verify(const VerifyOptions& options) {
    StoreResult<VerifyReport> report =
        closed_.load() ? StoreResult<VerifyReport>(closed_error())
                       : guarded<VerifyReport>([&]() -> StoreResult<VerifyReport> {
                           return verify_log(*env_, options);
                         });
    if (report.ok()) return std::move(report).value();
    VerifyReport failed;
    failed.ok = false;
    failed.reason = report.error().message;
    return failed;
  }

  void close() override {
    std::lock_guard close_lock(close_mutex_);
    if (closed_.exchange(true)) return;
    committer_.stop();  // queued appends commit first
    subscriptions_.close_all();
  }

  CommitStats stats() const { return committer_.stats(); }
  LogEnvironment& environment() { return *env_; }

 private:
  static Failure<Error> closed_error() {
    return fail(Error{ErrorCode::closed, "the log is closed"});
  }

  template <typename T, typename Body>
  StoreResult<T> read(Body&& body) {
    if (closed_.load()) return closed_error();
    return guarded<T>([&]() -> StoreResult<T> {
      ReadTxn txn = env_->begin_read();
      LogReader reader(txn.txn(), env_->dbis());
      if constexpr (std::is_invocable_v<Body, const LogReader&, const lmdb::Txn&>) {
        return body(reader, txn.txn());
      } else {
        return body(reader);
      }
    });
  }

  std::unique_ptr<LogEnvironment> env_;
  CommitSignal signal_;
  GroupCommitter committer_;
  std::atomic<bool> closed_{false};
  std::mutex close_mutex_;
  SubscriptionRegistry subscriptions_;
};

StoreResult<std::unique_ptr<EventLog>> open_lmdb_event_log(const LmdbOptions& options) {
  if (options.path.empty()) return fail(Error{ErrorCode::invalid_argument, "no path given"});
  if (options.initial_map_size < (64u << 10)) {
    return fail(Error{ErrorCode::invalid_argument, "initial_map_size below 64 KiB"});
  }
  return guarded<std::unique_ptr<EventLog>>([&]() -> StoreResult<std::unique_ptr<EventLog>> {
    auto env = LogEnvironment::open(options);
    Position head = 0;
    {
      ReadTxn txn = env->begin_read();
      head = LogReader(txn.txn(), env->dbis()).head().position;
    }
    return std::unique_ptr<EventLog>(new LmdbEventLog(options, std::move(env), head));
  });
}

namespace archive {
LogEnvironment* lmdb_environment_of(EventLog& log) {
  auto* lmdb = dynamic_cast<LmdbEventLog*>(&log);
  return lmdb != nullptr ? &lmdb->environment() : nullptr;
}
}  // namespace archive

CommitStats commit_stats(const EventLog& log) {
  return dynamic_cast<const LmdbEventLog&>(log).stats();
}

VerifyReport verify_lmdb_log(EventLog& log, const VerifyOptions& options) {
  return dynamic_cast<LmdbEventLog&>(log).verify(options);
}

std::string commit_metrics_text(const EventLog& log) {
  const auto* lmdb = dynamic_cast<const LmdbEventLog*>(&log);
  if (lmdb == nullptr) return {};
  const CommitStats s = lmdb->stats();
  std::string out;
  char line[160];
  auto counter = [&](const std::string& name, const char* help, std::uint64_t value) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
           std::to_string(value) + "\n";
  };
  counter("rembuk_log_commits_total", "Write transactions that carried appends.", s.commits);
  counter("rembuk_log_appends_total", "Appends settled by those transactions.", s.appends);
  counter("rembuk_log_explicit_syncs_total",
          "Syncs made only to make a held commit durable (nothing else was queued).",
          s.explicit_syncs);
  counter("rembuk_log_timed_appends_total", "Appends timed in rembuk_log_ack_phase_seconds_total.",
          s.timed_appends);
  out +=
      "# HELP rembuk_log_ack_phase_seconds_total Time appends spent from submit to their "
      "callback, by phase (queue, commit, hold, handoff).\n"
      "# TYPE rembuk_log_ack_phase_seconds_total counter\n";
  const std::pair<const char*, std::uint64_t> phases[] = {
      {"queue", s.queue_us}, {"commit", s.commit_us}, {"hold", s.hold_us},
      {"handoff", s.handoff_us}};
  for (const auto& [phase, us] : phases) {
    std::snprintf(line, sizeof line, "rembuk_log_ack_phase_seconds_total{phase=\"%s\"} %.6f\n",
                  phase, static_cast<double>(us) / 1e6);
    out += line;
  }
  return out;
}

}  // namespace rembuk::store
