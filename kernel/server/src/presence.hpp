// PresenceBoard: who is looking at what in one masterplan. Never stored.
//
// An entry exists from a member's first presence message until they leave the room or
// send nothing for the TTL; each change yields the `presence` frame to broadcast.
//
// Thread safety: none; the owning Room guards it with its mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "frame.hpp"

namespace rembuk::server {

class PresenceBoard {
 public:
  using Clock = std::chrono::steady_clock;

  explicit PresenceBoard(std::string masterplan) : masterplan_(std::move(masterplan)) {}

  // Records a member's focus; returns the `presence` frame announcing it.
  FramePtr update(std::uint64_t session_id, const std::string& user, const std::string& session,
                  std::string focus_json, Clock::time_point now);

  // Removes a member; returns the `left` frame, or nullptr when they had no presence.
  FramePtr remove(std::uint64_t session_id);

  struct Expired {
    std::uint64_t session_id;
    FramePtr left;
  };
  // Removes every member quiet for longer than `ttl`.
  std::vector<Expired> expire(Clock::time_point now, Clock::duration ttl);

  // The current `presence` frames (for a member who just joined), excluding `except`.
  std::vector<FramePtr> current(std::uint64_t except) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string user;
    std::string session;
    std::string focus_json;
    Clock::time_point last_seen;
  };
  std::string masterplan_;
  std::unordered_map<std::uint64_t, Entry> entries_;
};

}  // namespace rembuk::server
