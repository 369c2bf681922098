#include "load_pipeline.hpp"

#include <utility>

#include "store_errors.hpp"

namespace rembuk::store::archive {

void LoadPipeline::push_event(const RecordedEvent& event, std::string_view record) {
  push(Event{event, std::string(record)});
}

void LoadPipeline::push_command(std::string_view command_id, const AppendResult& range) {
  push(Command{std::string(command_id), range});
}

void LoadPipeline::push_checkpoint() { push(Checkpoint{}); }

void LoadPipeline::push(Entry entry) {
  filling_.push_back(std::move(entry));
  if (filling_.size() >= kBatch) hand_over();
}

void LoadPipeline::hand_over() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.size() < kBatches || stopped_; });
  if (stopped_) {
    throw StoreException(Error{ErrorCode::io_error, "the restore stopped loading"});
  }
  queue_.push_back(std::move(filling_));
  filling_ = {};
  filling_.reserve(kBatch);
  lock.unlock();
  changed_.notify_all();
}

void LoadPipeline::close() {
  if (!filling_.empty()) {
    std::lock_guard lock(mutex_);
    // The last batch may exceed kBatches by one: close() must not wait for a stopped loader.
    if (!stopped_) queue_.push_back(std::move(filling_));
    filling_.clear();
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

void LoadPipeline::drain(LogLoader& loader) {
  for (;;) {
    std::vector<Entry> batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !queue_.empty() || closed_ || stopped_; });
      if (stopped_ || queue_.empty()) return;  // closed and drained
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();
    try {
      for (auto& entry : batch) {
        if (auto* e = std::get_if<Event>(&entry)) {
          loader.event(e->event, e->record);
        } else if (auto* c = std::get_if<Command>(&entry)) {
          loader.command(c->id, c->range);
        } else {
          loader.checkpoint();
        }
      }
    } catch (...) {
      stop();
      throw;
    }
  }
}

}  // namespace rembuk::store::archive
