// limits: the per-connection rate limit (a token bucket).
//
// Each connection may send `rate` submits + presence messages per second, with bursts of
// up to `rate` (docs/protocol.md, "Limits"). The other limits (frame size, send queue,
// idle and hello timeouts, connections, subscriptions) are enforced where they apply
// (websocket_session.cpp, hub.cpp) from ServerOptions.
//
// Thread safety: none; a TokenBucket belongs to one session and is used on its strand.
#pragma once

#include <algorithm>
#include <chrono>

namespace rembuk::server {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  explicit TokenBucket(double rate_per_second)
      : rate_(std::max(rate_per_second, 0.001)),
        capacity_(std::max(rate_per_second, 1.0)),
        tokens_(capacity_),
        last_(Clock::now()) {}

  // Takes one token if there is one.
  bool try_take(Clock::time_point now = Clock::now()) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    if (elapsed > 0) {
      tokens_ = std::min(capacity_, tokens_ + elapsed * rate_);
      last_ = now;
    }
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_;
  double capacity_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace rembuk::server
