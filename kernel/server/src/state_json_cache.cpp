#include "state_json_cache.hpp"

namespace rembuk::server {

std::shared_ptr<const std::string> StateJsonCache::find(std::string_view masterplan,
                                                        std::uint64_t version) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(std::string(masterplan));
  if (it == entries_.end() || it->second.version != version) return nullptr;
  uses_.splice(uses_.begin(), uses_, it->second.use);
  return it->second.json;
}

void StateJsonCache::keep(std::string_view masterplan, std::uint64_t version,
                          std::shared_ptr<const std::string> json) {
  if (json == nullptr || json->size() > capacity_) return;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(masterplan));
  if (it != entries_.end()) {
    // A reader that encoded an older version after a newer one was kept does not undo it.
    if (it->second.version > version) return;
    drop_locked(it);
  }
  uses_.emplace_front(masterplan);
  bytes_ += json->size();
  entries_.emplace(std::string(masterplan), Entry{version, std::move(json), uses_.begin()});
  while (bytes_ > capacity_ && !uses_.empty()) drop_locked(entries_.find(uses_.back()));
}

std::size_t StateJsonCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

void StateJsonCache::drop_locked(std::unordered_map<std::string, Entry>::iterator it) {
  bytes_ -= it->second.json->size();
  uses_.erase(it->second.use);
  entries_.erase(it);
}

}  // namespace rembuk::server
