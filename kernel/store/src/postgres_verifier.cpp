#include "postgres_verifier.hpp"

#include <map>
#include <string>

#include "record_codec.hpp"

namespace rembuk::store {
namespace {

constexpr int page = 1000;

struct Range {
  Position first = 0;
  Position last = 0;
};

VerifyReport bad(VerifyReport report, Position at, std::string reason) {
  report.ok = false;
  report.bad_position = at;
  report.reason = std::move(reason);
  return report;
}

VerifyReport walk(pg::PgConnection& conn, std::string_view schema) {
  VerifyReport report;
  std::map<std::string, Range> commands;
  {
    auto rows = conn.exec("SELECT command_id, first_position, last_position FROM " +
                          pg::table(schema, "commands"));
    for (int i = 0; i < rows.count(); ++i) {
      commands[rows.bytea(i, 0)] = Range{static_cast<Position>(rows.int8(i, 1)),
                                         static_cast<Position>(rows.int8(i, 2))};
    }
  }
  std::map<std::string, std::pair<Revision, Position>> last;  // stream -> revision, position
  std::map<std::string, Range> seen_commands;
  Hash prev{};
  Position p = 0;
  for (;;) {
    pg::Params params;
    params.int8(p);
    params.int8(static_cast<std::int64_t>(page));
    auto rows = conn.exec("SELECT position, stream, revision, command_id, record FROM " +
                              pg::table(schema, "events") +
                              " WHERE position > $1 ORDER BY position LIMIT $2",
                          params);
    for (int i = 0; i < rows.count(); ++i) {
      const Position at = p + 1;
      if (static_cast<Position>(rows.int8(i, 0)) != at) {
        return bad(report, at, "position " + std::to_string(at) + " is missing");
      }
      const auto bytes = rows.view(i, 4);
      const auto event = record::decode(bytes);
      if (!event || event->position != at) return bad(report, at, "the record does not decode");
      if (event->stream != rows.view(i, 1) ||
          event->revision != static_cast<Revision>(rows.int8(i, 2)) ||
          event->command_id != rows.view(i, 3)) {
        return bad(report, at, "the row's stream, revision or command id differ from its record");
      }
      if (event->prev_hash != prev) return bad(report, at, "prev_hash does not match the previous hash");
      if (record::compute_hash(prev, record::canonical_part(bytes)) != event->hash) {
        return bad(report, at, "the hash does not match the record");
      }
      auto& [revision, position] = last[event->stream];
      if (event->revision != revision + 1) {
        return bad(report, at, "revision " + std::to_string(event->revision) + " of " +
                                   event->stream + " follows " + std::to_string(revision));
      }
      revision = event->revision;
      position = at;
      if (!event->command_id.empty()) {
        const auto c = commands.find(event->command_id);
        if (c == commands.end() || at < c->second.first || at > c->second.last) {
          return bad(report, at, "the commands table does not cover this event's command id");
        }
        auto& s = seen_commands[event->command_id];
        if (s.first == 0) s.first = at;
        s.last = at;
      }
      prev = event->hash;
      p = at;
      ++report.events_checked;
    }
    if (rows.count() < page) break;
  }
  auto heads = conn.exec("SELECT stream, revision, last_position FROM " + pg::table(schema, "heads"));
  if (static_cast<std::size_t>(heads.count()) != last.size()) {
    return bad(report, 0, "heads lists " + std::to_string(heads.count()) + " streams, the events " +
                              std::to_string(last.size()));
  }
  for (int i = 0; i < heads.count(); ++i) {
    const auto found = last.find(heads.bytea(i, 0));
    if (found == last.end() || found->second.first != static_cast<Revision>(heads.int8(i, 1)) ||
        found->second.second != static_cast<Position>(heads.int8(i, 2))) {
      return bad(report, 0, "heads entry of " + heads.bytea(i, 0) + " disagrees with the events");
    }
  }
  for (const auto& [id, range] : commands) {
    const auto s = seen_commands.find(id);
    if (s == seen_commands.end() || s->second.first != range.first || s->second.last != range.last) {
      return bad(report, 0, "commands entry " + id + " does not point at its events");
    }
  }
  auto head = conn.exec("SELECT position, hash FROM " + pg::table(schema, "log_head"));
  const std::string_view prev_bytes(reinterpret_cast<const char*>(prev.data()), prev.size());
  if (head.count() != 1 || static_cast<Position>(head.int8(0, 0)) != p || head.view(0, 1) != prev_bytes) {
    return bad(report, 0, "log_head does not name the last event");
  }
  return report;
}

}  // namespace

VerifyReport verify_postgres_log(pg::PgConnection& conn, std::string_view schema) {
  conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    auto report = walk(conn, schema);
    conn.exec("COMMIT");
    return report;
  } catch (...) {
    if (conn.healthy() == false) {
      try {
        conn.exec("ROLLBACK");
      } catch (const pg::PgFailure&) {
      }
    }
    throw;
  }
}

}  // namespace rembuk::store
