// SignInLimiter: growing delays against password guessing, per account and per client
// address (docs/security.md, "Signing in").
//
// Each key ("user:budi", "address:10.0.0.7") counts its failed attempts. The first
// `free_failures` cost nothing; after that each failure blocks the key for
// base_delay × 2^(failures − free_failures), at most max_delay. A success clears the key. A
// key untouched for `forget_after` is forgotten, and at most `max_keys` are held (the
// stalest are dropped first), so a flood of addresses cannot exhaust memory.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rembuk::accounts {

struct LimiterOptions {
  int free_failures = 5;
  std::int64_t base_delay_s = 1;
  std::int64_t max_delay_s = 15 * 60;
  std::int64_t forget_after_s = 24 * 3600;
  std::size_t max_keys = 100'000;
};

class SignInLimiter {
 public:
  explicit SignInLimiter(LimiterOptions options = {}) : options_(options) {}

  // Seconds until `key` may try again (0: now).
  std::int64_t retry_after(std::string_view key, std::int64_t now);

  // Counts a failure; returns the key's delay from now on (0 while still free).
  std::int64_t failed(std::string_view key, std::int64_t now);

  void succeeded(std::string_view key);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t blocked_until = 0;
    std::int64_t last_seen = 0;
  };
  void trim(std::int64_t now);  // REQUIRES: mutex_ held

  const LimiterOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mutex_)
};

}  // namespace rembuk::accounts
