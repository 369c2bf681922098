// WriteAheadLog: a file of this open's own that makes a batch durable with one sync.
//
// Why. With LMDB alone a batch is durable once its meta page is, and under MDB_NOMETASYNC
// that takes the next commit's data sync: every append waited for about two and a half
// commits. The writer now also hands the batch's puts to this file, whose sync runs in parallel
// with LMDB's commit; the batch is acknowledged when both have returned (GroupCommitter).
// LMDB's own protocol is unchanged, so its file stays crash-consistent by itself; this file
// only carries what LMDB may not have made durable yet, and is read only when an open ended
// without closing (a crash, SIGKILL, a power cut): the next open applies what LMDB lacks.
//
// The file: DIR/wal/<pid>-<n>.wal, `bytes` long, written with zeros when created (so a sync
// writes no new size or extents), locked (OFD, exclusive) for as long as its open lives, and
// removed at close once LMDB has synced. Frames follow each other from offset 0 (integers
// little-endian; the file never leaves the machine that wrote it, but the format is fixed):
//
//   frame  = "RWAL" | body_len:u32 | lap:u64 | first:u64 | last:u64 | digest:32 | body
//   body   = put*
//   put    = dbi:u8 | key_len:u32 | key | value_len:u32 | value
//   digest = SHA-256 over lap, first, last and body
//
// `first`..`last` are the log positions the batch appended. When a frame does not fit, the
// writer makes LMDB durable and a new lap starts at offset 0; a reader stops at the first frame
// whose magic, lap or digest does not match. A frame whose LMDB commit then failed stays in the
// file; the batch that reuses its positions comes later and supersedes it (read_left_behind).
//
// Thread safety: a WriteAheadLog is used by one thread at a time (the writer reserves space,
// the WAL thread writes and syncs; GroupCommitter orders them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

// Which LMDB database a put goes to (Dbis); stable codes, part of the file format.
enum class WalDbi : std::uint8_t { events = 0, stream_chunks = 1, heads = 2, commands = 3 };

// One batch's puts, in the order the transaction made them.
class WalFrame {
 public:
  static constexpr std::size_t header_bytes = 4 + 4 + 8 + 8 + 8 + 32;

  struct Put {
    WalDbi dbi;
    std::string_view key;
    std::string_view value;
  };

  void put(WalDbi dbi, std::string_view key, std::string_view value);
  void clear();
  bool empty() const { return body_.empty(); }
  std::size_t size() const { return header_bytes + body_.size(); }

  Position first = 0;
  Position last = 0;

  // The frame's bytes for `lap`.
  std::string encode(std::uint64_t lap) const;
  // Parses the frame at the start of `bytes`; false when it is not a whole, intact frame of
  // `lap` (0: any lap, which is then stored in *lap_out).
  static bool decode(std::string_view bytes, std::uint64_t lap, WalFrame& out,
                     std::size_t& consumed, std::uint64_t* lap_out = nullptr);
  // The puts, for replay. The views point into this frame.
  std::vector<Put> puts() const;

 private:
  std::string body_;
};

class WriteAheadLog {
 public:
  // Creates a new file in DIR/wal (creating the folder), fills it with zeros, syncs it and
  // the folder, and locks it. nullptr (with `why`) when that fails.
  static std::unique_ptr<WriteAheadLog> create(const std::filesystem::path& log_dir,
                                               std::size_t bytes, std::string& why);
  ~WriteAheadLog();  // closes; the file stays (remove() deletes it)
  WriteAheadLog(const WriteAheadLog&) = delete;
  WriteAheadLog& operator=(const WriteAheadLog&) = delete;

  // Where a frame of `size` bytes goes in this lap, advancing the end; false when it does
  // not fit (then call next_lap() once everything written so far is durable in LMDB).
  bool reserve(std::size_t size, std::uint64_t& offset);
  // Starts writing again at offset 0 with the next lap number.
  void next_lap();
  // Makes the file `bytes` long, the new part written with zeros and synced.
  bool extend(std::size_t bytes, std::string& why);
  std::uint64_t lap() const { return lap_; }

  // Writes `bytes` at `offset` (from reserve()); sync() makes every write so far durable.
  // false with `why` on an I/O error.
  bool write(std::uint64_t offset, std::string_view bytes, std::string& why);
  bool sync(std::string& why);

  // Deletes the file. REQUIRES: LMDB holds everything written here durably.
  void remove();
  const std::filesystem::path& path() const { return path_; }

 private:
  WriteAheadLog(int fd, std::filesystem::path path, std::size_t bytes);
  static bool fill_zeros(int fd, std::size_t from, std::size_t to);

  int fd_;
  std::filesystem::path path_;
  std::size_t bytes_;
  std::uint64_t lap_ = 1;
  std::uint64_t end_ = 0;
};

// What the files of opens that ended without closing hold. Files still locked by a live open
// are not read. `frames`: every intact frame of every such file, superseded ones dropped,
// ordered by first position (the caller applies those that follow LMDB's head); `problem`: a
// file that could not be read.
struct LeftBehind {
  std::vector<std::filesystem::path> files;  // each one now locked by this object
  std::vector<WalFrame> frames;
  std::string problem;
  std::vector<int> locks;  // descriptors holding the locks; closed by release()
  void release();
  ~LeftBehind() { release(); }
  LeftBehind() = default;
  LeftBehind(const LeftBehind&) = delete;
  LeftBehind& operator=(const LeftBehind&) = delete;
};
void read_left_behind(const std::filesystem::path& log_dir, LeftBehind& out);

// Syncs the folder that holds `path`, so a created or removed name is durable.
void sync_folder_of(const std::filesystem::path& path);

}  // namespace rembuk::store
