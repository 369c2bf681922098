// Snapshots with their tails; see snapshot_store.hpp.
#include "snapshot_store.hpp"

#include <string>
#include <vector>

#include "keys.hpp"

namespace rembuk::store {

namespace {

// The revision of the stream's newest snapshot; 0 when it has none.
Revision newest_revision(lmdb::Txn& txn, MDB_dbi snapshots, std::string_view stream) {
  lmdb::Cursor cursor(txn, snapshots);
  // The key just past every key of the stream: its prefix with the NUL raised to 0x01.
  std::string past = keys::stream_prefix(stream);
  past.back() = '\x01';
  std::string_view key = past;
  std::string_view value;
  bool found = cursor.move(MDB_SET_RANGE, key, value);
  found = found ? cursor.move(MDB_PREV, key, value) : cursor.move(MDB_LAST, key, value);
  if (!found) return 0;
  const auto parsed = keys::parse_stream_revision_key(key);
  if (!parsed || parsed->stream != stream) return 0;
  return parsed->revision;
}

// Deletes every tail of the stream (at most one is ever left: the newest snapshot's).
void drop_tails(lmdb::Txn& txn, MDB_dbi tails, std::string_view stream) {
  const std::string prefix = keys::stream_prefix(stream);
  std::vector<std::string> doomed;
  {
    lmdb::Cursor cursor(txn, tails);
    std::string_view key = prefix;
    std::string_view value;
    for (bool found = cursor.move(MDB_SET_RANGE, key, value); found && key.starts_with(prefix);
         found = cursor.move(MDB_NEXT, key, value)) {
      doomed.emplace_back(key);
    }
  }
  for (const auto& key : doomed) txn.del(tails, key);
}

}  // namespace

void store_snapshot(lmdb::Txn& txn, const Dbis& dbis, std::string_view stream,
                    Revision revision, std::string_view bytes, std::size_t lasting_bytes) {
  const std::string key = keys::stream_revision_key(stream, revision);
  const std::string_view tail = bytes.substr(lasting_bytes);
  if (newest_revision(txn, dbis.snapshots, stream) > revision) {
    // Not the newest (a rebuild writes in any order): its lasting part is all it keeps.
    txn.put(dbis.snapshots, key, bytes.substr(0, lasting_bytes));
    txn.del(dbis.snapshot_tails, key);
    return;
  }
  drop_tails(txn, dbis.snapshot_tails, stream);
  txn.put(dbis.snapshots, key, bytes.substr(0, lasting_bytes));
  if (!tail.empty()) txn.put(dbis.snapshot_tails, key, tail);
}

void drop_snapshots(lmdb::Txn& txn, const Dbis& dbis) {
  lmdb::check("mdb_drop", mdb_drop(txn.get(), dbis.snapshots, 0));
  lmdb::check("mdb_drop", mdb_drop(txn.get(), dbis.snapshot_tails, 0));
}

}  // namespace rembuk::store
