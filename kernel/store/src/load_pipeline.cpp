#include "load_pipeline.hpp"

#include <utility>

#include "store_errors.hpp"

namespace rembuk::store::archive {
namespace {

// A batch goes over early once its bytes reach this much (large records), which also keeps
// every offset far below 2^32. Most batches are kBatch events of a few hundred bytes.
constexpr std::size_t kBatchBytes = 1u << 20;
constexpr std::size_t kBatchBytesReserved = 384u << 10;

}  // namespace

void LoadPipeline::reserve(Batch& batch) {
  batch.entries.reserve(kBatch);
  batch.bytes.reserve(kBatchBytesReserved);
}

LoadPipeline::Span LoadPipeline::keep(std::string_view bytes) {
  const Span span{static_cast<std::uint32_t>(filling_.bytes.size()),
                  static_cast<std::uint32_t>(bytes.size())};
  filling_.bytes.append(bytes);
  return span;
}

void LoadPipeline::push_event(const RecordedEvent& event, std::string_view record) {
  Entry entry;
  entry.kind = Kind::event;
  entry.position = event.position;
  entry.revision = event.revision;
  entry.stream = keep(event.stream);
  entry.id = keep(event.command_id);
  entry.record = keep(record);
  filling_.entries.push_back(entry);
  pushed();
}

void LoadPipeline::push_command(std::string_view command_id, const AppendResult& range) {
  Entry entry;
  entry.kind = Kind::command;
  entry.range = range;
  entry.id = keep(command_id);
  filling_.entries.push_back(entry);
  pushed();
}

void LoadPipeline::push_checkpoint() {
  filling_.entries.push_back(Entry{});
  pushed();
}

void LoadPipeline::pushed() {
  if (filling_.entries.size() >= kBatch || filling_.bytes.size() >= kBatchBytes) hand_over();
}

void LoadPipeline::hand_over() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.size() < kBatches || stopped_; });
  if (stopped_) {
    throw StoreException(Error{ErrorCode::io_error, "the restore stopped loading"});
  }
  queue_.push_back(std::move(filling_));
  filling_ = {};
  if (!spare_.empty()) {
    filling_ = std::move(spare_.back());
    spare_.pop_back();
  }
  lock.unlock();
  changed_.notify_all();
  if (filling_.entries.capacity() == 0) reserve(filling_);
}

void LoadPipeline::close() {
  if (!filling_.entries.empty()) {
    std::lock_guard lock(mutex_);
    // The last batch may exceed kBatches by one: close() must not wait for a stopped loader.
    if (!stopped_) queue_.push_back(std::move(filling_));
    filling_ = {};
  }
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

void LoadPipeline::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    queue_.clear();
  }
  changed_.notify_all();
}

void LoadPipeline::release(std::vector<Batch>& batches) {
  for (auto& batch : batches) {
    batch.entries.clear();
    batch.bytes.clear();
  }
  {
    std::lock_guard lock(mutex_);
    for (auto& batch : batches) spare_.push_back(std::move(batch));
  }
  batches.clear();
}

void LoadPipeline::drain(LogLoader& loader) {
  std::vector<Batch> held;  // handed to the loader, which may still hold views of them
  for (;;) {
    Batch batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !queue_.empty() || closed_ || stopped_; });
      if (stopped_ || queue_.empty()) return;  // closed and drained
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();
    try {
      const std::string_view bytes = batch.bytes;
      const auto view = [&](Span s) { return bytes.substr(s.offset, s.size); };
      for (const Entry& entry : batch.entries) {
        switch (entry.kind) {
          case Kind::event:
            loader.event(LoadedEvent{entry.position, entry.revision, view(entry.stream),
                                     view(entry.id), view(entry.record)});
            break;
          case Kind::command:
            loader.command(view(entry.id), entry.range);
            break;
          case Kind::checkpoint:
            if (loader.checkpoint()) {
              // Everything before this entry: the batches held and this one's start.
              release(held);
            }
            break;
        }
      }
    } catch (...) {
      stop();
      throw;
    }
    held.push_back(std::move(batch));
  }
}

}  // namespace rembuk::store::archive
