// StateJsonCache: the JSON of masterplan states by (masterplan, version), for
// GET /api/masterplans/{id}.
//
// Encoding a city masterplan's state takes 7–9 ms per megabyte, on an HTTP thread. When a
// Bimtek room opens the masterplan at once, every reader asks for the same version: the first
// encodes it, the rest copy the text. A version names one content forever, so an entry is
// never stale; it is replaced by the next version's, and the least recently used entries go
// when the texts outgrow `capacity_bytes`. A text larger than the capacity is not kept.
//
// Thread safety: every member may be called from any thread at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rembuk::server {

class StateJsonCache {
 public:
  explicit StateJsonCache(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // The text kept for `masterplan` at `version`; null when none is.
  std::shared_ptr<const std::string> find(std::string_view masterplan, std::uint64_t version);
  // Keeps `json` as `masterplan`'s text at `version`, in place of an older version's.
  void keep(std::string_view masterplan, std::uint64_t version,
            std::shared_ptr<const std::string> json);

  std::size_t bytes() const;

 private:
  struct Entry {
    std::uint64_t version = 0;
    std::shared_ptr<const std::string> json;
    std::list<std::string>::iterator use;  // its place in uses_
  };
  void drop_locked(std::unordered_map<std::string, Entry>::iterator it);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mutex_)
  std::list<std::string> uses_;                     // most recent first; GUARDED_BY(mutex_)
  std::size_t bytes_ = 0;                           // GUARDED_BY(mutex_)
};

}  // namespace rembuk::server
