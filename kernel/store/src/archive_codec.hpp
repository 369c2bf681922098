// Frames of the backup archive: writing them with their running hash, and reading them back
// with every check that needs no knowledge of the log. Grammar: archive_codec.cpp.
//
// Thread safety: one writer or reader per thread; separate objects are independent.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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

// Writes the header and frames to a file descriptor it does not own, buffered. Throws
// StoreException (storage_full on ENOSPC/EDQUOT, io_error otherwise) when a write fails.
class FrameWriter {
 public:
  FrameWriter(int fd, std::string name);
  void write_header();
  void frame(FrameKind kind, std::string_view body);
  void flush();
  std::uint64_t bytes_written() const { return offset_ + buffer_.size(); }
  std::uint64_t frames() const { return frames_; }

 private:
  void put(std::string_view bytes);
  int fd_;
  std::string name_;
  std::string buffer_;
  std::uint64_t offset_ = 0;
  std::uint64_t frames_ = 0;
  std::uint64_t written_back_ = 0;  // offset when writeback was last started
  static constexpr std::uint64_t writeback_bytes = 64u << 20;
  Hash chain_{};
  Sha256 sha_;
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
