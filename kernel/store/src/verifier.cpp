#include "verifier.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "keyed_hash.hpp"
#include "keys.hpp"
#include "log_reader.hpp"
#include "record_codec.hpp"
#include "rembuk/common/thread_name.hpp"
#include "store_errors.hpp"

namespace rembuk::store {
namespace {

// Positions per range by default: big enough that a range's stream table and cursor set-up cost
// nothing against its hashing, small enough that two threads finish together.
constexpr Position default_range_positions = Position{1} << 15;
// Events between two updates of the shared progress counters.
constexpr Position progress_every = 4096;

struct Fault {
  Position position = 0;  // 0: an index problem found after the walk
  std::string reason;
};

// Where a stream is in one range: its first and last event there.
struct StreamSpan {
  Revision first_revision = 0;
  Revision last_revision = 0;
  Position first_position = 0;
  Position last_position = 0;
};

struct Range {
  Position begin = 0;  // first position
  Position end = 0;    // last position
  std::optional<Fault> fault;  // the first in the range; the walk of the range ends there
  std::unordered_map<std::string, StreamSpan> streams;
  // Events found at the first or the last position of their own command's `commands` entry
  // (an event that is both counts twice), when the walk looks entries up: see check_indexes().
  std::uint64_t command_ends = 0;
  // Otherwise the sum of the range's command tuples (see CommandTuples).
  std::uint64_t command_tuples = 0;
};

std::string pos_text(Position p) { return "position " + std::to_string(p); }

// The `commands` index, without a lookup per command. In a sound log the events that carry
// a command id are exactly the positions its entry spans, at the revisions it names: the
// multiset of (command, position, revision) tuples of the events equals the one the entries
// spell out. So the walk adds up a keyed hash of each event's tuple, one thread adds up the
// entries' tuples walking `commands` in key order, and equal sums prove the index (the sums
// of a wrong one agree only by chance). A lookup per command, which this replaces, searched
// `commands` out of its key order for every command: `rembuk verify` of the national log took
// 15.8–16.4 s that way and 13.8–13.9 s this way (docs/performance.md). When the sums
// differ, the walk is made again with a lookup per command, which names the first fault.
struct CommandTuples {
  std::uint64_t sum = 0;
  std::optional<Fault> fault;  // an entry that does not decode or spans outside the log
};

// Shared by the threads of one verify.
struct Walk {
  Walk(const Dbis& dbis, bool look_up) : db(dbis), look_up_commands(look_up) {}
  const Dbis& db;
  const bool look_up_commands;  // a lookup per command (and check_indexes' count) instead
  const KeyedHash hash;
  CommandTuples entries;  // filled by the first thread, before its ranges
  std::vector<Range> ranges;
  std::atomic<std::size_t> next{0};
  std::atomic<Position> first_fault{0};  // lowest faulty position found so far (0: none)
  std::atomic<std::uint64_t> events_done{0};
  std::atomic<std::uint64_t> bytes_done{0};

  void note_fault(Range& range, Position position, std::string reason) {
    range.fault = Fault{position, std::move(reason)};
    Position seen = first_fault.load();
    while ((seen == 0 || position < seen) && !first_fault.compare_exchange_weak(seen, position)) {
    }
  }
  // A range past a fault already found cannot change the report.
  bool skip(const Range& range) const {
    const Position fault = first_fault.load();
    return fault != 0 && range.begin > fault;
  }
};

// One stream as a range's walk sees it: where it is, and its index read through once.
struct StreamInRange {
  StreamSpan span;
  std::optional<LogReader::StreamIndex> index;  // made at the stream's first event in the range
  bool index_unreadable = false;                // its heads entry does not decode
  // On `commands`, left where the stream's last command was found. LMDB looks for a key in
  // the cursor's leaf page first (mdb_cursor_set), and a stream's next command id is usually
  // on that page: ids that begin with a time (the web client's `c-<ms>-…`) or a counter
  // follow each other in key order as in the log, where one cursor for the whole range would
  // jump between the streams' ids. On the national log this took about 7 % off the walk.
  std::optional<lmdb::Cursor> commands;
};

void check_range(Walk& walk, const lmdb::Txn& txn, Range& range) {
  const Dbis& db = walk.db;
  const LogReader reader(txn, db);
  Hash prev{};
  if (range.begin > 1) {
    // The link into this range: against the hash the record before it stores (that record's
    // own hash is checked by the range before).
    std::string_view bytes;
    if (txn.get(db.events, keys::position_key(range.begin - 1), bytes) &&
        bytes.size() >= 2 * record::hash_size) {
      prev = record::stored_hash(bytes);
    }
  }
  // Keyed by views into the map: valid while the transaction reads.
  std::unordered_map<std::string_view, StreamInRange> streams;
  std::string_view last_command;  // the command of the event before, and the range it holds
  std::optional<AppendResult> last_command_range;
  std::uint64_t last_command_hash = 0;  // or its hash, without lookups

  lmdb::Cursor events(txn, db.events);
  std::string_view key;
  std::string_view value;
  const std::string first_key = keys::position_key(range.begin);
  key = first_key;
  Position expected = range.begin;
  std::uint64_t events_unreported = 0;
  std::uint64_t bytes_unreported = 0;
  auto report = [&] {
    walk.events_done.fetch_add(events_unreported, std::memory_order_relaxed);
    walk.bytes_done.fetch_add(bytes_unreported, std::memory_order_relaxed);
    events_unreported = 0;
    bytes_unreported = 0;
  };
  for (bool found = events.move(MDB_SET_RANGE, key, value); expected <= range.end;
       found = events.move(MDB_NEXT, key, value), ++expected) {
    if (!found) {
      walk.note_fault(range, expected, pos_text(expected) + " is missing (no later key)");
      break;
    }
    if (key.size() != 8) {
      walk.note_fault(range, expected, "an events key is not 8 bytes long");
      break;
    }
    const Position position = keys::get_u64(key);
    if (position != expected) {
      walk.note_fault(range, expected, pos_text(expected) + " is missing (next stored key is " +
                                           std::to_string(position) + ")");
      break;
    }
    const auto event = record::view(value);
    if (!event) {
      walk.note_fault(range, position, "the record does not decode");
      break;
    }
    const record::RecordFields& fields = event->fields;
    if (fields.position != position) {
      walk.note_fault(range, position, "the record says " + pos_text(fields.position));
      break;
    }
    if (event->prev_hash != prev) {
      walk.note_fault(range, position, "prev_hash does not match the hash of the previous event");
      break;
    }
    if (record::compute_hash(prev, record::canonical_part(value)) != event->hash) {
      walk.note_fault(range, position, "the hash does not match the record's bytes");
      break;
    }
    prev = event->hash;

    auto [it, inserted] = streams.try_emplace(fields.stream);
    StreamInRange& stream = it->second;
    if (inserted) {
      stream.span.first_revision = fields.revision;
      stream.span.first_position = position;
      try {
        stream.index.emplace(reader, fields.stream);
      } catch (const StoreException&) {
        stream.index_unreadable = true;
      }
    } else if (fields.revision != stream.span.last_revision + 1) {
      walk.note_fault(range, position, "stream '" + std::string(fields.stream) +
                                           "' jumps from revision " +
                                           std::to_string(stream.span.last_revision) + " to " +
                                           std::to_string(fields.revision));
      break;
    }
    stream.span.last_revision = fields.revision;
    stream.span.last_position = position;

    std::optional<Position> indexed;
    if (stream.index && fields.revision >= 1 &&
        fields.revision <= stream.index->head_revision()) {
      indexed = stream.index->position(fields.revision);
    }
    if (indexed != position) {
      walk.note_fault(range, position, "the stream index does not map (stream, revision) here");
      break;
    }
    if (!fields.command_id.empty() && !walk.look_up_commands) {
      if (fields.command_id != last_command) {
        last_command = fields.command_id;
        last_command_hash = walk.hash(fields.command_id);
      }
      range.command_tuples += walk.hash.tuple(last_command_hash, position, fields.revision);
    } else if (!fields.command_id.empty()) {
      // The events of one command are consecutive: one lookup per command.
      if (fields.command_id != last_command || !last_command_range) {
        last_command = fields.command_id;
        if (!stream.commands) stream.commands.emplace(txn, db.commands);
        std::string_view id = fields.command_id;
        std::string_view stored;
        last_command_range = stream.commands->move(MDB_SET_KEY, id, stored)
                                 ? keys::decode_append_result(stored)
                                 : std::nullopt;
      }
      const auto& command = last_command_range;
      if (!command || position < command->first_position ||
          position > command->last_position ||
          fields.revision - command->first_revision != position - command->first_position) {
        walk.note_fault(range, position, "the commands index has no entry covering this event");
        break;
      }
      range.command_ends += static_cast<std::uint64_t>(position == command->first_position) +
                            static_cast<std::uint64_t>(position == command->last_position);
    }
    ++events_unreported;
    bytes_unreported += value.size();
    if (events_unreported == progress_every) report();
  }
  report();
  range.streams.reserve(streams.size());
  for (const auto& [name, stream] : streams) range.streams.emplace(std::string(name), stream.span);
}

// The entries' side of CommandTuples.
CommandTuples sum_command_entries(const Walk& walk, const lmdb::Txn& txn, Position last) {
  CommandTuples out;
  lmdb::Cursor cursor(txn, walk.db.commands);
  std::string_view key;
  std::string_view value;
  for (bool found = cursor.move(MDB_FIRST, key, value); found;
       found = cursor.move(MDB_NEXT, key, value)) {
    const auto range = keys::decode_append_result(value);
    if (!range || range->first_position == 0 || range->last_position < range->first_position ||
        range->last_position > last) {
      out.fault = Fault{0, "the commands entry '" + std::string(key) + "' points outside the log"};
      return out;
    }
    if (range->last_revision - range->first_revision !=
        range->last_position - range->first_position) {
      out.fault = Fault{0, "the commands entry '" + std::string(key) +
                               "' spans more revisions or positions than the other"};
      return out;
    }
    const std::uint64_t command = walk.hash(key);
    for (Position p = range->first_position; p <= range->last_position; ++p) {
      out.sum += walk.hash.tuple(command, p, range->first_revision + (p - range->first_position));
    }
  }
  return out;
}

void run_ranges(Walk& walk, const lmdb::Txn& txn, Position last, bool sums_entries,
                std::exception_ptr& error) {
  try {
    if (sums_entries) walk.entries = sum_command_entries(walk, txn, last);
    for (std::size_t i; (i = walk.next.fetch_add(1)) < walk.ranges.size();) {
      Range& range = walk.ranges[i];
      if (!walk.skip(range)) check_range(walk, txn, range);
    }
  } catch (...) {
    error = std::current_exception();
    walk.next.store(walk.ranges.size());  // the others stop too
  }
}

VerifyReport failed(Position position, Position last_sound, std::string reason) {
  VerifyReport report;
  report.ok = false;
  report.bad_position = position;
  report.events_checked = last_sound;
  report.reason = std::move(reason);
  return report;
}

// The whole-index checks, on the transaction whose head the walk ended at.
// Each `commands` entry must span events of its command id. The walk counted the events it
// found at an end of their own command's entry (`command_ends`): an event has one command id,
// so only the events at X's two ends can count for entry X, each once. Twice as many as there
// are entries means every entry's two ends hold its events, and no entry needs reading again;
// otherwise the entries are walked to name the one that does not.
// `command_ends` is nullopt when the commands sums proved the entries already.
std::optional<Fault> check_indexes(
    const lmdb::Txn& txn, const Dbis& db, Position last,
    const std::map<std::string, StreamSpan, std::less<>>& seen,
    std::optional<std::uint64_t> command_ends) {
  std::string_view key;
  std::string_view value;
  // heads: exactly the streams seen, each at its last event.
  std::size_t heads = 0;
  std::uint64_t chunks = 0;  // complete index chunks the heads call for
  lmdb::Cursor head_cursor(txn, db.heads);
  for (bool found = head_cursor.move(MDB_FIRST, key, value); found;
       found = head_cursor.move(MDB_NEXT, key, value)) {
    ++heads;
    const auto head = keys::decode_head(value);
    const auto it = seen.find(key);
    if (!head || it == seen.end() || head->revision != it->second.last_revision ||
        head->position != it->second.last_position) {
      return Fault{0, "the heads entry of stream '" + std::string(key) +
                          "' does not match its events"};
    }
    chunks += head->revision / keys::chunk_revisions;
  }
  if (heads != seen.size()) return Fault{0, "a stream with events has no heads entry"};

  // stream_chunks: no chunk beyond what the heads call for (each one used was checked above).
  MDB_stat stat{};
  lmdb::check("mdb_stat", mdb_stat(txn.get(), db.stream_chunks, &stat));
  if (stat.ms_entries != chunks) {
    return Fault{0, "the stream index holds " + std::to_string(stat.ms_entries) +
                        " chunks where the streams' heads call for " + std::to_string(chunks)};
  }

  // commands: every entry spans events of that command id.
  if (!command_ends) return std::nullopt;
  MDB_stat commands{};
  lmdb::check("mdb_stat", mdb_stat(txn.get(), db.commands, &commands));
  if (*command_ends == 2 * static_cast<std::uint64_t>(commands.ms_entries)) return std::nullopt;
  lmdb::Cursor command_cursor(txn, db.commands);
  for (bool found = command_cursor.move(MDB_FIRST, key, value); found;
       found = command_cursor.move(MDB_NEXT, key, value)) {
    const auto range = keys::decode_append_result(value);
    const std::string id(key);
    if (!range || range->first_position == 0 || range->last_position < range->first_position ||
        range->last_position > last) {
      return Fault{0, "the commands entry '" + id + "' points outside the log"};
    }
    for (const Position p : {range->first_position, range->last_position}) {
      std::string_view bytes;
      txn.get(db.events, keys::position_key(p), bytes);
      const auto event = record::decode(bytes);
      if (!event || event->command_id != id) {
        return Fault{p, "the commands entry '" + id + "' names an event of another command"};
      }
    }
  }
  // Every entry's ends hold its events, yet the count differed: the index changed under the
  // walk, which a read transaction rules out, or an event's entry was counted wrongly.
  return Fault{0, "the commands index holds " + std::to_string(commands.ms_entries) +
                      " entries where the events confirm " + std::to_string(*command_ends / 2)};
}

// One walk of the log at `head_txn`'s head (positions 1..last); see CommandTuples for
// `look_up_commands`.
VerifyReport walk_log(LogEnvironment& env, const VerifyOptions& run, const ReadTxn& head_txn,
                      Position last, bool look_up_commands) {
  const Dbis& db = env.dbis();
  const lmdb::Txn& txn = head_txn.txn();
  Walk walk(db, look_up_commands);
  const Position range_positions =
      run.range_positions == 0 ? default_range_positions : run.range_positions;
  for (Position begin = 1; begin <= last; begin += range_positions) {
    walk.ranges.push_back(Range{begin, std::min(last, begin + range_positions - 1), {}, {}});
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads = std::max<std::size_t>(
      1, std::min<std::size_t>(run.threads == 0 ? cores : run.threads, walk.ranges.size()));
  std::vector<ReadTxn> txns;
  txns.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) txns.push_back(env.begin_read_beside(head_txn));
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> workers;
  std::atomic<std::size_t> running{threads};
  for (std::size_t i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      name_this_thread("rembuk-verify");
      run_ranges(walk, txns[i].txn(), last, i == 0 && !look_up_commands, errors[i]);
      running.fetch_sub(1);
    });
  }
  auto show_progress = [&] {
    if (run.progress) {
      run.progress(VerifyProgress{walk.events_done.load(), last, walk.bytes_done.load()});
    }
  };
  // Without a progress callback nothing waits on a timer: a small log verifies at once.
  while (run.progress && running.load() != 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    show_progress();
  }
  for (auto& worker : workers) worker.join();
  show_progress();  // the last count, also for a walk shorter than one interval
  txns.clear();
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }

  // Join the ranges in order: each stream's first revision in a range follows its last
  // revision before it. The first fault (a range's own or a join's) is the report.
  std::map<std::string, StreamSpan, std::less<>> seen;
  std::uint64_t command_ends = 0;
  std::uint64_t command_tuples = 0;
  for (const Range& range : walk.ranges) {
    command_ends += range.command_ends;
    command_tuples += range.command_tuples;
    std::optional<Fault> first = range.fault;
    for (const auto& [stream, span] : range.streams) {
      const auto it = seen.find(stream);
      const Revision before = it == seen.end() ? 0 : it->second.last_revision;
      // At the same position the range's own fault is an index check, which comes after this
      // one in a walk of one range (a record that fails earlier checks opens no span).
      if (span.first_revision != before + 1 &&
          (!first || span.first_position <= first->position)) {
        first = Fault{span.first_position, "stream '" + stream + "' jumps from revision " +
                                               std::to_string(before) + " to " +
                                               std::to_string(span.first_revision)};
      }
    }
    if (first) return failed(first->position, first->position - 1, first->reason);
    for (const auto& [stream, span] : range.streams) {
      auto [it, inserted] = seen.try_emplace(stream, span);
      if (!inserted) {
        it->second.last_revision = span.last_revision;
        it->second.last_position = span.last_position;
      }
    }
  }
  if (!look_up_commands && (walk.entries.fault || walk.entries.sum != command_tuples)) {
    // The commands index is wrong somewhere: walk again looking each command up, which names
    // the first fault; a walk that finds none keeps the sums' report.
    VerifyReport named = walk_log(env, run, head_txn, last, true);
    if (!named.ok) return named;
    return failed(0, last, walk.entries.fault ? walk.entries.fault->reason
                                              : "the commands index does not match the events' "
                                                "command ids");
  }
  if (auto fault = check_indexes(txn, db, last, seen,
                                 look_up_commands ? std::optional(command_ends) : std::nullopt)) {
    return failed(fault->position, last, fault->reason);
  }
  VerifyReport report;
  report.events_checked = last;
  return report;
}

}  // namespace

VerifyReport verify_log(LogEnvironment& env, const VerifyOptions& run) {
  const Dbis& db = env.dbis();
  ReadTxn head_txn = env.begin_read();
  Position last = 0;
  {
    lmdb::Cursor cursor(head_txn.txn(), db.events);
    std::string_view key;
    std::string_view value;
    if (cursor.move(MDB_LAST, key, value)) {
      if (key.size() != 8) return failed(0, 0, "an events key is not 8 bytes long");
      last = keys::get_u64(key);
    }
  }
  return walk_log(env, run, head_txn, last, false);
}

}  // namespace rembuk::store
