// Room: the subscribers of one masterplan, and their presence.
//
// Live events and presence are broadcast as one shared Frame: the subscriber list is
// copied (weak pointers) under the lock and the frames are handed to the sessions outside
// it; each session queues the frame on its own strand, so a slow client never slows the
// broadcaster or the others.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "frame.hpp"
#include "presence.hpp"

namespace rembuk::server {

class WebsocketSession;

class Room {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Room(std::string masterplan);

  const std::string& masterplan() const { return masterplan_; }

  void add(std::uint64_t session_id, std::weak_ptr<WebsocketSession> session);
  // Removes the subscriber (and their presence, announcing `left` to the others).
  void remove(std::uint64_t session_id);
  bool empty() const;
  std::size_t size() const;

  // Sends `frame` to every subscriber.
  void publish(const FramePtr& frame);

  // Records a member's focus and tells the others.
  void set_presence(std::uint64_t session_id, const std::string& user,
                    const std::string& session, std::string focus_json, Clock::time_point now);
  // The presence of everybody else, for a member who just joined.
  std::vector<FramePtr> presence_for(std::uint64_t session_id) const;
  // Announces `left` for members quiet for longer than `ttl`.
  void expire_presence(Clock::time_point now, Clock::duration ttl);

 private:
  using Member = std::pair<std::uint64_t, std::weak_ptr<WebsocketSession>>;
  void send(const std::vector<Member>& members, const FramePtr& frame, std::uint64_t except);

  const std::string masterplan_;
  mutable std::mutex mutex_;
  std::vector<Member> members_;  // GUARDED_BY(mutex_)
  PresenceBoard presence_;      // GUARDED_BY(mutex_)
};

}  // namespace rembuk::server
