#include "rembuk/documents/pdf_printer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

extern char** environ;

namespace rembuk::documents {
namespace {

namespace fs = std::filesystem;

bool executable(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<std::string> on_path(const char* name) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);
    if (!dir.empty() && executable(fs::path(dir) / name)) return (fs::path(dir) / name).string();
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

// A temp folder of this print's own, removed with everything in it when the print ends.
class PrintFolder {
 public:
  static std::optional<PrintFolder> make() {
    std::string pattern = (fs::temp_directory_path() / "rembuk-pdf-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return std::nullopt;
    return PrintFolder(pattern);
  }
  PrintFolder(PrintFolder&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  PrintFolder(const PrintFolder&) = delete;
  PrintFolder& operator=(const PrintFolder&) = delete;
  PrintFolder& operator=(PrintFolder&&) = delete;
  ~PrintFolder() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit PrintFolder(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The end of Chromium's error output, without the D-Bus complaints every headless run makes.
std::string error_tail(const fs::path& path) {
  const std::string all = read_file(path);
  std::string kept;
  std::size_t at = 0;
  while (at < all.size()) {
    auto end = all.find('\n', at);
    if (end == std::string::npos) end = all.size();
    const std::string_view line(all.data() + at, end - at);
    if (!line.empty() && line.find("dbus") == std::string_view::npos) {
      kept.append(line).push_back('\n');
    }
    at = end + 1;
  }
  if (kept.size() > 600) kept = "…" + kept.substr(kept.size() - 600);
  while (!kept.empty() && kept.back() == '\n') kept.pop_back();
  return kept.empty() ? std::string("no error output") : kept;
}

enum class Exit { ok, failed, timed_out };

// Runs args[0] (a full path) with stdout to `output_file` (or /dev/null when empty) and
// stderr to `error_file`, waiting up to `timeout`.
Exit run(const std::vector<std::string>& args, const fs::path& output_file,
         const fs::path& error_file, std::chrono::seconds timeout, std::string& why) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (output_file.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, output_file.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
  }
  posix_spawn_file_actions_addopen(&actions, 2, error_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // A process group of its own, so that a timeout ends Chromium's child processes too.
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    why = "cannot start " + args[0] + ": " + std::strerror(spawned);
    return Exit::failed;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      why = "waiting for " + args[0] + ": " + std::strerror(errno);
      ::kill(-pid, SIGKILL);
      return Exit::failed;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      why = args[0] + " did not finish within " + std::to_string(timeout.count()) + " s";
      return Exit::timed_out;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(-pid, SIGKILL);  // child processes that outlived the browser, if any
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    why = WIFEXITED(status) ? args[0] + " exited with status " + std::to_string(WEXITSTATUS(status))
                            : args[0] + " was killed by signal " + std::to_string(WTERMSIG(status));
    return Exit::failed;
  }
  return Exit::ok;
}

}  // namespace

std::optional<std::string> find_chromium(const PdfOptions& options) {
  if (!options.chromium.empty()) {
    return executable(options.chromium) ? std::optional(options.chromium) : std::nullopt;
  }
  if (const char* env = std::getenv("CHROMIUM_PATH"); env != nullptr && *env != '\0') {
    return executable(env) ? std::optional<std::string>(env) : std::nullopt;
  }
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    if (auto found = on_path(name)) return found;
  }
  return std::nullopt;
}

std::string chromium_missing_message() {
  return "PDF needs Chromium, and none is installed: install it with `apt-get install "
         "chromium` (or set CHROMIUM_PATH to a Chromium or Chrome executable), or take "
         "--format html and print it from a browser";
}

DocumentResult<std::string> print_pdf(const std::string& html, const PdfOptions& options) {
  const auto chromium = find_chromium(options);
  if (!chromium) return fail(Error{ErrorCode::unavailable, chromium_missing_message()});
  auto folder = PrintFolder::make();
  if (!folder) {
    return fail(Error{ErrorCode::print_failed,
                      std::string("cannot make a temp folder: ") + std::strerror(errno)});
  }
  const fs::path page = folder->path() / "page.html";
  const fs::path pdf = folder->path() / "page.pdf";
  {
    std::ofstream out(page, std::ios::binary);
    out.write(html.data(), static_cast<std::streamsize>(html.size()));
    if (!out) return fail(Error{ErrorCode::print_failed, "cannot write " + page.string()});
  }
  const std::vector<std::string> args = {
      *chromium,
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      "--user-data-dir=" + (folder->path() / "profile").string(),
      "--no-pdf-header-footer",
      "--print-to-pdf=" + pdf.string(),
      "file://" + page.string()};
  std::string why;
  if (run(args, {}, folder->path() / "chromium.log", options.timeout, why) != Exit::ok) {
    return fail(Error{ErrorCode::print_failed,
                      why + " (" + error_tail(folder->path() / "chromium.log") + ")"});
  }
  std::string bytes = read_file(pdf);
  if (bytes.rfind("%PDF-", 0) != 0) {
    return fail(Error{ErrorCode::print_failed,
                      "Chromium wrote no PDF (" + error_tail(folder->path() / "chromium.log") + ")"});
  }
  return bytes;
}

std::optional<std::vector<std::string>> pdf_page_texts(const std::string& pdf) {
  const auto pdftotext = on_path("pdftotext");
  if (!pdftotext) return std::nullopt;
  auto folder = PrintFolder::make();
  if (!folder) return std::nullopt;
  const fs::path input = folder->path() / "in.pdf";
  const fs::path output = folder->path() / "out.txt";
  {
    std::ofstream out(input, std::ios::binary);
    out.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
    if (!out) return std::nullopt;
  }
  std::string why;
  if (run({*pdftotext, "-layout", input.string(), "-"}, output, folder->path() / "err.log",
          std::chrono::seconds(60), why) != Exit::ok) {
    return std::nullopt;
  }
  std::vector<std::string> pages;
  const std::string text = read_file(output);
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find('\f', at);
    if (end == std::string::npos) end = text.size();
    pages.emplace_back(text, at, end - at);
    at = end + 1;
  }
  return pages;
}

}  // namespace rembuk::documents
