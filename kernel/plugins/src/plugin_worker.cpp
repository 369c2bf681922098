#include "rembuk/plugins/plugin_worker.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include <boost/json/serialize.hpp>

#include "rembuk/plugins/loaded_plugin.hpp"
#include "remote_state.hpp"
#include "worker_seccomp.hpp"

namespace rembuk::plugins {

namespace json = boost::json;

namespace worker_frame {

namespace {

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const auto n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, char* data, std::size_t size) {
  while (size > 0) {
    const auto n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

bool write(int fd, std::string_view payload) {
  if (payload.size() > max_worker_frame_bytes) return false;
  const auto size = static_cast<std::uint32_t>(payload.size());
  // One write for header and payload: written apart, the reader wakes for the header alone
  // and sleeps again until the payload comes, a context switch per frame.
  std::string frame;
  frame.reserve(4 + payload.size());
  for (int shift = 0; shift < 32; shift += 8) frame.push_back(static_cast<char>(size >> shift));
  frame += payload;
  return write_all(fd, frame.data(), frame.size());
}

std::optional<std::string> read(int fd) {
  unsigned char header[4];
  if (!read_all(fd, reinterpret_cast<char*>(header), 4)) return std::nullopt;
  const std::uint32_t size = header[0] | (header[1] << 8) | (header[2] << 16) |
                             (static_cast<std::uint32_t>(header[3]) << 24);
  if (size > max_worker_frame_bytes) return std::nullopt;
  std::string payload(size, '\0');
  if (!read_all(fd, payload.data(), size)) return std::nullopt;
  return payload;
}

}  // namespace worker_frame

namespace {

// Reads a call frame front to back; a read past the end marks it bad (and returns zeros) so
// that one check after a group of reads is enough.
class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  explicit operator bool() const { return good_; }
  bool at_end() const { return at_ == bytes_.size(); }
  char byte() { return take(1) ? bytes_[at_ - 1] : '\0'; }
  std::uint32_t u32() { return static_cast<std::uint32_t>(le(4)); }
  std::uint64_t u64() { return le(8); }
  std::string text(std::size_t size) {
    return take(size) ? bytes_.substr(at_ - size, size) : std::string();
  }

 private:
  bool take(std::size_t size) {
    if (!good_ || bytes_.size() - at_ < size) return good_ = false;
    at_ += size;
    return true;
  }
  std::uint64_t le(int width) {
    if (!take(static_cast<std::size_t>(width))) return 0;
    std::uint64_t v = 0;
    for (int i = width - 1; i >= 0; --i) {
      v = (v << 8) | static_cast<unsigned char>(bytes_[at_ - static_cast<std::size_t>(width) +
                                                       static_cast<std::size_t>(i)]);
    }
    return v;
  }

  const std::string& bytes_;
  std::size_t at_ = 0;
  bool good_ = true;
};

const char* status_name(ValidatorRun::Status status) {
  switch (status) {
    case ValidatorRun::Status::ok: return "ok";
    case ValidatorRun::Status::error: return "error";
    case ValidatorRun::Status::garbage: return "garbage";
  }
  return "garbage";
}

}  // namespace

int run_plugin_worker(const std::filesystem::path& file, std::string_view expected_sha256,
                      const std::filesystem::path& staging_dir, int in_fd, int out_fd) {
  LoadOptions options;
  options.staging_dir = staging_dir;
  auto loaded = LoadedPlugin::load(file, options);
  if (!loaded) {
    worker_frame::write(out_fd, json::serialize(json::object{{"ok", false},
                                                             {"error", loaded.error().line()}}));
    return 2;
  }
  const auto& plugin = **loaded;
  if (plugin.sha256() != expected_sha256) {
    // The file was replaced after the host loaded it: running it would apply rules other than
    // the ones the host recorded. The host reports it; a reload brings both in line again.
    worker_frame::write(
        out_fd, json::serialize(json::object{
                    {"ok", false},
                    {"error", file.string() + ": changed since the host loaded it (sha256 " +
                                  plugin.sha256().substr(0, 12) + ", host has " +
                                  std::string(expected_sha256.substr(0, 12)) +
                                  "); reload the plugins"}}));
    return 2;
  }
  // From here on only the plugin's validators run: give up every right they do not need
  // (no files, no sockets, no exec; worker_seccomp.hpp).
  if (auto confined = detail::confine_worker(in_fd, out_fd); !confined) {
    worker_frame::write(out_fd, json::serialize(json::object{
                                    {"ok", false},
                                    {"error", "cannot confine the worker: " + confined.error()}}));
    return 2;
  }
  if (!worker_frame::write(out_fd, json::serialize(json::object{
                                       {"ok", true},
                                       {"name", plugin.name()},
                                       {"version", plugin.description().version},
                                       {"sha256", plugin.sha256()}}))) {
    return 0;
  }

  const detail::RemoteStateSource state(in_fd, out_fd);
  for (;;) {
    auto request = worker_frame::read(in_fd);
    if (!request) break;  // the host closed the pipe (or sent nonsense): end quietly
    // Any frame that does not follow the grammar (plugin_worker.hpp) ends the worker: the host
    // reads that as a crash of the command, never as a verdict.
    Reader in(*request);
    if (in.byte() != 'C') return 2;
    const auto budget = std::chrono::nanoseconds(static_cast<std::int64_t>(in.u64()));
    const std::uint32_t count = in.u32();
    if (!in || count == 0 || count > plugin.description().validators.size()) return 2;
    std::vector<std::size_t> indexes;
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::uint32_t index = in.u32();
      if (!in || index >= plugin.description().validators.size()) return 2;
      indexes.push_back(index);
    }
    const std::uint32_t command_size = in.u32();
    const std::uint32_t type_size = in.u32();
    const std::string command = in.text(command_size);
    const std::string type = in.text(type_size);
    // The lookups the host answered ahead (plugin_worker.hpp's call frame).
    std::vector<std::pair<std::string, std::string>> answered;
    const std::uint32_t lookups = in.u32();
    for (std::uint32_t i = 0; in && i < lookups; ++i) {
      std::string query = in.text(in.u32());
      std::string reply = in.text(in.u32());
      answered.emplace_back(std::move(query), std::move(reply));
    }
    if (!in || !in.at_end()) return 2;
    // One state for the whole command: its validators share the answers to their lookups.
    state.begin_call(std::move(answered));

    json::array answers;
    for (const std::size_t index : indexes) {
      const ValidatorRun run = plugin.run_validator(index, command, type, state);
      json::array violations;
      for (const auto& v : run.violations) {
        violations.push_back(json::object{{"code", v.code},
                                          {"path", v.path},
                                          {"messageId", v.message_id},
                                          {"messageEn", v.message_en}});
      }
      answers.push_back(json::object{{"status", status_name(run.status)},
                                     {"reason", run.reason},
                                     {"elapsedNs", static_cast<std::int64_t>(run.elapsed.count())},
                                     {"violations", std::move(violations)}});
      // The host ends the command at the first failure (PluginHost::judge): running the next
      // validator would only spend time.
      if (run.status != ValidatorRun::Status::ok || run.elapsed > budget) break;
    }
    if (!worker_frame::write(out_fd, "A" + json::serialize(answers))) break;
  }
  // Straight out: unloading the library and freeing memory needs nothing the filter allows
  // beyond what _exit does, and there is nothing to flush.
  ::_exit(0);
}

}  // namespace rembuk::plugins
