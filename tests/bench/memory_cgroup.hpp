// MemoryCgroup: a memory cgroup the bench puts `rembuk serve` in, so that a memory target is
// checked as an operator would set it (a container's or a systemd unit's memory limit), not
// only read from /proc: inside it the kernel must reclaim the log's mapped pages to stay under
// the limit, and kills the server if its own memory does not fit.
//
// Made under the bench's own cgroup: cgroup v1 (`<n>:memory:/path` in /proc/self/cgroup,
// mounted at /sys/fs/cgroup/memory) or v2 (`0::/path`, /sys/fs/cgroup/cgroup.controllers
// listing memory). Needs the right to make a child cgroup there (root in the machine or
// container, or a delegated subtree); create() says why when it cannot.
//
// A page is charged to the cgroup of the process that first read it into the page cache:
// the caller evicts the log's cached pages before the server starts (see national_bench.cpp)
// so that every page the server reads counts against its limit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace rembuk::bench {

class MemoryCgroup {
 public:
  // A new cgroup `name` under the bench's own, limited to `limit_bytes`; null and `why`
  // set when it cannot be made.
  static std::unique_ptr<MemoryCgroup> create(const std::string& name, std::uint64_t limit_bytes,
                                              std::string& why);
  ~MemoryCgroup();  // removes the cgroup (its processes must have exited)
  MemoryCgroup(const MemoryCgroup&) = delete;
  MemoryCgroup& operator=(const MemoryCgroup&) = delete;

  // The file a process writes "0" to, to move itself in (a forked child, before exec).
  const std::string& procs_file() const { return procs_; }
  std::uint64_t limit_bytes() const { return limit_; }
  // The most the cgroup was charged (anonymous memory, page cache, kernel memory).
  std::uint64_t peak_bytes() const;
  // Processes the kernel killed for lack of memory in it.
  std::uint64_t oom_kills() const;

 private:
  MemoryCgroup(std::string dir, bool v2, std::uint64_t limit);
  std::string dir_;
  std::string procs_;
  bool v2_;
  std::uint64_t limit_;
};

}  // namespace rembuk::bench
