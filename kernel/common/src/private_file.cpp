#include "rembuk/common/private_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace rembuk {

namespace {

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Result<PrivateFile, std::string> create_private_file(const std::filesystem::path& path,
                                                     std::string_view bytes) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path staging =
      path.string() + ".new-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const int fd = ::open(staging.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail("cannot create " + staging.string() + ": " + std::strerror(errno));
  const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(staging.c_str());
    return fail("cannot write " + staging.string() + ": " + std::strerror(errno));
  }
  const bool linked = ::link(staging.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(staging.c_str());
  if (!linked) {
    if (link_errno == EEXIST) return PrivateFile::already_there;
    return fail("cannot create " + path.string() + ": " + std::strerror(link_errno));
  }
  // The new name must survive a power loss too: sync the folder that holds it.
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return PrivateFile::created;
}

}  // namespace rembuk
