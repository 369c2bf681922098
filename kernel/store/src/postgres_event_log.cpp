// PostgresEventLog: the EventLog on PostgreSQL. This file is wiring and reads: the writer
// (postgres_writer), the LISTEN thread (postgres_listener), the tables (postgres_schema),
// subscriptions (subscription, shared with LMDB) and verify (postgres_verifier) live apart.
#include "rembuk/store/postgres_event_log.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "commit_signal.hpp"
#include "pg_connection.hpp"
#include "postgres_listener.hpp"
#include "postgres_schema.hpp"
#include "postgres_verifier.hpp"
#include "postgres_writer.hpp"
#include "record_codec.hpp"
#include "request_limits.hpp"
#include "subscription.hpp"

namespace rembuk::store {
namespace {

template <typename T, typename Body>
StoreResult<T> guarded_pg(Body&& body) {
  try {
    return body();
  } catch (const pg::PgFailure& f) {
    return fail(f.error);
  } catch (const std::bad_alloc&) {
    return fail(Error{ErrorCode::io_error, "out of memory"});
  }
}

std::vector<RecordedEvent> decode_rows(const pg::Rows& rows, int column) {
  std::vector<RecordedEvent> out;
  out.reserve(static_cast<std::size_t>(rows.count()));
  for (int i = 0; i < rows.count(); ++i) {
    auto event = record::decode(rows.view(i, column));
    if (!event) throw pg::PgFailure{Error{ErrorCode::corrupt, "a stored record does not decode"}};
    out.push_back(std::move(*event));
  }
  return out;
}

std::int64_t limit(std::size_t max) {
  return static_cast<std::int64_t>(std::min<std::size_t>(max, 1u << 30));
}

}  // namespace

class PostgresEventLog final : public EventLog {
 public:
  PostgresEventLog(const PostgresOptions& options, Position head)
      : options_(options),
        pool_(options.conninfo),
        signal_(head),
        writer_(options, signal_),
        listener_(options, signal_) {}
  ~PostgresEventLog() override { close(); }

  using EventLog::append;
  void append(AppendRequest request, AppendCallback done) override {
    writer_.submit(std::move(request), std::move(done));
  }

  StoreResult<std::vector<RecordedEvent>> read_stream(std::string_view stream, Revision from,
                                                      std::size_t max) override {
    return query<std::vector<RecordedEvent>>([&](pg::PgConnection& c) {
      pg::Params p;
      p.bytea(stream).int8(from).int8(limit(max));
      return decode_rows(c.exec("SELECT record FROM " + t("events") +
                                    " WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3",
                                p),
                         0);
    });
  }
  StoreResult<std::vector<RecordedEvent>> read_stream_backward(std::string_view stream,
                                                               Revision to,
                                                               std::size_t max) override {
    return query<std::vector<RecordedEvent>>([&](pg::PgConnection& c) {
      pg::Params p;
      p.bytea(stream).int8(to == 0 ? UINT64_MAX : to).int8(limit(max));
      return decode_rows(
          c.exec("SELECT record FROM " + t("events") +
                     " WHERE stream = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3",
                 p),
          0);
    });
  }
  StoreResult<std::vector<RecordedEvent>> read_all(Position from, std::size_t max) override {
    return query<std::vector<RecordedEvent>>([&](pg::PgConnection& c) {
      pg::Params p;
      p.int8(from).int8(limit(max));
      return decode_rows(c.exec("SELECT record FROM " + t("events") +
                                    " WHERE position >= $1 ORDER BY position LIMIT $2",
                                p),
                         0);
    });
  }
  StoreResult<std::vector<RecordedEvent>> read_all_backward(Position to, std::size_t max) override {
    return query<std::vector<RecordedEvent>>([&](pg::PgConnection& c) {
      pg::Params p;
      p.int8(to == 0 ? UINT64_MAX : to).int8(limit(max));
      return decode_rows(c.exec("SELECT record FROM " + t("events") +
                                    " WHERE position <= $1 ORDER BY position DESC LIMIT $2",
                                p),
                         0);
    });
  }
  StoreResult<Head> head() override {
    return query<Head>([&](pg::PgConnection& c) {
      auto rows = c.exec("SELECT position, hash FROM " + t("log_head") + " WHERE id = 1");
      Head h;
      if (rows.count() != 1 || rows.view(0, 1).size() != h.hash.size()) {
        throw pg::PgFailure{Error{ErrorCode::corrupt, "log_head is damaged"}};
      }
      h.position = static_cast<Position>(rows.int8(0, 0));
      const auto bytes = rows.view(0, 1);
      std::copy(bytes.begin(), bytes.end(), h.hash.begin());
      return h;
    });
  }
  StoreResult<std::optional<StreamInfo>> stream_info(std::string_view stream) override {
    return query<std::optional<StreamInfo>>([&](pg::PgConnection& c) -> std::optional<StreamInfo> {
      pg::Params p;
      p.bytea(stream);
      auto rows = c.exec("SELECT revision, last_position FROM " + t("heads") + " WHERE stream = $1", p);
      if (rows.count() == 0) return std::nullopt;
      return StreamInfo{std::string(stream), static_cast<Revision>(rows.int8(0, 0)),
                        static_cast<Position>(rows.int8(0, 1))};
    });
  }
  StoreResult<std::vector<StreamInfo>> streams() override {
    return query<std::vector<StreamInfo>>([&](pg::PgConnection& c) {
      // bytea sorts like LMDB's keys: bytewise, a prefix first.
      auto rows = c.exec("SELECT stream, revision, last_position FROM " + t("heads") + " ORDER BY stream");
      std::vector<StreamInfo> out;
      for (int i = 0; i < rows.count(); ++i) {
        out.push_back(StreamInfo{rows.bytea(i, 0), static_cast<Revision>(rows.int8(i, 1)),
                                 static_cast<Position>(rows.int8(i, 2))});
      }
      return out;
    });
  }
  StoreResult<std::optional<AppendResult>> find_command(std::string_view command_id) override {
    return query<std::optional<AppendResult>>([&](pg::PgConnection& c) -> std::optional<AppendResult> {
      if (command_id.empty()) return std::nullopt;
      pg::Params p;
      p.bytea(command_id);
      auto rows = c.exec("SELECT first_position, last_position, first_revision, last_revision FROM " +
                             t("commands") + " WHERE command_id = $1",
                         p);
      if (rows.count() == 0) return std::nullopt;
      AppendResult r;
      r.first_position = static_cast<Position>(rows.int8(0, 0));
      r.last_position = static_cast<Position>(rows.int8(0, 1));
      r.first_revision = static_cast<Revision>(rows.int8(0, 2));
      r.last_revision = static_cast<Revision>(rows.int8(0, 3));
      return r;
    });
  }

  std::unique_ptr<Subscription> subscribe(Position after, SubscriptionHandler handler) override {
    return subscribe_paced(after, std::chrono::milliseconds(0), std::move(handler));
  }
  std::unique_ptr<Subscription> subscribe_paced(Position after, std::chrono::milliseconds pace,
                                                SubscriptionHandler handler) override {
    return subscriptions_.subscribe(
        after, std::move(handler),
        [this](Position from, std::size_t max) { return read_all(from, max); }, signal_, pace);
  }

  StoreResult<Unit> put_snapshot(std::string_view stream, Revision revision,
                                 std::string_view bytes, std::size_t lasting_bytes) override {
    if (auto why = check_stream_name(stream)) return fail(Error{ErrorCode::invalid_argument, *why});
    const std::size_t lasting = std::min(lasting_bytes, bytes.size());
    return query<Unit>([&](pg::PgConnection& c) {
      pg::Params p;
      p.bytea(stream).int8(revision).bytea(bytes.substr(0, lasting)).bytea(bytes.substr(lasting));
      // One statement, so one transaction: the lasting part always; the tail only when this
      // is the stream's newest snapshot, which then drops the older one's tail.
      c.exec("WITH newest AS (SELECT coalesce(max(revision), 0) AS revision FROM " +
                 t("snapshots") + " WHERE stream = $1),"
                 " dropped AS (DELETE FROM " + t("snapshot_tails") +
                 "   WHERE stream = $1 AND (revision <> $2 OR length($4) = 0)"
                 "   AND (SELECT revision FROM newest) <= $2),"
                 " kept AS (INSERT INTO " + t("snapshots") +
                 "   (stream, revision, bytes) VALUES ($1, $2, $3)"
                 "   ON CONFLICT (stream, revision) DO UPDATE SET bytes = EXCLUDED.bytes)"
                 " INSERT INTO " + t("snapshot_tails") + " (stream, revision, bytes)"
                 " SELECT $1, $2, $4 WHERE length($4) > 0"
                 "   AND (SELECT revision FROM newest) <= $2"
                 " ON CONFLICT (stream, revision) DO UPDATE SET bytes = EXCLUDED.bytes",
             p);
      return Unit{};
    });
  }
  StoreResult<std::optional<Snapshot>> get_snapshot(std::string_view stream,
                                                    Revision max_revision) override {
    return query<std::optional<Snapshot>>([&](pg::PgConnection& c) -> std::optional<Snapshot> {
      pg::Params p;
      p.bytea(stream).int8(max_revision);
      auto rows = c.exec("SELECT s.revision, s.bytes || coalesce(t.bytes, ''::bytea) FROM " +
                             t("snapshots") + " s LEFT JOIN " + t("snapshot_tails") +
                             " t USING (stream, revision)"
                             " WHERE s.stream = $1 AND s.revision <= $2"
                             " ORDER BY s.revision DESC LIMIT 1",
                         p);
      if (rows.count() == 0) return std::nullopt;
      return Snapshot{static_cast<Revision>(rows.int8(0, 0)), rows.bytea(0, 1)};
    });
  }
  StoreResult<Unit> clear_snapshots() override {
    return query<Unit>([&](pg::PgConnection& c) {
      c.exec("WITH tails AS (DELETE FROM " + t("snapshot_tails") + ") DELETE FROM " +
             t("snapshots"));
      return Unit{};
    });
  }

  VerifyReport verify() override {
    auto report = query<VerifyReport>(
        [&](pg::PgConnection& c) { return verify_postgres_log(c, options_.schema); });
    if (report.ok()) return std::move(report).value();
    VerifyReport failed;
    failed.ok = false;
    failed.reason = report.error().message;
    return failed;
  }

  void close() override {
    std::lock_guard close_lock(close_mutex_);
    if (closed_.exchange(true)) return;
    writer_.stop();  // queued appends commit first
    subscriptions_.close_all();
    listener_.stop();
    pool_.clear();
  }

  CommitStats stats() const { return writer_.stats(); }

 private:
  std::string t(std::string_view name) const { return pg::table(options_.schema, name); }

  template <typename T, typename Body>
  StoreResult<T> query(Body&& body) {
    if (closed_.load()) return fail(Error{ErrorCode::closed, "the log is closed"});
    return guarded_pg<T>([&]() -> StoreResult<T> {
      auto lease = pool_.borrow();
      return body(*lease);
    });
  }

  const PostgresOptions options_;
  pg::Pool pool_;
  CommitSignal signal_;
  PostgresWriter writer_;
  PostgresListener listener_;
  std::atomic<bool> closed_{false};
  std::mutex close_mutex_;
  SubscriptionRegistry subscriptions_;
};

bool postgres_backend_available() { return true; }

StoreResult<std::unique_ptr<EventLog>> open_postgres_event_log(const PostgresOptions& options) {
  if (options.conninfo.empty()) return fail(Error{ErrorCode::invalid_argument, "no connection string"});
  if (auto why = pg::check_schema_name(options.schema); !why.empty()) {
    return fail(Error{ErrorCode::invalid_argument, why});
  }
  if (options.max_batch_appends == 0) {
    return fail(Error{ErrorCode::invalid_argument, "max_batch_appends must be at least 1"});
  }
  return guarded_pg<std::unique_ptr<EventLog>>([&]() -> StoreResult<std::unique_ptr<EventLog>> {
    pg::PgConnection conn(options.conninfo);
    if (options.create_if_missing) {
      pg::create_schema(conn, options.schema);
    } else if (!pg::schema_exists(conn, options.schema)) {
      return fail(Error{ErrorCode::io_error, "schema " + options.schema + " holds no rembuk log"});
    } else {
      pg::upgrade_schema(conn, options.schema);
    }
    auto rows = conn.exec("SELECT position FROM " + pg::table(options.schema, "log_head") + " WHERE id = 1");
    const Position head = rows.count() == 1 ? static_cast<Position>(rows.int8(0, 0)) : 0;
    return std::unique_ptr<EventLog>(new PostgresEventLog(options, head));
  });
}

CommitStats postgres_commit_stats(const EventLog& log) {
  return dynamic_cast<const PostgresEventLog&>(log).stats();
}

}  // namespace rembuk::store
