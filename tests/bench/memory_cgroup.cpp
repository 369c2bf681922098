// A memory cgroup for the bench's server; see memory_cgroup.hpp.
#include "memory_cgroup.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rembuk::bench {

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

// The value after `key ` on a line of a flat keyed file (memory.events, memory.oom_control).
std::uint64_t keyed_value(const std::string& text, const std::string& key) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(key + " ", 0) == 0) return std::stoull(line.substr(key.size() + 1));
  }
  return 0;
}

std::uint64_t number_in(const std::string& path) {
  const std::string text = read_text(path);
  return text.empty() ? 0 : std::stoull(text);
}

}  // namespace

std::unique_ptr<MemoryCgroup> MemoryCgroup::create(const std::string& name,
                                                   std::uint64_t limit_bytes, std::string& why) {
  std::istringstream lines(read_text("/proc/self/cgroup"));
  std::string line, v1_path, v2_path;
  bool has_v2 = false;
  while (std::getline(lines, line)) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (line.rfind("0::", 0) == 0) {
      has_v2 = true;
      v2_path = path;
    }
    std::istringstream names(controllers);
    std::string controller;
    while (std::getline(names, controller, ',')) {
      if (controller == "memory") v1_path = path;
    }
  }
  std::string dir;
  bool v2 = false;
  if (!v1_path.empty() && std::filesystem::exists("/sys/fs/cgroup/memory")) {
    dir = "/sys/fs/cgroup/memory" + v1_path + "/" + name;
  } else if (has_v2 &&
             read_text("/sys/fs/cgroup/cgroup.controllers").find("memory") != std::string::npos) {
    dir = "/sys/fs/cgroup" + v2_path + "/" + name;
    v2 = true;
  } else {
    why = "no memory cgroup controller is mounted for this process";
    return nullptr;
  }
  std::error_code error;
  // An earlier run that died left its cgroup behind, empty: remove those (rmdir refuses one
  // that still holds a process).
  const std::string prefix = name.substr(0, name.find_last_of('-') + 1);
  const auto parent = std::filesystem::path(dir).parent_path();
  for (const auto& entry : std::filesystem::directory_iterator(parent, error)) {
    if (entry.is_directory() && entry.path().filename().string().rfind(prefix, 0) == 0) {
      ::rmdir(entry.path().c_str());
    }
  }
  std::filesystem::create_directory(dir, error);
  if (error) {
    why = "cannot make " + dir + ": " + error.message();
    return nullptr;
  }
  std::unique_ptr<MemoryCgroup> made(new MemoryCgroup(dir, v2, limit_bytes));
  const std::string limit_file = dir + (v2 ? "/memory.max" : "/memory.limit_in_bytes");
  if (!write_text(limit_file, std::to_string(limit_bytes)) ||
      number_in(limit_file) != limit_bytes) {
    why = "cannot set " + limit_file;
    return nullptr;
  }
  if (v2) write_text(dir + "/memory.swap.max", "0");  // a limit, not a move to swap
  return made;
}

MemoryCgroup::MemoryCgroup(std::string dir, bool v2, std::uint64_t limit)
    : dir_(std::move(dir)), procs_(dir_ + "/cgroup.procs"), v2_(v2), limit_(limit) {}

MemoryCgroup::~MemoryCgroup() { ::rmdir(dir_.c_str()); }

std::uint64_t MemoryCgroup::peak_bytes() const {
  return number_in(dir_ + (v2_ ? "/memory.peak" : "/memory.max_usage_in_bytes"));
}

std::uint64_t MemoryCgroup::oom_kills() const {
  return keyed_value(read_text(dir_ + (v2_ ? "/memory.events" : "/memory.oom_control")),
                     "oom_kill");
}

}  // namespace rembuk::bench
