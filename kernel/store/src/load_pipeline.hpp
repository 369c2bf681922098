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
// kBatches batches wait, so memory stays bounded whatever the archive's size. When the loader
// fails, stop() makes the walk's next push throw StoreException, so the walk ends early.
//
// Thread safety: push_*() and close() from the walking thread; drain() and stop() from the
// loading thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "archive_loader.hpp"

namespace rembuk::store::archive {

class LoadPipeline {
 public:
  LoadPipeline() { filling_.reserve(kBatch); }

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
  struct Event {
    RecordedEvent event;
    std::string record;
  };
  struct Command {
    std::string id;
    AppendResult range;
  };
  struct Checkpoint {};
  using Entry = std::variant<Event, Command, Checkpoint>;

  static constexpr std::size_t kBatch = 512;
  static constexpr std::size_t kBatches = 8;

  void push(Entry entry);
  void hand_over();  // the batch being filled → the queue (waits while it is full)

  std::vector<Entry> filling_;  // walking thread only

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Entry>> queue_;  // guarded by mutex_
  bool closed_ = false;                   // guarded by mutex_
  bool stopped_ = false;                  // guarded by mutex_
};

}  // namespace rembuk::store::archive
