#include "rembuk/plugins/plugin_worker.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

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

std::uint32_t u32_at(const std::string& bytes, std::size_t at) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  return b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
}

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
    if (request->size() < 13 || (*request)[0] != 'C') return 2;
    const std::uint32_t index = u32_at(*request, 1);
    const std::uint32_t command_size = u32_at(*request, 5);
    const std::uint32_t type_size = u32_at(*request, 9);
    if (index >= plugin.description().validators.size() ||
        17ull + command_size + type_size > request->size()) {
      return 2;
    }
    const std::string command = request->substr(13, command_size);
    const std::string type = request->substr(13 + command_size, type_size);
    // The lookups the host answered ahead (plugin_worker.hpp's call frame).
    std::size_t at = 13ull + command_size + type_size;
    std::vector<std::pair<std::string, std::string>> answered;
    const std::uint32_t count = u32_at(*request, at);
    at += 4;
    for (std::uint32_t i = 0; i < count; ++i) {
      std::string parts[2];
      for (auto& part : parts) {
        if (request->size() - at < 4) return 2;
        const std::uint32_t size = u32_at(*request, at);
        at += 4;
        if (request->size() - at < size) return 2;
        part = request->substr(at, size);
        at += size;
      }
      answered.emplace_back(std::move(parts[0]), std::move(parts[1]));
    }
    if (at != request->size()) return 2;
    state.begin_call(std::move(answered));
    const ValidatorRun run = plugin.run_validator(index, command, type, state);

    json::array violations;
    for (const auto& v : run.violations) {
      violations.push_back(json::object{{"code", v.code},
                                        {"path", v.path},
                                        {"messageId", v.message_id},
                                        {"messageEn", v.message_en}});
    }
    const json::object answer{{"status", status_name(run.status)},
                              {"reason", run.reason},
                              {"elapsedNs", static_cast<std::int64_t>(run.elapsed.count())},
                              {"violations", std::move(violations)}};
    if (!worker_frame::write(out_fd, "A" + json::serialize(answer))) break;
  }
  // Straight out: unloading the library and freeing memory needs nothing the filter allows
  // beyond what _exit does, and there is nothing to flush.
  ::_exit(0);
}

}  // namespace rembuk::plugins
