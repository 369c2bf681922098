#include "write_ahead_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "sha256.hpp"

namespace rembuk::store {
namespace {

constexpr std::string_view kMagic = "RWAL";

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint32_t get_u32(std::string_view in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}
std::uint64_t get_u64(std::string_view in, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}

Hash digest_of(std::uint64_t lap, Position first, Position last, std::string_view body) {
  std::string fields;
  put_u64(fields, lap);
  put_u64(fields, first);
  put_u64(fields, last);
  Sha256 sha;
  sha.update(fields);
  sha.update(body);
  return sha.finish();
}

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

bool lock_fd(int fd) {
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  return ::fcntl(fd, F_OFD_SETLK, &fl) == 0;
}

}  // namespace

void WalFrame::put(WalDbi dbi, std::string_view key, std::string_view value) {
  body_.push_back(static_cast<char>(dbi));
  put_u32(body_, static_cast<std::uint32_t>(key.size()));
  body_.append(key);
  put_u32(body_, static_cast<std::uint32_t>(value.size()));
  body_.append(value);
}

void WalFrame::clear() {
  body_.clear();
  first = last = 0;
}

std::string WalFrame::encode(std::uint64_t lap) const {
  std::string out;
  out.reserve(size());
  out.append(kMagic);
  put_u32(out, static_cast<std::uint32_t>(body_.size()));
  put_u64(out, lap);
  put_u64(out, first);
  put_u64(out, last);
  const Hash digest = digest_of(lap, first, last, body_);
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  out.append(body_);
  return out;
}

bool WalFrame::decode(std::string_view bytes, std::uint64_t lap, WalFrame& out,
                      std::size_t& consumed, std::uint64_t* lap_out) {
  if (bytes.size() < header_bytes || bytes.substr(0, 4) != kMagic) return false;
  const std::uint32_t body_len = get_u32(bytes, 4);
  const std::uint64_t frame_lap = get_u64(bytes, 8);
  if (lap != 0 && frame_lap != lap) return false;
  if (bytes.size() - header_bytes < body_len) return false;
  const Position first = get_u64(bytes, 16);
  const Position last = get_u64(bytes, 24);
  if (first == 0 || last < first) return false;
  const std::string_view body = bytes.substr(header_bytes, body_len);
  const Hash digest = digest_of(frame_lap, first, last, body);
  if (std::memcmp(digest.data(), bytes.data() + 32, digest.size()) != 0) return false;
  // Every put must be whole, or the frame is not one this code wrote.
  for (std::size_t at = 0; at < body.size();) {
    if (body.size() - at < 5 || static_cast<unsigned char>(body[at]) > 3) return false;
    const std::uint32_t key_len = get_u32(body, at + 1);
    at += 5;
    if (body.size() - at < std::size_t{key_len} + 4) return false;
    at += key_len;
    const std::uint32_t value_len = get_u32(body, at);
    at += 4;
    if (body.size() - at < value_len) return false;
    at += value_len;
  }
  out.body_.assign(body);
  out.first = first;
  out.last = last;
  consumed = header_bytes + body_len;
  if (lap_out != nullptr) *lap_out = frame_lap;
  return true;
}

std::vector<WalFrame::Put> WalFrame::puts() const {
  std::vector<Put> result;
  const std::string_view body = body_;
  for (std::size_t at = 0; at < body.size();) {
    const auto dbi = static_cast<WalDbi>(body[at]);
    const std::uint32_t key_len = get_u32(body, at + 1);
    at += 5;
    const std::string_view key = body.substr(at, key_len);
    at += key_len;
    const std::uint32_t value_len = get_u32(body, at);
    at += 4;
    result.push_back(Put{dbi, key, body.substr(at, value_len)});
    at += value_len;
  }
  return result;
}

std::unique_ptr<WriteAheadLog> WriteAheadLog::create(const std::filesystem::path& log_dir,
                                                     std::size_t bytes, std::string& why) {
  static std::atomic<unsigned> counter{0};
  std::error_code ec;
  const auto dir = log_dir / "wal";
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    why = "cannot create " + dir.string() + ": " + ec.message();
    return nullptr;
  }
  const std::string name = std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const auto path = dir / (name + ".wal");
  // Made under another name and renamed once locked: a file named *.wal is never unlocked
  // while its open lives, so recovery in another process cannot take it for a dead one's.
  const auto making = dir / (name + ".making");
  const int fd = ::open(making.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    why = errno_text(("cannot create " + making.string()).c_str());
    return nullptr;
  }
  auto fail = [&](const std::string& what) {
    why = errno_text(what.c_str());
    ::close(fd);
    ::unlink(making.c_str());
    return nullptr;
  };
  if (!lock_fd(fd)) return fail("cannot lock " + making.string());
  if (!fill_zeros(fd, 0, bytes)) return fail("cannot fill " + making.string());
  if (::rename(making.c_str(), path.c_str()) != 0) return fail("cannot name " + path.string());
  sync_folder_of(path);
  return std::unique_ptr<WriteAheadLog>(new WriteAheadLog(fd, path, bytes));
}

WriteAheadLog::WriteAheadLog(int fd, std::filesystem::path path, std::size_t bytes)
    : fd_(fd), path_(std::move(path)), bytes_(bytes) {}

WriteAheadLog::~WriteAheadLog() {
  if (fd_ >= 0) ::close(fd_);
}

bool WriteAheadLog::reserve(std::size_t size, std::uint64_t& offset) {
  if (end_ + size > bytes_) return false;
  offset = end_;
  end_ += size;
  return true;
}

bool WriteAheadLog::fill_zeros(int fd, std::size_t from, std::size_t to) {
  const std::string zeros(1u << 20, '\0');
  for (std::size_t at = from; at < to; at += zeros.size()) {
    const std::size_t n = std::min(zeros.size(), to - at);
    if (::pwrite(fd, zeros.data(), n, static_cast<off_t>(at)) != static_cast<ssize_t>(n)) {
      return false;
    }
  }
  return ::fdatasync(fd) == 0;
}

bool WriteAheadLog::extend(std::size_t bytes, std::string& why) {
  if (bytes <= bytes_) return true;
  if (!fill_zeros(fd_, bytes_, bytes)) {
    why = errno_text(("cannot extend " + path_.string()).c_str());
    return false;
  }
  bytes_ = bytes;
  return true;
}

void WriteAheadLog::next_lap() {
  ++lap_;
  end_ = 0;
}

bool WriteAheadLog::write(std::uint64_t offset, std::string_view bytes, std::string& why) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                               static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      why = errno_text("cannot write the write-ahead file");
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool WriteAheadLog::sync(std::string& why) {
  if (::fdatasync(fd_) == 0) return true;
  why = errno_text("cannot sync the write-ahead file");
  return false;
}

void WriteAheadLog::remove() {
  ::unlink(path_.c_str());
  sync_folder_of(path_);
}

void sync_folder_of(const std::filesystem::path& path) {
  const int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  ::fsync(dir);
  ::close(dir);
}

void LeftBehind::release() {
  for (int fd : locks) ::close(fd);
  locks.clear();
}

namespace {

// Appends a file's frames in file order, superseded ones dropped: a frame whose commit failed
// is followed by the one that reused its positions.
bool read_file(const std::filesystem::path& path, int fd, std::vector<WalFrame>& all,
               std::string& problem) {
  std::vector<WalFrame> frames;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    problem = errno_text(("cannot read " + path.string()).c_str());
    return false;
  }
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::pread(fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  std::uint64_t lap = 0;
  std::size_t at = 0;
  while (at < bytes.size()) {
    WalFrame frame;
    std::size_t used = 0;
    if (!WalFrame::decode(std::string_view(bytes).substr(at), lap, frame, used, &lap)) break;
    at += used;
    while (!frames.empty() && frames.back().first >= frame.first) frames.pop_back();
    frames.push_back(std::move(frame));
  }
  for (auto& frame : frames) all.push_back(std::move(frame));
  // Where the frames end is where the open stopped writing (zeros, an older lap, a frame cut
  // short by the crash) unless an intact frame of this lap comes later: then one in between
  // was damaged, and what follows it cannot be trusted to be complete.
  if (lap != 0) {
    const std::string_view rest = std::string_view(bytes).substr(std::min(at + 1, bytes.size()));
    for (std::size_t found = rest.find(kMagic); found != std::string_view::npos;
         found = rest.find(kMagic, found + 1)) {
      WalFrame later;
      std::size_t used = 0;
      if (WalFrame::decode(rest.substr(found), lap, later, used)) {
        problem = path.string() + ": the frame at offset " + std::to_string(at) +
                  " is damaged; later frames were not read";
        return false;
      }
    }
  }
  return true;
}

}  // namespace

void read_left_behind(const std::filesystem::path& log_dir, LeftBehind& out) {
  std::error_code ec;
  const auto dir = log_dir / "wal";
  if (!std::filesystem::is_directory(dir, ec)) return;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".making") {
      // Left by an open that died while making its file: it never held a frame.
      const int fd = ::open(entry.path().c_str(), O_RDWR | O_CLOEXEC);
      if (fd >= 0 && lock_fd(fd)) ::unlink(entry.path().c_str());
      if (fd >= 0) ::close(fd);
      continue;
    }
    if (entry.path().extension() != ".wal") continue;
    const int fd = ::open(entry.path().c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) continue;  // removed meanwhile by its open's close
    if (!lock_fd(fd)) {    // a live open's
      ::close(fd);
      continue;
    }
    out.locks.push_back(fd);
    out.files.push_back(entry.path());
    std::string problem;
    if (!read_file(entry.path(), fd, out.frames, problem) && out.problem.empty()) {
      out.problem = problem;
    }
  }
  std::stable_sort(out.frames.begin(), out.frames.end(),
                   [](const WalFrame& a, const WalFrame& b) { return a.first < b.first; });
}

}  // namespace rembuk::store
