// LoadPipeline: a bounded queue between a walk of an archive on one thread and the LogLoader
// on the restoring thread, so that reading and proving the archive takes one core while the
// other writes the store.
//
// Why: proving an archive and loading it each take a second or two per million events, one
// core each. The walk's contract allows doing both in one pass (a sink that writes must not
// publish before the walk returned ok, and a loader publishes nothing before finish()), and
// on two threads they overlap: a restore costs the longer of the two, not their sum. The
// loader stays on the thread that opened it, because an LMDB write transaction belongs to the
// thread that began it.
//
// Entries go over in batches of up to kBatch (one lock per batch, not per event); at most
// kBatches batches wait, so memory stays bounded whatever the archive's size (with those the
// loader still holds, below: for LMDB, one transaction's 4 MB of records). A batch keeps
// the bytes of its entries (records, streams, command ids) in one buffer, so an entry costs
// one copy and no allocation of its own. The loader gets views into that buffer; drain()
// keeps the batches it handed over until the loader's checkpoint() says it holds no view of
// them (archive_loader.hpp), so the loader need not copy what it may have to write again;
// then it gives them back for the walk to fill again (no allocation in the steady state).
// When the loader fails, stop() makes the walk's next push throw StoreException, so the walk
// ends early.
//
// Thread safety: push_*() and close() from the walking thread; drain() and stop() from the
// loading thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "archive_loader.hpp"

namespace rembuk::store::archive {

class LoadPipeline {
 public:
  LoadPipeline() { reserve(filling_); }

  // The walking thread.
  void push_event(const RecordedEvent& event, std::string_view record);
  void push_command(std::string_view command_id, const AppendResult& range);
  void push_checkpoint();
  void close();  // nothing more will come (also after the walk failed)

  // The loading thread: hands every entry to `loader` until close() and the queue is empty.
  // What the loader throws propagates (after stop(), so the walk ends too).
  void drain(LogLoader& loader);
  void stop();  // the walk's next push throws; the queue is dropped

 private:
  enum class Kind : std::uint8_t { event, command, checkpoint };
  // A piece of Batch::bytes.
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
  };
  struct Entry {
    Kind kind = Kind::checkpoint;
    Position position = 0;  // event
    Revision revision = 0;  // event
    AppendResult range;     // command
    Span stream;            // event
    Span id;                // event: its command id; command: the id
    Span record;            // event
  };
  struct Batch {
    std::string bytes;
    std::vector<Entry> entries;
  };

  static constexpr std::size_t kBatch = 512;
  static constexpr std::size_t kBatches = 8;

  static void reserve(Batch& batch);
  Span keep(std::string_view bytes);  // appends to filling_.bytes
  void pushed();                      // an entry was added to filling_
  void hand_over();  // the batch being filled → the queue (waits while it is full)
  void release(std::vector<Batch>& batches);  // → spare_, emptied

  Batch filling_;  // walking thread only

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;   // guarded by mutex_
  std::vector<Batch> spare_;  // released by the loader, for the walk; guarded by mutex_
  bool closed_ = false;       // guarded by mutex_
  bool stopped_ = false;      // guarded by mutex_
};

}  // namespace rembuk::store::archive
