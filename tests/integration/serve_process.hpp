// ServeProcess: the real `rembuk serve` binary as a child process, for tests that need what
// only the executable does (signal handling, exit code, what it writes to its log).
//
// The child listens on 127.0.0.1 port 0; the port is read from the "listening on" line it
// writes to stderr and the development admin token from its stdout. Everything the child
// writes to stderr is kept in a file (`log_text()`), so a test can check what it logged.
//
// Thread safety: one test thread. The destructor kills a child still running (SIGKILL).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace rembuk::testing {

class ServeProcess {
 public:
  // Starts `binary serve --data data_dir --listen 127.0.0.1:0 extra_args…` and waits (up to
  // 20 s) until it listens. ok() says whether it did.
  ServeProcess(const std::string& binary, const std::filesystem::path& data_dir,
               std::vector<std::string> extra_args = {})
      : out_path_(data_dir.string() + ".stdout"), err_path_(data_dir.string() + ".stderr") {
    std::vector<std::string> args{binary, "serve", "--data", data_dir.string(), "--listen",
                                  "127.0.0.1:0"};
    for (auto& a : extra_args) args.push_back(std::move(a));
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out, 1);
      ::dup2(err, 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline && running()) {
      const std::string err = read_file(err_path_);
      const auto at = err.find("listening on http");
      const std::string out = read_file(out_path_);
      const auto token_at = out.find("token (8h): ");
      if (at != std::string::npos && token_at != std::string::npos &&
          out.find('\n', token_at) != std::string::npos) {
        const auto colon = err.find(':', err.find("127.0.0.1", at));
        port_ = static_cast<std::uint16_t>(std::stoi(err.substr(colon + 1)));
        const auto begin = token_at + 12;
        admin_token_ = out.substr(begin, out.find('\n', begin) - begin);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the child's output
    }
  }

  ~ServeProcess() {
    if (pid_ > 0 && !exit_status_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    std::error_code ec;
    std::filesystem::remove(out_path_, ec);
    std::filesystem::remove(err_path_, ec);
  }

  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool ok() const { return port_ != 0; }
  std::uint16_t port() const { return port_; }
  const std::string& admin_token() const { return admin_token_; }
  pid_t pid() const { return pid_; }

  void signal(int sig) const { ::kill(pid_, sig); }

  // Waits for the child to exit; its exit code, or -signal when killed, or nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_status_) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling waitpid
    }
    return exit_status_;
  }

  // What the child wrote to stderr (its log) and stdout so far.
  std::string log_text() const { return read_file(err_path_); }
  std::string stdout_text() const { return read_file(out_path_); }

 private:
  bool running() {
    if (exit_status_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      return false;
    }
    return true;
  }

  static std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string out_path_;
  std::string err_path_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string admin_token_;
  std::optional<int> exit_status_;
};

}  // namespace rembuk::testing
