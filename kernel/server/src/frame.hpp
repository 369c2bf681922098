// Frame: one outgoing WebSocket text message, immutable once built, shared by every
// session it is sent to (a broadcast serialises each event once).
//
// An `events` frame remembers where its events array lies in `bytes`, so a session can
// merge several live events frames of one masterplan that piled up into one message
// without parsing them (protocol.cpp: merge_events).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rembuk::server {

struct Frame {
  enum class Kind { other, events };

  std::string bytes;
  Kind kind = Kind::other;
  // Kind::events only:
  std::string masterplan;
  std::uint64_t first_version = 0;  // 0 when the events array is empty
  std::uint64_t last_version = 0;
  std::size_t events_begin = 0;  // bytes[events_begin, events_end) = the array's contents
  std::size_t events_end = 0;
  bool live = false;  // a live broadcast (mergeable), not a catch-up answer
  // A live frame's commands, each once: its authors' sessions send it together with the ack.
  std::vector<std::string> command_ids;
};

using FramePtr = std::shared_ptr<const Frame>;

inline FramePtr make_frame(std::string bytes) {
  auto frame = std::make_shared<Frame>();
  frame->bytes = std::move(bytes);
  return frame;
}

}  // namespace rembuk::server
