#include "rembuk/plugins/hangup_reload.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "rembuk/plugins/plugin_audit.hpp"

namespace rembuk::plugins {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// The write end of the running HangupReload's pipe; -1 when none. Read by the handler only.
std::atomic<int> hangup_pipe{-1};
struct sigaction previous_action {};

void on_hangup(int) {
  const int saved = errno;
  const int fd = hangup_pipe.load();
  if (fd >= 0) {
    const char byte = 'h';
    [[maybe_unused]] const auto n = ::write(fd, &byte, 1);  // a full pipe already has a 'h'
  }
  errno = saved;
}

json::array identities(const std::vector<model::PluginIdentity>& list) {
  json::array out;
  for (const auto& p : list) {
    out.push_back(json::object{{"name", p.name}, {"version", p.version}, {"sha256", p.sha256}});
  }
  return out;
}

// What the host serves now, as a journal entry (plugin_audit.hpp).
void journal(const PluginHost& host, const fs::path& data_dir, const char* reason) {
  JournalEntry entry;
  entry.time_us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  entry.pid = ::getpid();
  entry.generation = host.generation();
  entry.reason = reason;
  if (std::string_view(reason) != "stop") {
    for (const auto& p : host.plugins()) entry.plugins.push_back(p->identity());
  }
  append_plugin_journal(data_dir, entry);
}

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

std::optional<json::object> read_report(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return value.as_object();
}

std::int64_t int_field(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : -1;
}

}  // namespace

json::object to_json(const LoadReport& report) {
  json::array dropped;
  for (const auto& name : report.dropped) dropped.push_back(json::string(name));
  json::array refused;
  for (const auto& r : report.refused) refused.push_back(json::string(r.line()));
  return {{"generation", report.generation},
          {"loaded", identities(report.loaded)},
          {"kept", identities(report.kept)},
          {"dropped", std::move(dropped)},
          {"refused", std::move(refused)}};
}

std::vector<std::string> report_lines(const LoadReport& report) {
  std::vector<std::string> lines;
  for (const auto& p : report.loaded) {
    lines.push_back("plugin " + p.name + " " + p.version + " loaded (sha256 " +
                    p.sha256.substr(0, 12) + ")");
  }
  for (const auto& name : report.dropped) lines.push_back("plugin " + name + " dropped");
  for (const auto& r : report.refused) lines.push_back("plugin refused: " + r.line());
  lines.push_back("plugin registry generation " + std::to_string(report.generation) + ", " +
                  std::to_string(report.kept.size()) + " unchanged");
  return lines;
}

fs::path HangupReload::pid_file(const fs::path& data_dir) { return data_dir / "serve.pid"; }
fs::path HangupReload::report_file(const fs::path& data_dir) {
  return data_dir / "plugins-reload.json";
}

HangupReload::HangupReload(PluginHost& host, fs::path data_dir, Listener listener)
    : host_(host), data_dir_(std::move(data_dir)), listener_(std::move(listener)) {}

Result<std::unique_ptr<HangupReload>, std::string> HangupReload::start(PluginHost& host,
                                                                      const fs::path& data_dir,
                                                                      Listener listener) {
  std::unique_ptr<HangupReload> self(new HangupReload(host, data_dir, std::move(listener)));
  const auto pid_path = pid_file(data_dir);
  self->pid_fd_ = ::open(pid_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (self->pid_fd_ < 0) return fail(errno_text("cannot open " + pid_path.string()));
  if (::flock(self->pid_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(self->pid_fd_);
    self->pid_fd_ = -1;  // not ours: the destructor must not remove it
    return fail("another rembuk serve holds " + pid_path.string());
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(self->pid_fd_, 0) != 0 ||
      ::pwrite(self->pid_fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    return fail(errno_text("cannot write " + pid_path.string()));
  }
  if (::pipe2(self->pipe_, O_CLOEXEC | O_NONBLOCK) != 0) return fail(errno_text("pipe"));
  int expected = -1;
  if (!hangup_pipe.compare_exchange_strong(expected, self->pipe_[1])) {
    return fail(std::string("a SIGHUP reload is already installed in this process"));
  }
  struct sigaction action {};
  action.sa_handler = &on_hangup;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGHUP, &action, &previous_action);
  journal(host, data_dir, "start");
  self->thread_ = std::thread([raw = self.get()] { raw->run(); });
  return self;
}

HangupReload::~HangupReload() {
  if (thread_.joinable()) {
    ::sigaction(SIGHUP, &previous_action, nullptr);
    hangup_pipe.store(-1);
    const char quit = 'q';
    while (::write(pipe_[1], &quit, 1) < 0 && errno == EAGAIN) {
      ::poll(nullptr, 0, 1);  // the thread is draining a full pipe
    }
    thread_.join();
    journal(host_, data_dir_, "stop");
  } else {
    int mine = pipe_[1];
    hangup_pipe.compare_exchange_strong(mine, -1);
  }
  for (const int fd : pipe_) {
    if (fd >= 0) ::close(fd);
  }
  if (pid_fd_ >= 0) {
    std::error_code ignored;
    fs::remove(pid_file(data_dir_), ignored);  // while still locked: no other server wrote it
    ::close(pid_fd_);
  }
}

void HangupReload::run() {
  for (;;) {
    pollfd p{pipe_[0], POLLIN, 0};
    if (::poll(&p, 1, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    char bytes[64];
    const auto n = ::read(pipe_[0], bytes, sizeof bytes);
    if (n <= 0) continue;
    bool hangup = false;
    for (ssize_t i = 0; i < n; ++i) {
      if (bytes[i] == 'q') return;
      hangup = hangup || bytes[i] == 'h';
    }
    if (hangup) reload_now();  // several SIGHUPs queued before we woke make one reload
  }
}

LoadReport HangupReload::reload_now() {
  LoadReport report = host_.reload();
  journal(host_, data_dir_, "reload");
  auto object = to_json(report);
  object["pid"] = static_cast<std::int64_t>(::getpid());
  object["sequence"] = static_cast<std::int64_t>(++sequence_);
  const auto final_path = report_file(data_dir_);
  const auto temp_path = fs::path(final_path.string() + ".tmp");
  {
    std::ofstream out(temp_path, std::ios::trunc);
    out << json::serialize(object) << '\n';
  }
  std::error_code ec;
  fs::rename(temp_path, final_path, ec);  // readers see the old report or the new, whole
  if (listener_) listener_(report);
  return report;
}

Result<json::object, std::string> request_reload(const fs::path& data_dir,
                                                 std::chrono::milliseconds timeout) {
  const auto pid_path = HangupReload::pid_file(data_dir);
  const int fd = ::open(pid_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail("no rembuk serve with plugins runs on " + data_dir.string() + " (" +
                pid_path.string() + ": " + std::strerror(errno) + ")");
  }
  // A server holds an exclusive lock for its whole life: if ours is granted, nobody runs.
  if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
    ::close(fd);
    return fail(pid_path.string() + " is stale: no rembuk serve runs on " + data_dir.string());
  }
  char text[32] = {};
  const auto n = ::pread(fd, text, sizeof text - 1, 0);
  ::close(fd);
  const long pid = n > 0 ? std::strtol(text, nullptr, 10) : 0;
  if (pid <= 0) return fail("cannot read a pid from " + pid_path.string());

  const auto report_path = HangupReload::report_file(data_dir);
  std::int64_t before = -1;
  if (auto old = read_report(report_path); old && int_field(*old, "pid") == pid) {
    before = int_field(*old, "sequence");
  }
  if (::kill(static_cast<pid_t>(pid), SIGHUP) != 0) {
    return fail(errno_text("cannot signal rembuk serve (pid " + std::to_string(pid) + ")"));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto report = read_report(report_path);
        report && int_field(*report, "pid") == pid && int_field(*report, "sequence") > before) {
      return std::move(*report);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return fail("rembuk serve (pid " + std::to_string(pid) + ") sent SIGHUP but wrote no report to " +
              report_path.string() + " within " + std::to_string(timeout.count()) + " ms");
}

}  // namespace rembuk::plugins
