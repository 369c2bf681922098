#include "log_reader.hpp"

#include <algorithm>
#include <string>

#include "record_codec.hpp"
#include "store_errors.hpp"

namespace rembuk::store {

RecordedEvent LogReader::decode_at(Position position, std::string_view bytes) {
  auto event = record::decode(bytes);
  if (!event) throw_corrupt("event at position " + std::to_string(position) + " does not decode");
  if (event->position != position) {
    throw_corrupt("event stored at position " + std::to_string(position) + " says position " +
                  std::to_string(event->position));
  }
  return std::move(*event);
}

std::optional<RecordedEvent> LogReader::event_at(Position position) const {
  std::string_view bytes;
  if (!txn_.get(dbis_.events, keys::position_key(position), bytes)) return std::nullopt;
  return decode_at(position, bytes);
}

LogReader::StreamIndex::StreamIndex(const LogReader& reader, std::string_view stream)
    : reader_(reader), stream_(stream) {
  head_ = reader.stream_head(stream, &tail_);
}

// Revisions are contiguous (1..head): revision r is slot slot_of(r) of chunk chunk_of(r),
// in `stream_chunks` up to chunked_through(head), in the head's tail after it (keys.hpp).
std::optional<Position> LogReader::StreamIndex::position(Revision revision) {
  const Revision chunked = keys::chunked_through(head_->revision);
  if (revision > chunked) {
    const auto slot = static_cast<std::size_t>(revision - chunked - 1);
    return keys::get_u64(std::string_view(tail_).substr(slot * 8));
  }
  const Revision chunk = keys::chunk_of(revision);
  if (!chunk_ || *chunk_ != chunk) {
    chunk_.reset();
    if (!reader_.txn_.get(reader_.dbis_.stream_chunks, keys::stream_revision_key(stream_, chunk),
                          bytes_) ||
        bytes_.size() != keys::chunk_bytes) {
      return std::nullopt;
    }
    chunk_ = chunk;
  }
  return keys::get_u64(bytes_.substr(keys::slot_of(revision) * 8));
}

Position LogReader::StreamIndex::must_position(Revision revision) {
  auto found = position(revision);
  if (!found) {
    throw_corrupt("stream index has no position for revision " + std::to_string(revision));
  }
  return *found;
}

RecordedEvent LogReader::indexed_event(Position position) const {
  auto event = event_at(position);
  if (!event) throw_corrupt("stream index points at missing position " + std::to_string(position));
  return std::move(*event);
}

std::optional<Position> LogReader::indexed_position(std::string_view stream,
                                                    Revision revision) const {
  StreamIndex index(*this, stream);
  if (revision < 1 || revision > index.head_revision()) return std::nullopt;
  return index.position(revision);
}

std::vector<RecordedEvent> LogReader::stream_forward(std::string_view stream, Revision from,
                                                     std::size_t max) const {
  std::vector<RecordedEvent> out;
  StreamIndex index(*this, stream);
  for (Revision r = std::max<Revision>(from, 1); r <= index.head_revision() && out.size() < max;
       ++r) {
    out.push_back(indexed_event(index.must_position(r)));
  }
  return out;
}

std::vector<RecordedEvent> LogReader::stream_backward(std::string_view stream, Revision to,
                                                      std::size_t max) const {
  std::vector<RecordedEvent> out;
  StreamIndex index(*this, stream);
  const Revision head = index.head_revision();
  const Revision last = to == 0 ? head : std::min(to, head);
  for (Revision r = last; r >= 1 && out.size() < max; --r) {
    out.push_back(indexed_event(index.must_position(r)));
  }
  return out;
}

std::vector<RecordedEvent> LogReader::all_forward(Position from, std::size_t max) const {
  std::vector<RecordedEvent> out;
  if (max == 0) return out;
  lmdb::Cursor cursor(txn_, dbis_.events);
  const std::string start = keys::position_key(std::max<Position>(from, 1));
  std::string_view key = start;
  std::string_view value;
  for (bool found = cursor.move(MDB_SET_RANGE, key, value); found && out.size() < max;
       found = cursor.move(MDB_NEXT, key, value)) {
    if (key.size() != 8) throw_corrupt("events key of " + std::to_string(key.size()) + " bytes");
    out.push_back(decode_at(keys::get_u64(key), value));
  }
  return out;
}

std::vector<RecordedEvent> LogReader::all_backward(Position to, std::size_t max) const {
  std::vector<RecordedEvent> out;
  if (max == 0) return out;
  lmdb::Cursor cursor(txn_, dbis_.events);
  std::string_view key;
  std::string_view value;
  bool found = false;
  if (to == 0) {
    found = cursor.move(MDB_LAST, key, value);
  } else {
    const std::string start = keys::position_key(to);
    key = start;
    found = cursor.move(MDB_SET_RANGE, key, value);
    if (!found) {
      found = cursor.move(MDB_LAST, key, value);
    } else if (keys::get_u64(key) > to) {
      found = cursor.move(MDB_PREV, key, value);
    }
  }
  for (; found && out.size() < max; found = cursor.move(MDB_PREV, key, value)) {
    if (key.size() != 8) throw_corrupt("events key of " + std::to_string(key.size()) + " bytes");
    out.push_back(decode_at(keys::get_u64(key), value));
  }
  return out;
}

Head LogReader::head() const {
  Head head;
  lmdb::Cursor cursor(txn_, dbis_.events);
  std::string_view key;
  std::string_view value;
  if (!cursor.move(MDB_LAST, key, value)) return head;
  if (key.size() != 8 || value.size() < 2 * record::hash_size) {
    throw_corrupt("last event does not decode");
  }
  head.position = keys::get_u64(key);
  head.hash = record::stored_hash(value);
  return head;
}

std::optional<keys::HeadValue> LogReader::stream_head(std::string_view stream,
                                                      std::string* tail) const {
  if (tail) tail->clear();
  std::string_view value;
  if (!txn_.get(dbis_.heads, stream, value)) return std::nullopt;
  auto head = keys::decode_head(value);
  if (!head) throw_corrupt("heads entry of a stream does not decode");
  if (tail) tail->assign(keys::head_tail(value));
  return head;
}

std::vector<StreamInfo> LogReader::streams() const {
  std::vector<StreamInfo> out;
  lmdb::Cursor cursor(txn_, dbis_.heads);
  std::string_view key;
  std::string_view value;
  for (bool found = cursor.move(MDB_FIRST, key, value); found;
       found = cursor.move(MDB_NEXT, key, value)) {
    auto head = keys::decode_head(value);
    if (!head) throw_corrupt("heads entry of a stream does not decode");
    out.push_back(StreamInfo{std::string(key), head->revision, head->position});
  }
  return out;
}

std::optional<AppendResult> LogReader::command(std::string_view command_id) const {
  std::string_view value;
  if (command_id.empty() || !txn_.get(dbis_.commands, command_id, value)) return std::nullopt;
  auto result = keys::decode_append_result(value);
  if (!result) throw_corrupt("commands entry does not decode");
  return result;
}

std::optional<Snapshot> LogReader::snapshot(std::string_view stream,
                                            Revision max_revision) const {
  lmdb::Cursor cursor(txn_, dbis_.snapshots);
  const std::string target = keys::stream_revision_key(stream, max_revision);
  std::string_view key = target;
  std::string_view value;
  bool found = cursor.move(MDB_SET_RANGE, key, value);
  if (!found) {
    found = cursor.move(MDB_LAST, key, value);
  } else if (key != target) {
    found = cursor.move(MDB_PREV, key, value);
  }
  if (!found) return std::nullopt;
  const auto parsed = keys::parse_stream_revision_key(key);
  if (!parsed || parsed->stream != stream) return std::nullopt;
  Snapshot snapshot{parsed->revision, {}};
  std::string_view tail;
  // Only the stream's newest snapshot has a tail (snapshot_store.hpp).
  if (!txn_.get(dbis_.snapshot_tails, key, tail)) tail = {};
  snapshot.bytes.reserve(value.size() + tail.size());
  snapshot.bytes.append(value).append(tail);
  return snapshot;
}

}  // namespace rembuk::store
