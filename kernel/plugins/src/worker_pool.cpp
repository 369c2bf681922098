#include "worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include <boost/json/parse.hpp>

#include "descriptor_reader.hpp"
#include "rembuk/plugins/plugin_worker.hpp"
#include "remote_state.hpp"

extern char** environ;

namespace rembuk::plugins::detail {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

enum class Io { done, closed, timed_out };

int millis_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count()) + 1;
}

// Sends all of `bytes` on the non-blocking socket before `deadline`.
Io send_all(int fd, const char* data, std::size_t size, Clock::time_point deadline) {
  while (size > 0) {
    const auto n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n > 0) {
      data += n;
      size -= static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (Clock::now() >= deadline) return Io::timed_out;
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, millis_left(deadline));
      continue;
    }
    return Io::closed;  // EPIPE, ECONNRESET: the worker is gone
  }
  return Io::done;
}

Io recv_all(int fd, char* data, std::size_t size, Clock::time_point deadline) {
  while (size > 0) {
    const auto n = ::recv(fd, data, size, 0);
    if (n > 0) {
      data += n;
      size -= static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0) return Io::closed;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (Clock::now() >= deadline) return Io::timed_out;
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, millis_left(deadline));
      continue;
    }
    return Io::closed;
  }
  return Io::done;
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

Io send_frame(int fd, const std::string& payload, Clock::time_point deadline) {
  // One send for header and payload (see worker_frame::write): the worker wakes once.
  std::string frame;
  frame.reserve(4 + payload.size());
  put_u32(frame, static_cast<std::uint32_t>(payload.size()));
  frame += payload;
  return send_all(fd, frame.data(), frame.size(), deadline);
}

Io recv_frame(int fd, std::string& payload, Clock::time_point deadline) {
  unsigned char header[4];
  const Io io = recv_all(fd, reinterpret_cast<char*>(header), 4, deadline);
  if (io != Io::done) return io;
  const std::uint32_t size = header[0] | (header[1] << 8) | (header[2] << 16) |
                             (static_cast<std::uint32_t>(header[3]) << 24);
  if (size > max_worker_frame_bytes) return Io::closed;
  payload.assign(size, '\0');
  return recv_all(fd, payload.data(), size, deadline);
}

std::string describe_status(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended";
}

std::string text_of(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// One validator's answer as a ValidatorRun; a malformed answer is garbage, as from a plugin.
ValidatorRun parse_answer(const json::value& value, std::string_view plugin) {
  ValidatorRun run;
  if (!value.is_object()) {
    run.status = ValidatorRun::Status::garbage;
    run.reason = "the worker's answer is not a JSON object";
    return run;
  }
  const auto& o = value.as_object();
  const std::string status = text_of(o, "status");
  run.reason = text_of(o, "reason");
  if (const auto* ns = o.if_contains("elapsedNs"); ns != nullptr && ns->is_int64()) {
    run.elapsed = std::chrono::nanoseconds(ns->as_int64());
  }
  if (status == "ok") {
    run.status = ValidatorRun::Status::ok;
  } else if (status == "error") {
    run.status = ValidatorRun::Status::error;
  } else {
    run.status = ValidatorRun::Status::garbage;
    if (status != "garbage") run.reason = "the worker's answer has no valid status";
  }
  if (const auto* list = o.if_contains("violations"); list != nullptr && list->is_array()) {
    for (const auto& item : list->as_array()) {
      if (!item.is_object()) continue;
      const auto& v = item.as_object();
      model::Violation violation;
      violation.code = text_of(v, "code");
      violation.path = text_of(v, "path");
      violation.message_id = text_of(v, "messageId");
      violation.message_en = text_of(v, "messageEn");
      // The worker checked these as the host does; check again, since a plugin that corrupts
      // its worker's memory could send anything.
      if (!is_violation_code(violation.code, plugin) || violation.message_id.empty() ||
          violation.message_en.empty() || !is_utf8(violation.message_id) ||
          !is_utf8(violation.message_en) || !is_utf8(violation.path)) {
        run.status = ValidatorRun::Status::garbage;
        run.reason = "the worker sent a malformed violation";
        run.violations.clear();
        return run;
      }
      run.violations.push_back(std::move(violation));
    }
  }
  return run;
}

// The answer frame's body (a JSON array, one answer per validator run) as ValidatorRuns. An
// answer that is not an array, or has more answers than validators, is one garbage run: the
// host ends the command at the first garbage answer anyway.
std::vector<ValidatorRun> parse_answers(const std::string& text, std::size_t validators,
                                        std::string_view plugin) {
  boost::system::error_code ec;
  const auto value = json::parse(text, ec);
  if (ec || !value.is_array() || value.as_array().empty() ||
      value.as_array().size() > validators) {
    ValidatorRun run;
    run.status = ValidatorRun::Status::garbage;
    run.reason = "the worker's answer is not a JSON array of 1 to " +
                 std::to_string(validators) + " answers";
    return {std::move(run)};
  }
  std::vector<ValidatorRun> runs;
  for (const auto& answer : value.as_array()) runs.push_back(parse_answer(answer, plugin));
  return runs;
}

}  // namespace

WorkerPool::WorkerPool(WorkerSpec spec) : spec_(std::move(spec)) {}

WorkerPool::~WorkerPool() {
  std::lock_guard lock(mutex_);
  for (auto& worker : idle_) {
    ::shutdown(worker.fd, SHUT_RDWR);  // the worker reads EOF and exits 0
    end(worker, std::chrono::milliseconds(200));
  }
}

std::string WorkerPool::end(Worker& worker, std::chrono::milliseconds wait_for_exit) {
  int status = 0;
  pid_t reaped = 0;
  const auto deadline = Clock::now() + wait_for_exit;
  // A crashed worker is usually gone already; give it a moment (a sanitizer's report) so the
  // message names its real end, not our SIGKILL.
  while ((reaped = ::waitpid(worker.pid, &status, WNOHANG)) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (reaped == 0) {
    ::kill(worker.pid, SIGKILL);
    while ((reaped = ::waitpid(worker.pid, &status, 0)) < 0 && errno == EINTR) {
    }
  }
  ::close(worker.fd);
  worker = {};
  return reaped > 0 ? describe_status(status) : "could not be reaped";
}

void WorkerPool::follow_caller(Worker& worker) {
  const int here = ::sched_getcpu();
  if (here < 0 || here == worker.cpu) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(here, &set);
  // A refusal (a CPU outside the worker's cpuset) leaves it where the kernel puts it; it is
  // not asked again until the caller moves.
  ::sched_setaffinity(worker.pid, sizeof set, &set);
  worker.cpu = here;
}

Result<WorkerPool::Worker, std::string> WorkerPool::spawn() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return fail(std::string("socketpair: ") + std::strerror(errno));
  }
  std::vector<std::string> args = spec_.command;
  args.push_back(spec_.file.string());
  args.push_back(spec_.sha256);
  if (!spec_.staging_dir.empty()) {
    args.push_back("--staging");
    args.push_back(spec_.staging_dir.string());
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, sv[1], 0);  // dup2 clears FD_CLOEXEC
  posix_spawn_file_actions_adddup2(&actions, sv[1], 1);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(sv[1]);
  if (rc != 0) {
    ::close(sv[0]);
    return fail("cannot start " + args[0] + ": " + std::strerror(rc));
  }
  ::fcntl(sv[0], F_SETFL, ::fcntl(sv[0], F_GETFL) | O_NONBLOCK);
  ++started_;
  Worker worker{pid, sv[0]};

  std::string hello;
  const Io io = recv_frame(worker.fd, hello, Clock::now() + spec_.start_timeout);
  if (io != Io::done) {
    const std::string how = end(worker, std::chrono::milliseconds(200));
    return fail(std::string(io == Io::timed_out ? "the worker did not start in time"
                                                : "the worker ended while loading") +
                " (" + how + ")");
  }
  boost::system::error_code ec;
  const auto value = json::parse(hello, ec);
  if (ec || !value.is_object() || !value.as_object().contains("ok") ||
      !value.as_object().at("ok").is_bool() || !value.as_object().at("ok").as_bool()) {
    const std::string why =
        !ec && value.is_object() ? text_of(value.as_object(), "error") : "a garbled hello";
    end(worker, std::chrono::milliseconds(200));
    return fail("the worker refused the plugin: " + why);
  }
  return worker;
}

IsolatedRun WorkerPool::run(const std::vector<std::size_t>& indexes, const std::string& command_json,
                            std::string_view command_type, const StateSource& state) {
  IsolatedRun result;
  Worker worker;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (idle_.empty()) break;
      worker = idle_.back();
      idle_.pop_back();
    }
    // An idle worker has nothing to say: a readable or hung-up socket means it died while
    // idle (killed from outside, out of memory). Reap it and take another, so that its death
    // is not blamed on the next command.
    pollfd p{worker.fd, POLLIN, 0};
    if (::poll(&p, 1, 0) == 0) break;
    end(worker, std::chrono::milliseconds(0));
  }
  if (worker.pid < 0) {
    auto spawned = spawn();
    if (!spawned) {
      result.outcome = IsolatedRun::Outcome::unavailable;
      result.reason = spawned.error();
      return result;
    }
    worker = *spawned;
  }

  std::string request = "C";
  request.reserve(17 + 4 * indexes.size() + command_json.size() + command_type.size());
  for (int i = 0; i < 8; ++i) {
    request.push_back(static_cast<char>((static_cast<std::uint64_t>(spec_.budget.count()) >>
                                         (8 * i)) & 0xff));
  }
  put_u32(request, static_cast<std::uint32_t>(indexes.size()));
  for (const std::size_t index : indexes) put_u32(request, static_cast<std::uint32_t>(index));
  put_u32(request, static_cast<std::uint32_t>(command_json.size()));
  put_u32(request, static_cast<std::uint32_t>(command_type.size()));
  request += command_json;
  request += command_type;
  const auto ahead = prefetch_queries(command_json);
  put_u32(request, static_cast<std::uint32_t>(ahead.size()));
  for (const auto& query : ahead) {
    const std::string reply = answer_query(state, query);
    put_u32(request, static_cast<std::uint32_t>(query.size()));
    request += query;
    put_u32(request, static_cast<std::uint32_t>(reply.size()));
    request += reply;
  }

  if (spec_.follow_caller_cpu) follow_caller(worker);
  // Each validator has its budget; the worker may spend them one after the other.
  const auto deadline =
      Clock::now() + spec_.budget * static_cast<std::int64_t>(indexes.size()) + spec_.grace;
  Io io = send_frame(worker.fd, request, deadline);
  std::string answer;
  // Lookups until the answer: each one small, so the call costs what the rule reads.
  while (io == Io::done) {
    io = recv_frame(worker.fd, answer, deadline);
    if (io != Io::done || answer.empty() || answer[0] != 'Q') break;
    io = send_frame(worker.fd, answer_query(state, answer), deadline);
  }
  if (io == Io::timed_out) {
    end(worker, std::chrono::milliseconds(0));
    result.outcome = IsolatedRun::Outcome::timed_out;
    return result;
  }
  if (io == Io::closed) {
    result.outcome = IsolatedRun::Outcome::crashed;
    result.reason = end(worker, std::chrono::milliseconds(1000));
    return result;
  }
  if (answer.empty() || answer[0] != 'A') {
    // Neither a lookup nor an answer: the worker is not speaking the protocol any more.
    const std::string how = end(worker, std::chrono::milliseconds(0));
    result.outcome = IsolatedRun::Outcome::answered;
    ValidatorRun run;
    run.status = ValidatorRun::Status::garbage;
    run.reason = "the worker sent a frame that is neither a lookup nor an answer (" + how + ")";
    result.runs.push_back(std::move(run));
    return result;
  }
  answer.erase(0, 1);
  result.runs = parse_answers(answer, indexes.size(), spec_.plugin);
  std::lock_guard lock(mutex_);
  idle_.push_back(worker);
  return result;
}

}  // namespace rembuk::plugins::detail
