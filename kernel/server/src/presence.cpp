#include "presence.hpp"

#include "protocol.hpp"

namespace rembuk::server {

FramePtr PresenceBoard::update(std::uint64_t session_id, const std::string& user,
                               const std::string& session, std::string focus_json,
                               Clock::time_point now) {
  auto& entry = entries_[session_id];
  entry.user = user;
  entry.session = session;
  entry.focus_json = std::move(focus_json);
  entry.last_seen = now;
  return make_frame(
      protocol::encode_presence(masterplan_, entry.user, entry.session, entry.focus_json, true));
}

FramePtr PresenceBoard::remove(std::uint64_t session_id) {
  auto it = entries_.find(session_id);
  if (it == entries_.end()) return nullptr;
  auto frame =
      make_frame(protocol::encode_presence(masterplan_, it->second.user, it->second.session,
                                           "null", false));
  entries_.erase(it);
  return frame;
}

std::vector<PresenceBoard::Expired> PresenceBoard::expire(Clock::time_point now,
                                                          Clock::duration ttl) {
  std::vector<Expired> out;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (now - it->second.last_seen > ttl) {
      out.push_back({it->first, make_frame(protocol::encode_presence(
                                    masterplan_, it->second.user, it->second.session, "null",
                                    false))});
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<FramePtr> PresenceBoard::current(std::uint64_t except) const {
  std::vector<FramePtr> out;
  for (const auto& [id, entry] : entries_) {
    if (id == except) continue;
    out.push_back(make_frame(protocol::encode_presence(masterplan_, entry.user, entry.session,
                                                       entry.focus_json, true)));
  }
  return out;
}

}  // namespace rembuk::server
