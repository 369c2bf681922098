#include "rembuk/accounts/sign_in_limiter.hpp"

#include <algorithm>
#include <vector>

namespace rembuk::accounts {

std::int64_t SignInLimiter::retry_after(std::string_view key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return 0;
  return std::max<std::int64_t>(0, it->second.blocked_until - now);
}

std::int64_t SignInLimiter::failed(std::string_view key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= options_.max_keys) trim(now);
  Entry& e = entries_[std::string(key)];
  if (e.last_seen != 0 && now - e.last_seen > options_.forget_after_s) e = Entry{};
  e.last_seen = now;
  ++e.failures;
  const int over = e.failures - options_.free_failures;
  if (over <= 0) return 0;
  std::int64_t delay = options_.base_delay_s;
  for (int i = 1; i < over && delay < options_.max_delay_s; ++i) delay *= 2;
  delay = std::min(delay, options_.max_delay_s);
  e.blocked_until = now + delay;
  return delay;
}

void SignInLimiter::succeeded(std::string_view key) {
  std::lock_guard lock(mutex_);
  entries_.erase(std::string(key));
}

void SignInLimiter::trim(std::int64_t now) {
  std::erase_if(entries_, [&](const auto& kv) {
    return now - kv.second.last_seen > options_.forget_after_s && kv.second.blocked_until <= now;
  });
  if (entries_.size() < options_.max_keys) return;
  // Still full: drop the half seen longest ago.
  std::vector<std::int64_t> seen;
  seen.reserve(entries_.size());
  for (const auto& [k, e] : entries_) seen.push_back(e.last_seen);
  auto middle = seen.begin() + static_cast<std::ptrdiff_t>(seen.size() / 2);
  std::nth_element(seen.begin(), middle, seen.end());
  const std::int64_t cut = *middle;
  std::erase_if(entries_, [&](const auto& kv) { return kv.second.last_seen <= cut; });
}

}  // namespace rembuk::accounts
