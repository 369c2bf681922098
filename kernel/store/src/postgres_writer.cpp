#include "postgres_writer.hpp"

#include <chrono>
#include <map>
#include <optional>

#include "postgres_schema.hpp"
#include "record_codec.hpp"
#include "request_limits.hpp"

namespace rembuk::store {
namespace {

// Rows per INSERT, and bytes: PostgreSQL takes at most 65535 parameters per statement.
constexpr std::size_t insert_rows = 1000;
constexpr std::size_t insert_bytes = 8u << 20;

struct StreamHead {
  Revision revision = 0;
  Position last_position = 0;
  std::optional<std::string> last_command_id;  // known once looked up or written here
};

struct EventRow {
  Position position;
  const std::string* stream;
  Revision revision;
  const std::string* command_id;
  std::string record;
};

std::string values_list(std::size_t rows, std::size_t columns) {
  std::string sql;
  std::size_t n = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ",(";
    for (std::size_t c = 0; c < columns; ++c) {
      if (c > 0) sql += ",";
      sql += "$" + std::to_string(n++);
    }
    sql += ")";
  }
  return sql;
}

Hash to_hash(std::string_view bytes) {
  Hash h{};
  if (bytes.size() != h.size()) throw pg::PgFailure{Error{ErrorCode::corrupt, "log_head.hash is not 32 bytes"}};
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

}  // namespace

PostgresWriter::PostgresWriter(const PostgresOptions& options, CommitSignal& signal)
    : options_(options), signal_(signal), thread_([this] { run(); }) {}

PostgresWriter::~PostgresWriter() { stop(); }

void PostgresWriter::submit(AppendRequest request, AppendCallback done) {
  std::optional<Error> refused;
  if (auto why = check_append_request(request)) refused = Error{ErrorCode::invalid_argument, *why};
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(request), std::move(done), std::move(refused)});
      cv_.notify_one();
      return;
    }
  }
  done(fail(Error{ErrorCode::closed, "the log is closed"}));
}

void PostgresWriter::stop() {
  std::lock_guard stop_lock(stop_mutex_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

CommitStats PostgresWriter::stats() const {
  CommitStats s;
  s.commits = commits_.load();
  s.appends = appends_.load();
  return s;
}

std::int64_t PostgresWriter::now_us() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void PostgresWriter::run() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      while (!queue_.empty() && batch.size() < options_.max_batch_appends) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Position last = 0;
    auto results = commit(batch, last);
    if (last > 0) signal_.publish(last);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
  }
}

std::vector<StoreResult<AppendResult>> PostgresWriter::commit(std::vector<Pending>& batch,
                                                              Position& last) {
  std::vector<StoreResult<AppendResult>> results;
  results.reserve(batch.size());
  bool any = false;
  for (auto& p : batch) {
    if (p.refused) {
      results.push_back(fail(*p.refused));
    } else {
      results.push_back(fail(Error{ErrorCode::io_error, "not written"}));
      any = true;
    }
  }
  if (!any) return results;

  const std::string& schema = options_.schema;
  bool committing = false;
  try {
    if (conn_ == nullptr) conn_ = std::make_unique<pg::PgConnection>(options_.conninfo);
    auto& conn = *conn_;
    conn.exec("BEGIN");
    // The lock that orders every node's appends; held until this transaction ends.
    auto head = conn.exec("SELECT position, hash FROM " + pg::table(schema, "log_head") +
                          " WHERE id = 1 FOR UPDATE");
    if (head.count() != 1) throw pg::PgFailure{Error{ErrorCode::corrupt, "log_head has no row"}};
    Position position = static_cast<Position>(head.int8(0, 0));
    Hash prev = to_hash(head.view(0, 1));

    std::map<std::string, StreamHead, std::less<>> heads;           // looked up or written
    std::map<std::string, StreamHead, std::less<>> dirty_heads;     // written by this batch
    std::map<std::string, AppendResult, std::less<>> commands;      // looked up or written
    std::vector<std::pair<const std::string*, AppendResult>> new_commands;
    std::vector<EventRow> rows;
    const std::int64_t time_us = now_us();

    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].refused) continue;
      const AppendRequest& r = batch[i].request;
      if (!r.command_id.empty()) {
        auto found = commands.find(r.command_id);
        if (found == commands.end()) {
          pg::Params p;
          p.bytea(r.command_id);
          auto c = conn.exec("SELECT first_position, last_position, first_revision, last_revision FROM " +
                                 pg::table(schema, "commands") + " WHERE command_id = $1",
                             p);
          if (c.count() == 1) {
            AppendResult first;
            first.first_position = static_cast<Position>(c.int8(0, 0));
            first.last_position = static_cast<Position>(c.int8(0, 1));
            first.first_revision = static_cast<Revision>(c.int8(0, 2));
            first.last_revision = static_cast<Revision>(c.int8(0, 3));
            found = commands.emplace(r.command_id, first).first;
          }
        }
        if (found != commands.end()) {
          AppendResult dup = found->second;
          dup.duplicate = true;
          results[i] = dup;
          continue;
        }
      }
      auto h = heads.find(r.stream);
      if (h == heads.end()) {
        pg::Params p;
        p.bytea(r.stream);
        auto s = conn.exec("SELECT revision, last_position FROM " + pg::table(schema, "heads") +
                               " WHERE stream = $1",
                           p);
        StreamHead sh;
        if (s.count() == 1) {
          sh.revision = static_cast<Revision>(s.int8(0, 0));
          sh.last_position = static_cast<Position>(s.int8(0, 1));
        }
        h = heads.emplace(r.stream, sh).first;
      }
      const Revision actual = h->second.revision;
      const bool matches = r.expected.kind() == ExpectedRevision::Kind::any ||
                           (r.expected.kind() == ExpectedRevision::Kind::no_stream && actual == 0) ||
                           (r.expected.kind() == ExpectedRevision::Kind::exact &&
                            actual == r.expected.revision());
      if (!matches) {
        results[i] = fail(Error{ErrorCode::wrong_expected_revision,
                                "stream " + r.stream + " is at revision " + std::to_string(actual),
                                actual});
        continue;
      }
      if (!r.expected_last_command_id.empty()) {
        if (!h->second.last_command_id && h->second.last_position > 0) {
          pg::Params p;
          p.int8(static_cast<std::int64_t>(h->second.last_position));
          auto c = conn.exec("SELECT command_id FROM " + pg::table(schema, "events") +
                                 " WHERE position = $1",
                             p);
          if (c.count() == 1) h->second.last_command_id = std::string(c.view(0, 0));
        }
        if (h->second.last_command_id != r.expected_last_command_id) {
          results[i] = fail(Error{ErrorCode::wrong_expected_revision,
                                  "stream " + r.stream + "'s last event is not of command " +
                                      r.expected_last_command_id,
                                  actual});
          continue;
        }
      }
      AppendResult result;
      result.first_position = position + 1;
      result.first_revision = actual + 1;
      Revision revision = actual;
      for (const auto& e : r.events) {
        ++position;
        ++revision;
        record::RecordFields f{position, r.stream, revision, e.type, e.schema_version,
                               time_us,  r.actor,  r.command_id, e.payload};
        std::string bytes;
        prev = record::append_record(bytes, f, prev);
        rows.push_back(EventRow{position, &r.stream, revision, &r.command_id, std::move(bytes)});
      }
      result.last_position = position;
      result.last_revision = revision;
      h->second = StreamHead{revision, position, r.command_id};
      dirty_heads[r.stream] = h->second;
      if (!r.command_id.empty()) {
        commands.emplace(r.command_id, result);
        new_commands.emplace_back(&r.command_id, result);
      }
      results[i] = result;
    }

    if (!rows.empty()) {
      for (std::size_t begin = 0; begin < rows.size();) {
        std::size_t end = begin;
        std::size_t bytes = 0;
        pg::Params p;
        while (end < rows.size() && end - begin < insert_rows &&
               (end == begin || bytes + rows[end].record.size() <= insert_bytes)) {
          const auto& row = rows[end];
          p.int8(row.position).bytea(*row.stream).int8(row.revision).bytea(*row.command_id).bytea(row.record);
          bytes += row.record.size();
          ++end;
        }
        conn.exec("INSERT INTO " + pg::table(schema, "events") +
                      " (position, stream, revision, command_id, record) VALUES " +
                      values_list(end - begin, 5),
                  p);
        begin = end;
      }
      {
        pg::Params p;
        for (const auto& [stream, sh] : dirty_heads) p.bytea(stream).int8(sh.revision).int8(sh.last_position);
        conn.exec("INSERT INTO " + pg::table(schema, "heads") + " (stream, revision, last_position) VALUES " +
                      values_list(dirty_heads.size(), 3) +
                      " ON CONFLICT (stream) DO UPDATE SET revision = EXCLUDED.revision,"
                      " last_position = EXCLUDED.last_position",
                  p);
      }
      for (std::size_t begin = 0; begin < new_commands.size(); begin += insert_rows) {
        const std::size_t end = std::min(new_commands.size(), begin + insert_rows);
        pg::Params p;
        for (std::size_t k = begin; k < end; ++k) {
          const auto& [id, r] = new_commands[k];
          p.bytea(*id).int8(r.first_position).int8(r.last_position).int8(r.first_revision).int8(r.last_revision);
        }
        conn.exec("INSERT INTO " + pg::table(schema, "commands") + " VALUES " + values_list(end - begin, 5), p);
      }
      pg::Params p;
      p.int8(position).bytea(std::string_view(reinterpret_cast<const char*>(prev.data()), prev.size()));
      conn.exec("UPDATE " + pg::table(schema, "log_head") + " SET position = $1, hash = $2 WHERE id = 1", p);
      // Delivered at COMMIT to every node LISTENing, in commit order.
      conn.exec_script("NOTIFY \"" + pg::channel(schema) + "\", '" + std::to_string(position) + "'");
    }
    committing = true;
    conn.exec("COMMIT");
    commits_.fetch_add(1);
    if (!rows.empty()) last = position;
  } catch (const pg::PgFailure& failure) {
    Error error = failure.error;
    if (committing && failure.connection_lost) {
      error.message = "the connection broke during COMMIT; the outcome is unknown: " + error.message;
    }
    if (failure.connection_lost || conn_ == nullptr || !conn_->healthy()) {
      // A half-done transaction on a live connection is rolled back by dropping it.
      conn_.reset();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].refused) results[i] = fail(error);
    }
    return results;
  }
  appends_.fetch_add(batch.size());
  return results;
}

}  // namespace rembuk::store
