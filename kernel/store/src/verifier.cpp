#include "verifier.hpp"

#include <map>
#include <string>

#include "keys.hpp"
#include "log_reader.hpp"
#include "record_codec.hpp"
#include "store_errors.hpp"

namespace rembuk::store {
namespace {

struct Walk {
  VerifyReport report;

  VerifyReport fail(Position position, std::string reason) {
    report.ok = false;
    report.bad_position = position;
    report.reason = std::move(reason);
    return report;
  }
};

std::string pos_text(Position p) { return "position " + std::to_string(p); }

}  // namespace

VerifyReport verify_log(const lmdb::Txn& txn, const Dbis& db) {
  Walk walk;
  const LogReader reader(txn, db);
  std::map<std::string, keys::HeadValue, std::less<>> seen;  // stream -> last revision, position
  Hash prev{};
  Position expected = 1;

  lmdb::Cursor events(txn, db.events);
  std::string_view key;
  std::string_view value;
  for (bool found = events.move(MDB_FIRST, key, value); found;
       found = events.move(MDB_NEXT, key, value), ++expected) {
    if (key.size() != 8) return walk.fail(expected, "an events key is not 8 bytes long");
    const Position position = keys::get_u64(key);
    if (position != expected) {
      return walk.fail(expected, pos_text(expected) + " is missing (next stored key is " +
                                     std::to_string(position) + ")");
    }
    auto event = record::decode(value);
    if (!event) return walk.fail(position, "the record does not decode");
    if (event->position != position) {
      return walk.fail(position, "the record says " + pos_text(event->position));
    }
    if (event->prev_hash != prev) {
      return walk.fail(position, "prev_hash does not match the hash of the previous event");
    }
    if (record::compute_hash(prev, record::canonical_part(value)) != event->hash) {
      return walk.fail(position, "the hash does not match the record's bytes");
    }
    prev = event->hash;

    auto [it, inserted] = seen.try_emplace(event->stream, keys::HeadValue{0, 0});
    if (event->revision != it->second.revision + 1) {
      return walk.fail(position, "stream '" + event->stream + "' jumps from revision " +
                                     std::to_string(it->second.revision) + " to " +
                                     std::to_string(event->revision));
    }
    it->second = keys::HeadValue{event->revision, position};

    std::optional<Position> indexed;
    try {
      indexed = reader.indexed_position(event->stream, event->revision);
    } catch (const StoreException&) {  // a heads entry that does not decode
    }
    if (indexed != position) {
      return walk.fail(position, "the stream index does not map (stream, revision) here");
    }
    if (!event->command_id.empty()) {
      std::string_view stored;
      const auto range = txn.get(db.commands, event->command_id, stored)
                             ? keys::decode_append_result(stored)
                             : std::nullopt;
      if (!range || position < range->first_position || position > range->last_position ||
          event->revision - range->first_revision != position - range->first_position) {
        return walk.fail(position, "the commands index has no entry covering this event");
      }
    }
    walk.report.events_checked = position;
  }
  const Position last = expected - 1;

  // heads: exactly the streams seen, each at its last event.
  std::size_t heads = 0;
  std::uint64_t chunks = 0;  // complete index chunks the heads call for
  lmdb::Cursor head_cursor(txn, db.heads);
  for (bool found = head_cursor.move(MDB_FIRST, key, value); found;
       found = head_cursor.move(MDB_NEXT, key, value)) {
    ++heads;
    const auto head = keys::decode_head(value);
    const auto it = seen.find(key);
    if (!head || it == seen.end() || head->revision != it->second.revision ||
        head->position != it->second.position) {
      return walk.fail(0, "the heads entry of stream '" + std::string(key) +
                              "' does not match its events");
    }
    chunks += head->revision / keys::chunk_revisions;
  }
  if (heads != seen.size()) return walk.fail(0, "a stream with events has no heads entry");

  // stream_chunks: no chunk beyond what the heads call for (each one used was checked above).
  MDB_stat stat{};
  lmdb::check("mdb_stat", mdb_stat(txn.get(), db.stream_chunks, &stat));
  if (stat.ms_entries != chunks) {
    return walk.fail(0, "the stream index holds " + std::to_string(stat.ms_entries) +
                            " chunks where the streams' heads call for " +
                            std::to_string(chunks));
  }

  // commands: every entry spans events of that command id.
  lmdb::Cursor command_cursor(txn, db.commands);
  for (bool found = command_cursor.move(MDB_FIRST, key, value); found;
       found = command_cursor.move(MDB_NEXT, key, value)) {
    const auto range = keys::decode_append_result(value);
    const std::string id(key);
    if (!range || range->first_position == 0 || range->last_position < range->first_position ||
        range->last_position > last) {
      return walk.fail(0, "the commands entry '" + id + "' points outside the log");
    }
    for (const Position p : {range->first_position, range->last_position}) {
      const auto event = record::decode(
          [&] {
            std::string_view bytes;
            txn.get(db.events, keys::position_key(p), bytes);
            return bytes;
          }());
      if (!event || event->command_id != id) {
        return walk.fail(p, "the commands entry '" + id + "' names an event of another command");
      }
    }
  }
  return walk.report;
}

}  // namespace rembuk::store
