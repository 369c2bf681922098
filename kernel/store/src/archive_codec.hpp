// Frames of the backup archive: writing them with their running hash, and reading them back
// with every check that needs no knowledge of the log. Grammar: archive_codec.cpp.
//
// Thread safety: one writer or reader per thread; separate objects are independent. A writer
// runs a thread of its own (below), hidden behind its calls.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/uio.h>

#include "rembuk/store/archive.hpp"
#include "sha256.hpp"

namespace rembuk::store::archive {

inline constexpr std::string_view magic = "REMBUKBK";
inline constexpr std::size_t header_bytes = 8 + 4;
inline constexpr std::size_t frame_head_bytes = 1 + 4 + 4;  // kind, length, check
inline constexpr std::size_t frame_tail_bytes = 32;         // chain
// Larger than any one record (16 MiB of payload and its fields) can make an events frame.
inline constexpr std::uint32_t max_frame_bytes = 32u << 20;
// Events frames are cut once they pass this size.
inline constexpr std::size_t target_frame_bytes = 1u << 20;

enum class FrameKind : std::uint8_t {
  manifest = 1,
  events = 2,
  heads = 3,
  keys = 4,
  end = 0x7f,
};
std::string_view to_string(FrameKind kind);

inline constexpr char entry_event = 'E';
inline constexpr char entry_command = 'C';

// Body encoders and decoders (the strings are length:u32 bytes, integers big-endian).
std::string encode_manifest(const ArchiveManifest& manifest);
std::optional<ArchiveManifest> decode_manifest(std::string_view body);
std::string encode_keys(const ArchiveKeys& keys);
std::optional<ArchiveKeys> decode_keys(std::string_view body);
std::string encode_end(std::uint64_t frames, std::uint64_t events);

// Reads forward through a body; any overrun makes it fail for good.
class BodyReader {
 public:
  explicit BodyReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }
  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  std::string_view bytes(std::size_t n);
  std::string_view string() { return bytes(u32()); }

 private:
  std::string_view in_;
  bool ok_ = true;
};
void put_string(std::string& out, std::string_view s);

// Writes the header and frames to a file descriptor it does not own. The running hash and the
// writes happen on a thread of the writer's own, so reading the log and hashing and writing
// the archive use both cores: frame() hands its body over and returns, waiting only when two
// frames are already queued (memory stays at a few frame bodies). A failed write is thrown
// (StoreException: storage_full on ENOSPC/EDQUOT, io_error otherwise) by the next frame() or
// by flush(); nothing is written after it.
class FrameWriter {
 public:
  FrameWriter(int fd, std::string name);
  ~FrameWriter();
  FrameWriter(const FrameWriter&) = delete;
  FrameWriter& operator=(const FrameWriter&) = delete;

  void write_header();
  void frame(FrameKind kind, std::string body);
  // An empty string to build the next body in; it keeps the capacity of a written one.
  std::string spare_body();
  // Waits until every frame is written; throws the write's failure, if any.
  void flush();
  // Bytes handed over so far (written or queued), for progress.
  std::uint64_t bytes_written() const { return handed_bytes_; }
  std::uint64_t frames() const { return frames_; }

 private:
  struct Queued {
    FrameKind kind;
    std::string body;
  };
  void run();
  void write_frame(const Queued& q);
  void write_all(const ::iovec* parts, int count);

  int fd_;
  std::string name_;
  std::uint64_t handed_bytes_ = 0;
  std::uint64_t frames_ = 0;

  // Shared with the writing thread, under mutex_.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Queued> queue_;
  std::vector<std::string> spare_;
  bool busy_ = false;  // a frame is being written
  bool stop_ = false;
  std::exception_ptr failure_;
  static constexpr std::size_t max_queued = 2;

  // The writing thread's own.
  std::uint64_t offset_ = 0;
  std::uint64_t written_back_ = 0;  // offset when writeback was last started
  static constexpr std::uint64_t writeback_bytes = 64u << 20;
  Hash chain_{};
  Sha256 sha_;
  std::thread thread_;
};

// One frame read and proven by its running hash.
struct Frame {
  FrameKind kind = FrameKind::end;
  std::string body;
  std::uint64_t offset = 0;  // of its first byte in the file
  std::uint64_t index = 0;   // 0 for the first frame after the header
};

// Reads frames; the first fault (truncated, damaged, not an archive, newer format) ends it.
class FrameReader {
 public:
  FrameReader(int fd, std::string name);
  // Reads and checks the header; false with fault() set when it is not a readable archive.
  bool read_header();
  // The next frame, proven; nullopt at a fault (see fault()) or after the end frame.
  std::optional<Frame> next();
  const ArchiveReport& fault() const { return fault_; }
  // After the end frame: true when the file ends there (no byte follows).
  bool at_end_of_file();
  std::uint64_t bytes_read() const { return offset_; }

 private:
  // Fills `out` with exactly n bytes; false at the end of the file (or a read error).
  bool read_exact(std::size_t n, std::string& out);
  bool fail(ArchiveFault fault, std::string reason, std::uint64_t at);

  int fd_;
  std::string name_;
  static constexpr std::size_t read_bytes = 1u << 20;
  std::unique_ptr<char[]> buffer_;  // read_bytes, allocated at the first read
  std::size_t buffer_size_ = 0;
  std::size_t buffer_pos_ = 0;
  bool eof_ = false;
  bool read_error_ = false;
  std::uint64_t offset_ = 0;
  std::uint64_t frames_ = 0;
  Hash chain_{};
  Sha256 sha_;
  ArchiveReport fault_;
};

}  // namespace rembuk::store::archive
