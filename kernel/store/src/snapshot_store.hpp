// Writing a snapshot into the LMDB log: its lasting part in `snapshots`, the rest (its tail)
// in `snapshot_tails` only while it is its stream's newest (EventLog::put_snapshot says
// why). Reading it back is LogReader::snapshot.
#pragma once

#include <cstddef>
#include <string_view>

#include "lmdb_handles.hpp"
#include "log_environment.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

// Runs inside the writer's transaction; idempotent (the writer may run it again after the
// map grows). REQUIRES: lasting_bytes <= bytes.size().
void store_snapshot(lmdb::Txn& txn, const Dbis& dbis, std::string_view stream,
                    Revision revision, std::string_view bytes, std::size_t lasting_bytes);

// Drops every snapshot and every tail.
void drop_snapshots(lmdb::Txn& txn, const Dbis& dbis);

}  // namespace rembuk::store
