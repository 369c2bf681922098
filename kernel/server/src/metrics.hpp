// Metrics: counters and gauges of the server, rendered in the Prometheus text format
// (GET /metrics).
//
// Thread safety: every member may be called from any thread; counters are atomics, the
// per-code rejection counts are guarded by a mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace rembuk::server {

class Metrics {
 public:
  // Bucket upper bounds of the commit latency histogram, in microseconds.
  static constexpr std::array<std::int64_t, 12> kLatencyBoundsUs{
      250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 250000, 500000, 1000000};

  std::atomic<std::int64_t> connections{0};
  std::atomic<std::int64_t> subscriptions{0};
  std::atomic<std::uint64_t> commands_accepted{0};
  std::atomic<std::uint64_t> messages_sent{0};
  std::atomic<std::uint64_t> slow_clients_closed{0};
  std::atomic<std::uint64_t> http_requests{0};
  std::atomic<std::uint64_t> events_in_log{0};  // the last position seen

  // Submit → outcome, for accepted and rejected commands alike.
  void observe_commit_latency(std::int64_t micros);
  void count_rejection(std::string_view code);

  // Feeds the group-commit estimate from the live event feed: events committed in one
  // transaction share their commit time, and one append carries one command id.
  void observe_committed(std::int64_t commit_time_us, std::string_view command_id);

  std::string render() const;

 private:
  std::array<std::atomic<std::uint64_t>, kLatencyBoundsUs.size() + 1> latency_buckets_{};
  std::atomic<std::uint64_t> latency_count_{0};
  std::atomic<std::uint64_t> latency_sum_us_{0};

  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t, std::less<>> rejections_;  // GUARDED_BY(mutex_)
  // The group-commit estimate; GUARDED_BY(mutex_) (one writer: the log's feed thread).
  std::int64_t last_commit_time_us_ = -1;
  std::string last_command_id_;
  std::uint64_t commits_ = 0;
  std::uint64_t appends_ = 0;
};

}  // namespace rembuk::server
