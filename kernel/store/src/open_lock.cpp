#include "open_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace rembuk::store {

OpenLock::OpenLock(const std::string& dir) {
  const auto path = std::filesystem::path(dir) / "open.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return;
  held_ = lock(F_RDLCK, true);
}

OpenLock::~OpenLock() {
  if (fd_ >= 0) ::close(fd_);  // drops the lock with the open file description
}

bool OpenLock::try_exclusive() { return held_ && lock(F_WRLCK, false); }

void OpenLock::shared() { lock(F_RDLCK, true); }

bool OpenLock::lock(short type, bool wait) {
  struct flock range {};
  range.l_type = type;
  range.l_whence = SEEK_SET;
  range.l_start = 0;
  range.l_len = 1;
  range.l_pid = 0;  // required by F_OFD_*
  for (;;) {
    if (::fcntl(fd_, wait ? F_OFD_SETLKW : F_OFD_SETLK, &range) == 0) return true;
    if (errno != EINTR) return false;
  }
}

}  // namespace rembuk::store
