// LogReader: every read of the log, through one LMDB transaction (read or write).
//
// Failures throw (lmdb::LmdbError, StoreException with ErrorCode::corrupt); the callers
// catch at the public edge. Records are decoded into owned values, so nothing returned
// points into the map after the transaction ends.
//
// Thread safety: as the transaction it reads through (one thread at a time).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys.hpp"
#include "lmdb_handles.hpp"
#include "log_environment.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

class LogReader {
 public:
  LogReader(const lmdb::Txn& txn, const Dbis& dbis) : txn_(txn), dbis_(dbis) {}

  std::optional<RecordedEvent> event_at(Position position) const;
  std::vector<RecordedEvent> stream_forward(std::string_view stream, Revision from,
                                            std::size_t max) const;
  std::vector<RecordedEvent> stream_backward(std::string_view stream, Revision to,
                                             std::size_t max) const;
  std::vector<RecordedEvent> all_forward(Position from, std::size_t max) const;
  std::vector<RecordedEvent> all_backward(Position to, std::size_t max) const;

  Head head() const;
  // With `tail`: also copies the positions of the stream's incomplete index chunk there
  // (empty when the stream has none or does not exist).
  std::optional<keys::HeadValue> stream_head(std::string_view stream,
                                             std::string* tail = nullptr) const;
  // The position the stream index gives revision `revision` of `stream`; nullopt when the
  // index has none (a revision past the head, or a missing chunk). Used by verify.
  std::optional<Position> indexed_position(std::string_view stream, Revision revision) const;
  std::vector<StreamInfo> streams() const;
  std::optional<AppendResult> command(std::string_view command_id) const;
  std::optional<Snapshot> snapshot(std::string_view stream, Revision max_revision) const;

  // Positions of one stream's revisions, through its index as the transaction sees it; reads
  // the head once and each chunk once for consecutive revisions. `stream` must outlive it.
  class StreamIndex {
   public:
    StreamIndex(const LogReader& reader, std::string_view stream);
    Revision head_revision() const { return head_ ? head_->revision : 0; }
    // REQUIRES: 1 <= revision <= head_revision(). nullopt: the chunk is missing or short.
    std::optional<Position> position(Revision revision);
    // As position(), throwing ErrorCode::corrupt when the index has none.
    Position must_position(Revision revision);

   private:
    const LogReader& reader_;
    std::string_view stream_;
    std::optional<keys::HeadValue> head_;
    std::string tail_;
    std::optional<Revision> chunk_;  // the chunk `bytes_` holds
    std::string_view bytes_;         // into the map: valid while the transaction reads
  };

 private:
  // The event at `position`, which the index gives for a revision; corrupt when missing.
  RecordedEvent indexed_event(Position position) const;
  static RecordedEvent decode_at(Position position, std::string_view bytes);

  const lmdb::Txn& txn_;
  const Dbis& dbis_;
};

}  // namespace rembuk::store
