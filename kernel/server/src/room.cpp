#include "room.hpp"

#include <algorithm>

#include "websocket_session.hpp"

namespace rembuk::server {

Room::Room(std::string masterplan) : masterplan_(masterplan), presence_(std::move(masterplan)) {}

void Room::add(std::uint64_t session_id, std::weak_ptr<WebsocketSession> session) {
  std::lock_guard lock(mutex_);
  for (auto& member : members_) {
    if (member.first == session_id) {
      member.second = std::move(session);
      return;
    }
  }
  members_.emplace_back(session_id, std::move(session));
}

void Room::remove(std::uint64_t session_id) {
  FramePtr left;
  std::vector<Member> members;
  {
    std::lock_guard lock(mutex_);
    std::erase_if(members_, [&](const Member& m) { return m.first == session_id; });
    left = presence_.remove(session_id);
    if (left) members = members_;
  }
  if (left) send(members, left, session_id);
}

bool Room::empty() const {
  std::lock_guard lock(mutex_);
  return members_.empty();
}

std::size_t Room::size() const {
  std::lock_guard lock(mutex_);
  return members_.size();
}

void Room::publish(const FramePtr& frame) {
  std::vector<Member> members;
  {
    std::lock_guard lock(mutex_);
    members = members_;
  }
  send(members, frame, 0);
}

void Room::set_presence(std::uint64_t session_id, const std::string& user,
                        const std::string& session, std::string focus_json,
                        Clock::time_point now) {
  FramePtr frame;
  std::vector<Member> members;
  {
    std::lock_guard lock(mutex_);
    frame = presence_.update(session_id, user, session, std::move(focus_json), now);
    members = members_;
  }
  send(members, frame, session_id);
}

std::vector<FramePtr> Room::presence_for(std::uint64_t session_id) const {
  std::lock_guard lock(mutex_);
  return presence_.current(session_id);
}

void Room::expire_presence(Clock::time_point now, Clock::duration ttl) {
  std::vector<PresenceBoard::Expired> expired;
  std::vector<Member> members;
  {
    std::lock_guard lock(mutex_);
    if (presence_.size() == 0) return;
    expired = presence_.expire(now, ttl);
    if (expired.empty()) return;
    members = members_;
  }
  for (const auto& e : expired) send(members, e.left, e.session_id);
}

void Room::send(const std::vector<Member>& members, const FramePtr& frame,
                std::uint64_t except) {
  for (const auto& [id, weak] : members) {
    if (id == except) continue;
    if (auto session = weak.lock()) session->deliver(frame);
  }
}

}  // namespace rembuk::server
