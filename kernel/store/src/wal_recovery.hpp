// Recovery from the write-ahead files of opens that ended without closing.
//
// A batch acknowledged through its frame (write_ahead_log.hpp) may be missing from LMDB after
// a crash: LMDB made it durable only with a later sync that never came. On open, before
// anything reads the log, the frames that follow LMDB's head are put back, in one
// transaction, exactly as the writer put them (the records keep their hashes, so the chain
// and `verify` see no difference); LMDB is synced; the files are removed. Frames at or below
// the head are in LMDB already. A frame that does not follow the head (a hole) was never
// acknowledged through the file (a batch after another process's transaction is synced
// instead), so it and those after it are not applied; the file is kept as `*.unapplied`.
//
// Files locked by a live open (another process using the log) are left to it.
#pragma once

#include <cstddef>
#include <string>

#include "log_environment.hpp"

namespace rembuk::store {

struct WalRecovery {
  std::size_t files = 0;           // files of ended opens found
  std::size_t frames_applied = 0;  // frames LMDB lacked and now holds
  Position head = 0;               // LMDB's head after recovery
  std::string not_applied;         // why some frames were not applied (files kept)
};

// Throws LmdbError or StoreException when LMDB refuses the writes or the sync; the files
// then stay for the next open.
WalRecovery recover_left_behind(LogEnvironment& env, const std::string& log_dir);

}  // namespace rembuk::store
