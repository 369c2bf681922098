#include "metrics.hpp"

#include <cstdio>

namespace rembuk::server {

void Metrics::observe_commit_latency(std::int64_t micros) {
  std::size_t i = 0;
  while (i < kLatencyBoundsUs.size() && micros > kLatencyBoundsUs[i]) ++i;
  latency_buckets_[i].fetch_add(1, std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(static_cast<std::uint64_t>(micros < 0 ? 0 : micros),
                            std::memory_order_relaxed);
}

void Metrics::count_rejection(std::string_view code) {
  std::lock_guard lock(mutex_);
  auto it = rejections_.find(code);
  if (it == rejections_.end()) {
    rejections_.emplace(std::string(code), 1);
  } else {
    ++it->second;
  }
}

void Metrics::observe_committed(std::int64_t commit_time_us, std::string_view command_id) {
  std::lock_guard lock(mutex_);
  if (commit_time_us != last_commit_time_us_) {
    ++commits_;
    ++appends_;
    last_commit_time_us_ = commit_time_us;
    last_command_id_ = std::string(command_id);
  } else if (command_id != last_command_id_ || command_id.empty()) {
    ++appends_;
    last_command_id_ = std::string(command_id);
  }
}

std::string Metrics::render() const {
  std::string out;
  char line[256];
  auto gauge = [&](const char* name, const char* help, const char* type, double value) {
    std::snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name,
                  type, name, value);
    out += line;
  };
  gauge("rembuk_connections", "Open WebSocket connections.", "gauge",
        static_cast<double>(connections.load()));
  gauge("rembuk_subscriptions", "Active masterplan subscriptions.", "gauge",
        static_cast<double>(subscriptions.load()));
  out +=
      "# HELP rembuk_commands_total Commands answered, by outcome.\n"
      "# TYPE rembuk_commands_total counter\n";
  std::uint64_t rejected = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [code, n] : rejections_) rejected += n;
  }
  out += "rembuk_commands_total{outcome=\"accepted\"} " +
         std::to_string(commands_accepted.load()) + "\n";
  out += "rembuk_commands_total{outcome=\"rejected\"} " + std::to_string(rejected) + "\n";
  out +=
      "# HELP rembuk_commands_rejected_total Rejected commands, by code.\n"
      "# TYPE rembuk_commands_rejected_total counter\n";
  double batch_avg = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [code, n] : rejections_) {
      out += "rembuk_commands_rejected_total{code=\"" + code + "\"} " + std::to_string(n) + "\n";
    }
    batch_avg = commits_ == 0 ? 0.0 : static_cast<double>(appends_) / static_cast<double>(commits_);
  }
  out +=
      "# HELP rembuk_commit_latency_seconds From submit to the command's outcome (after the "
      "commit).\n# TYPE rembuk_commit_latency_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kLatencyBoundsUs.size(); ++i) {
    cumulative += latency_buckets_[i].load();
    std::snprintf(line, sizeof line, "rembuk_commit_latency_seconds_bucket{le=\"%g\"} %llu\n",
                  static_cast<double>(kLatencyBoundsUs[i]) / 1e6,
                  static_cast<unsigned long long>(cumulative));
    out += line;
  }
  cumulative += latency_buckets_.back().load();
  out += "rembuk_commit_latency_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  std::snprintf(line, sizeof line, "rembuk_commit_latency_seconds_sum %.6f\n",
                static_cast<double>(latency_sum_us_.load()) / 1e6);
  out += line;
  out += "rembuk_commit_latency_seconds_count " + std::to_string(latency_count_.load()) + "\n";
  gauge("rembuk_group_commit_batch_avg",
        "Average appends per group-commit transaction (estimated from commit times).", "gauge",
        batch_avg);
  gauge("rembuk_events_in_log", "Events in the log (last position).", "gauge",
        static_cast<double>(events_in_log.load()));
  gauge("rembuk_messages_sent_total", "WebSocket messages written.", "counter",
        static_cast<double>(messages_sent.load()));
  gauge("rembuk_slow_clients_closed_total", "Clients closed with 1013 for a full send queue.",
        "counter", static_cast<double>(slow_clients_closed.load()));
  gauge("rembuk_http_requests_total", "HTTP requests served.", "counter",
        static_cast<double>(http_requests.load()));
  return out;
}

}  // namespace rembuk::server
