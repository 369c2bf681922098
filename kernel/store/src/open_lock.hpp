// OpenLock: whether this is the only open of a log, across processes and within one.
//
// Every open of an LMDB log holds a shared lock on DIR/open.lock for as long as it is open.
// Upgrading it to exclusive succeeds only while no other open exists (another `rembuk` process
// such as `rembuk import` beside a server, or a second open in the same process), and an open
// that starts meanwhile waits until it is shared again. FileReserve writes into the data file
// only under the exclusive lock, so it can never write where another process's LMDB writer is
// extending the file.
//
// The locks are open-file-description locks (F_OFD_SETLK, Linux): they belong to this object's
// descriptor, not to the process, so two opens in one process exclude each other too, and
// closing some other descriptor of the file does not drop them (as it would a POSIX lock).
//
// Thread safety: try_exclusive() and shared() from one thread at a time.
#pragma once

#include <string>

namespace rembuk::store {

class OpenLock {
 public:
  // Creates DIR/open.lock if missing and takes the shared lock, waiting while another open
  // holds it exclusively. When the file cannot be opened or locked (a read-only folder, a file
  // system without such locks) the object holds nothing and try_exclusive() is always false.
  explicit OpenLock(const std::string& dir);
  ~OpenLock();
  OpenLock(const OpenLock&) = delete;
  OpenLock& operator=(const OpenLock&) = delete;

  // true: this is the only open of the log, and stays so until shared(). Never waits.
  bool try_exclusive();
  // Back to shared. REQUIRES: try_exclusive() returned true.
  void shared();

 private:
  bool lock(short type, bool wait);

  int fd_ = -1;
  bool held_ = false;
};

}  // namespace rembuk::store
