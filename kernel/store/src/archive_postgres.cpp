// The PostgreSQL side of backup and restore: the snapshot a backup reads (one REPEATABLE
// READ, READ ONLY transaction, so every page of events, heads and command ids comes from the
// same moment while nodes keep committing), and the loader a restore writes through (one
// transaction: a failed or interrupted restore leaves the target as it was).
#include <cstring>
#include <map>
#include <memory>

#include "archive_loader.hpp"
#include "archive_source.hpp"
#include "keys.hpp"
#include "pg_connection.hpp"
#include "postgres_schema.hpp"
#include "store_errors.hpp"

namespace rembuk::store::archive {
namespace {

constexpr std::int64_t page_rows = 10000;

void require_schema_name(const PostgresOptions& options) {
  if (auto why = pg::check_schema_name(options.schema); !why.empty()) {
    throw StoreException(Error{ErrorCode::invalid_argument, why});
  }
}

class PostgresSource final : public ArchiveSource {
 public:
  explicit PostgresSource(const PostgresOptions& options)
      : schema_(options.schema), conn_(options.conninfo) {
    if (!pg::schema_exists(conn_, schema_)) {
      throw StoreException(Error{ErrorCode::io_error, "no event log in schema " + schema_});
    }
    conn_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  }
  ~PostgresSource() override {
    try {
      conn_.exec("ROLLBACK");
    } catch (const pg::PgFailure&) {  // the connection is gone; so is the transaction
    }
  }

  std::string_view kind() const override { return "postgres"; }

  Head head() override {
    auto rows = conn_.exec("SELECT position, hash FROM " + pg::table(schema_, "log_head") +
                           " WHERE id = 1");
    if (rows.count() != 1 || rows.view(0, 1).size() != 32) {
      throw StoreException(Error{ErrorCode::corrupt, "log_head has no sound row"});
    }
    Head head;
    head.position = static_cast<Position>(rows.int8(0, 0));
    std::memcpy(head.hash.data(), rows.view(0, 1).data(), 32);
    return head;
  }

  std::vector<StreamInfo> streams() override {
    auto rows = conn_.exec("SELECT stream, revision, last_position FROM " +
                           pg::table(schema_, "heads") + " ORDER BY stream");
    std::vector<StreamInfo> out;
    out.reserve(static_cast<std::size_t>(rows.count()));
    for (int i = 0; i < rows.count(); ++i) {
      out.push_back(StreamInfo{rows.bytea(i, 0), static_cast<Revision>(rows.int8(i, 1)),
                               static_cast<Position>(rows.int8(i, 2))});
    }
    return out;
  }

  std::uint64_t command_count() override {
    auto rows = conn_.exec("SELECT count(*) FROM " + pg::table(schema_, "commands"));
    return static_cast<std::uint64_t>(rows.int8(0, 0));
  }

  void each_record(const std::function<void(std::string_view)>& each) override {
    Position after = 0;
    for (;;) {
      pg::Params p;
      p.int8(after);
      p.int8(page_rows);
      auto rows = conn_.exec("SELECT position, record FROM " + pg::table(schema_, "events") +
                                 " WHERE position > $1 ORDER BY position LIMIT $2",
                             p);
      for (int i = 0; i < rows.count(); ++i) each(rows.view(i, 1));
      if (rows.count() < page_rows) return;
      after = static_cast<Position>(rows.int8(rows.count() - 1, 0));
    }
  }

  std::optional<AppendResult> command(std::string_view command_id, Position position) override {
    // The entries in order of their first position, a page at a time.
    while (next_ < page_.size() && page_[next_].second.first_position < position) ++next_;
    if (next_ == page_.size() && !commands_done_) fetch_commands(position);
    if (next_ < page_.size() && page_[next_].second.first_position == position &&
        page_[next_].first == command_id) {
      return page_[next_].second;
    }
    return std::nullopt;
  }

 private:
  void fetch_commands(Position from) {
    pg::Params p;
    p.int8(from);
    p.int8(page_rows);
    auto rows = conn_.exec("SELECT command_id, first_position, last_position, first_revision, "
                           "last_revision FROM " + pg::table(schema_, "commands") +
                               " WHERE first_position >= $1 ORDER BY first_position LIMIT $2",
                           p);
    page_.clear();
    next_ = 0;
    for (int i = 0; i < rows.count(); ++i) {
      AppendResult r;
      r.first_position = static_cast<Position>(rows.int8(i, 1));
      r.last_position = static_cast<Position>(rows.int8(i, 2));
      r.first_revision = static_cast<Revision>(rows.int8(i, 3));
      r.last_revision = static_cast<Revision>(rows.int8(i, 4));
      page_.emplace_back(rows.bytea(i, 0), r);
    }
    commands_done_ = rows.count() < page_rows;
  }

  std::string schema_;
  pg::PgConnection conn_;
  std::vector<std::pair<std::string, AppendResult>> page_;
  std::size_t next_ = 0;
  bool commands_done_ = false;
};

// Rows are sent in multi-row INSERTs (PostgreSQL takes at most 65535 parameters each).
class PostgresLoader final : public LogLoader {
 public:
  explicit PostgresLoader(const PostgresOptions& options)
      : schema_(options.schema), conn_(options.conninfo) {
    pg::create_schema(conn_, schema_);
    conn_.exec("BEGIN");
    auto head = conn_.exec("SELECT position FROM " + pg::table(schema_, "log_head") +
                           " WHERE id = 1 FOR UPDATE");
    auto events = conn_.exec("SELECT count(*) FROM " + pg::table(schema_, "events"));
    const auto held = std::max<std::int64_t>(head.count() == 1 ? head.int8(0, 0) : 0,
                                             events.int8(0, 0));
    if (held > 0) {
      throw StoreException(Error{ErrorCode::invalid_argument,
                                 "the target schema " + schema_ + " already holds " +
                                     std::to_string(held) +
                                     " events; restore into an empty store"});
    }
  }
  ~PostgresLoader() override {
    if (!committed_) {
      try {
        conn_.exec("ROLLBACK");
      } catch (const pg::PgFailure&) {
      }
    }
  }

  void event(const LoadedEvent& e) override {
    const std::string_view record = e.record;
    events_.int8(e.position).bytea(e.stream).int8(e.revision).bytea(e.command_id).bytea(record);
    ++event_rows_;
    event_bytes_ += record.size();
    auto head = heads_.find(e.stream);
    if (head == heads_.end()) {
      head = heads_.emplace(std::string(e.stream), std::pair<Revision, Position>{}).first;
    }
    head->second = {e.revision, e.position};
    if (event_rows_ == 1000 || event_bytes_ > (8u << 20)) flush_events();
  }
  void command(std::string_view id, const AppendResult& r) override {
    commands_.bytea(id).int8(r.first_position).int8(r.last_position).int8(r.first_revision)
        .int8(r.last_revision);
    if (++command_rows_ == 1000) flush_commands();
  }
  void finish(const Head& head) override {
    flush_events();
    flush_commands();
    for (const auto& [stream, h] : heads_) {
      pg::Params p;
      p.bytea(stream).int8(h.first).int8(h.second);
      conn_.exec("INSERT INTO " + pg::table(schema_, "heads") + " VALUES ($1, $2, $3)", p);
    }
    pg::Params p;
    p.int8(head.position).bytea(std::string_view(reinterpret_cast<const char*>(head.hash.data()), 32));
    conn_.exec("UPDATE " + pg::table(schema_, "log_head") + " SET position = $1, hash = $2 WHERE id = 1",
               p);
    conn_.exec("COMMIT");
    committed_ = true;
  }

 private:
  static std::string values(std::size_t rows, std::size_t columns) {
    std::string sql;
    std::size_t n = 1;
    for (std::size_t r = 0; r < rows; ++r) {
      sql += r == 0 ? "(" : ",(";
      for (std::size_t c = 0; c < columns; ++c) sql += (c > 0 ? ",$" : "$") + std::to_string(n++);
      sql += ")";
    }
    return sql;
  }
  void flush_events() {
    if (event_rows_ == 0) return;
    conn_.exec("INSERT INTO " + pg::table(schema_, "events") +
                   " (position, stream, revision, command_id, record) VALUES " +
                   values(event_rows_, 5),
               events_);
    events_ = pg::Params();
    event_rows_ = 0;
    event_bytes_ = 0;
  }
  void flush_commands() {
    if (command_rows_ == 0) return;
    conn_.exec("INSERT INTO " + pg::table(schema_, "commands") + " VALUES " +
                   values(command_rows_, 5),
               commands_);
    commands_ = pg::Params();
    command_rows_ = 0;
  }

  std::string schema_;
  pg::PgConnection conn_;
  pg::Params events_;
  std::size_t event_rows_ = 0;
  std::size_t event_bytes_ = 0;
  pg::Params commands_;
  std::size_t command_rows_ = 0;
  std::map<std::string, std::pair<Revision, Position>, std::less<>> heads_;
  bool committed_ = false;
};

}  // namespace

std::unique_ptr<ArchiveSource> open_postgres_source(const PostgresOptions& options) {
  require_schema_name(options);
  return std::make_unique<PostgresSource>(options);
}

std::unique_ptr<LogLoader> open_postgres_loader(const PostgresOptions& options) {
  require_schema_name(options);
  return std::make_unique<PostgresLoader>(options);
}

}  // namespace rembuk::store::archive
