// Backup archive format 1 (docs/backup-format.md). One file, written front to back:
//
//   archive   := header frame*                     the last frame is `end`; nothing follows it
//   header    := magic:byte[8]="REMBUKBK" format:u32(=1)
//   frame     := kind:u8 length:u32 check:byte[4] body:byte[length] chain:byte[32]
//   check     := the first 4 bytes of SHA-256(chain' ‖ kind ‖ length)
//   chain     := SHA-256(chain' ‖ kind ‖ length ‖ body)
//                chain' is the previous frame's chain; before the first frame, SHA-256(header)
//
//   frames, in this order:
//     manifest (kind 1)  exactly one
//     keys     (kind 4)  exactly one (before the events: checkpoints are checked against it)
//     events   (kind 2)  zero or more; their entries in position order
//     heads    (kind 3)  zero or more; one entry per stream, in byte order of the names
//     end      (kind 0x7f) exactly one
//
//   manifest  := format:u32 rembuk_version:string created_at_us:i64 source:string
//                head_position:u64 head_hash:byte[32] events:u64 streams:u64 masterplans:u64
//                commands:u64 checkpoints:u64 with_secrets:u8
//   events    := entry*
//   entry     := 'E' record:string                 one stored record (record_codec.cpp)
//              | 'C' command_id:string first_position:u64 last_position:u64
//                    first_revision:u64 last_revision:u64
//                                                  a command-id index entry, right before the
//                                                  first event of its append
//   heads     := (stream:string revision:u64 last_position:u64)*
//   keys      := audit_public_key:string with_secrets:u8 [token_secret:string audit_key:string]
//   end       := frames:u64 events:u64             frames before it; events in the archive
//   string    := length:u32 byte[length]
//
// Integers are big-endian. A frame's length is at most 32 MiB; events frames are cut at
// about 1 MiB (one record may make a frame larger).
//
// Why this shape: `check` proves a frame's header before its length is trusted, so a flipped
// length byte is named as damage instead of being read as a truncation; `chain` ties every
// frame to all before it, so any changed, dropped, repeated or reordered byte or frame is
// found at the first frame it touches, and an archive cut anywhere before `end` is truncated.
// The events themselves are proven once more by the log's own hash chain.
#include "archive_codec.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "keys.hpp"
#include "store_errors.hpp"

namespace rembuk::store::archive {
namespace {

std::string_view as_view(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

std::string frame_prefix(FrameKind kind, std::uint32_t length) {
  std::string out;
  out.push_back(static_cast<char>(kind));
  keys::put_u32(out, length);
  return out;
}

bool known_kind(std::uint8_t kind) {
  return kind == 1 || kind == 2 || kind == 3 || kind == 4 || kind == 0x7f;
}

}  // namespace

std::string_view to_string(FrameKind kind) {
  switch (kind) {
    case FrameKind::manifest: return "manifest";
    case FrameKind::events: return "events";
    case FrameKind::heads: return "heads";
    case FrameKind::keys: return "keys";
    case FrameKind::end: return "end";
  }
  return "unknown";
}

void put_string(std::string& out, std::string_view s) {
  keys::put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

std::uint8_t BodyReader::u8() {
  const auto b = bytes(1);
  return ok_ ? static_cast<std::uint8_t>(b[0]) : 0;
}
std::uint32_t BodyReader::u32() {
  const auto b = bytes(4);
  return ok_ ? keys::get_u32(b) : 0;
}
std::uint64_t BodyReader::u64() {
  const auto b = bytes(8);
  return ok_ ? keys::get_u64(b) : 0;
}
std::string_view BodyReader::bytes(std::size_t n) {
  if (!ok_ || in_.size() < n) {
    ok_ = false;
    return {};
  }
  const auto out = in_.substr(0, n);
  in_.remove_prefix(n);
  return out;
}

std::string encode_manifest(const ArchiveManifest& m) {
  std::string out;
  keys::put_u32(out, m.format);
  put_string(out, m.rembuk_version);
  keys::put_u64(out, static_cast<std::uint64_t>(m.created_at_us));
  put_string(out, m.source);
  keys::put_u64(out, m.head.position);
  out.append(as_view(m.head.hash));
  for (const std::uint64_t v : {m.events, m.streams, m.masterplans, m.commands, m.checkpoints}) {
    keys::put_u64(out, v);
  }
  out.push_back(m.with_secrets ? 1 : 0);
  return out;
}

std::optional<ArchiveManifest> decode_manifest(std::string_view body) {
  BodyReader r(body);
  ArchiveManifest m;
  m.format = r.u32();
  m.rembuk_version = std::string(r.string());
  m.created_at_us = static_cast<std::int64_t>(r.u64());
  m.source = std::string(r.string());
  m.head.position = r.u64();
  const auto hash = r.bytes(32);
  if (r.ok()) std::memcpy(m.head.hash.data(), hash.data(), 32);
  m.events = r.u64();
  m.streams = r.u64();
  m.masterplans = r.u64();
  m.commands = r.u64();
  m.checkpoints = r.u64();
  const auto secrets = r.u8();
  if (!r.ok() || !r.done() || secrets > 1) return std::nullopt;
  m.with_secrets = secrets == 1;
  return m;
}

std::string encode_keys(const ArchiveKeys& k) {
  std::string out;
  put_string(out, k.audit_public_key);
  out.push_back(k.with_secrets ? 1 : 0);
  if (k.with_secrets) {
    put_string(out, k.token_secret);
    put_string(out, k.audit_key_pem);
  }
  return out;
}

std::optional<ArchiveKeys> decode_keys(std::string_view body) {
  BodyReader r(body);
  ArchiveKeys k;
  k.audit_public_key = std::string(r.string());
  const auto secrets = r.u8();
  if (secrets > 1) return std::nullopt;
  k.with_secrets = secrets == 1;
  if (k.with_secrets) {
    k.token_secret = std::string(r.string());
    k.audit_key_pem = std::string(r.string());
  }
  if (!r.ok() || !r.done()) return std::nullopt;
  return k;
}

std::string encode_end(std::uint64_t frames, std::uint64_t events) {
  std::string out;
  keys::put_u64(out, frames);
  keys::put_u64(out, events);
  return out;
}

// ---- writing ----

FrameWriter::FrameWriter(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

FrameWriter::~FrameWriter() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void FrameWriter::write_header() {
  std::string header(magic);
  keys::put_u32(header, archive_format_version);
  sha_.update(header);
  chain_ = sha_.finish();
  const ::iovec part{header.data(), header.size()};
  write_all(&part, 1);
  handed_bytes_ = header.size();
  thread_ = std::thread([this] { run(); });
}

std::string FrameWriter::spare_body() {
  std::lock_guard lock(mutex_);
  if (spare_.empty()) return {};
  std::string body = std::move(spare_.back());
  spare_.pop_back();
  body.clear();
  return body;
}

void FrameWriter::frame(FrameKind kind, std::string body) {
  const std::size_t size = frame_head_bytes + body.size() + frame_tail_bytes;
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return failure_ || queue_.size() < max_queued; });
    if (failure_) std::rethrow_exception(failure_);
    queue_.push_back(Queued{kind, std::move(body)});
  }
  changed_.notify_all();
  handed_bytes_ += size;
  ++frames_;
}

void FrameWriter::flush() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return failure_ || (queue_.empty() && !busy_); });
  if (failure_) std::rethrow_exception(failure_);
}

void FrameWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopped, with nothing left to write
    Queued q = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    std::exception_ptr failure;
    try {
      write_frame(q);
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    busy_ = false;
    if (failure) failure_ = failure;
    spare_.push_back(std::move(q.body));
    changed_.notify_all();
    if (failure_) return;
  }
}

void FrameWriter::write_frame(const Queued& q) {
  const std::string prefix = frame_prefix(q.kind, static_cast<std::uint32_t>(q.body.size()));
  sha_.update(as_view(chain_));
  sha_.update(prefix);
  const Hash check = sha_.finish();
  sha_.update(as_view(chain_));
  sha_.update(prefix);
  sha_.update(q.body);
  chain_ = sha_.finish();
  char head[frame_head_bytes];
  std::memcpy(head, prefix.data(), prefix.size());
  std::memcpy(head + prefix.size(), check.data(), frame_head_bytes - prefix.size());
  // One gathered write per frame: the body goes from the caller's string to the kernel with
  // no copy into a buffer of ours.
  const ::iovec parts[3] = {{head, sizeof head},
                            {const_cast<char*>(q.body.data()), q.body.size()},
                            {chain_.data(), chain_.size()}};
  write_all(parts, 3);
  if (offset_ - written_back_ >= writeback_bytes) {
    // Start writing what is in the page cache (not waiting), so the archive's one fsync at
    // the end finds little left; a failure here is the final sync's to report.
    ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
    written_back_ = offset_;
  }
}

void FrameWriter::write_all(const ::iovec* parts, int count) {
  std::vector<::iovec> rest(parts, parts + count);
  std::size_t first = 0;
  while (first < rest.size()) {
    const ssize_t n = ::writev(fd_, rest.data() + first, static_cast<int>(rest.size() - first));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      const bool full = e == ENOSPC || e == EDQUOT;
      throw StoreException(Error{full ? ErrorCode::storage_full : ErrorCode::io_error,
                                 "cannot write " + name_ + ": " + std::strerror(e) +
                                     (full ? " (the disk is full)" : "")});
    }
    offset_ += static_cast<std::uint64_t>(n);
    auto left = static_cast<std::size_t>(n);
    while (first < rest.size() && left >= rest[first].iov_len) {
      left -= rest[first].iov_len;
      ++first;
    }
    if (first < rest.size()) {
      rest[first].iov_base = static_cast<char*>(rest[first].iov_base) + left;
      rest[first].iov_len -= left;
    }
  }
}

// ---- reading ----

FrameReader::FrameReader(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

bool FrameReader::read_exact(std::size_t n, std::string& out) {
  out.clear();
  out.reserve(n);  // a body spans two reads: one allocation, not a grow that copies
  while (out.size() < n) {
    if (buffer_pos_ == buffer_size_) {
      if (eof_) return false;
      if (!buffer_) buffer_ = std::make_unique_for_overwrite<char[]>(read_bytes);
      buffer_pos_ = 0;
      buffer_size_ = 0;
      ssize_t got = 0;
      do {
        got = ::read(fd_, buffer_.get(), read_bytes);
      } while (got < 0 && errno == EINTR);
      if (got <= 0) {
        read_error_ = got < 0;
        eof_ = true;
        return false;
      }
      buffer_size_ = static_cast<std::size_t>(got);
    }
    const std::size_t take = std::min(n - out.size(), buffer_size_ - buffer_pos_);
    out.append(buffer_.get() + buffer_pos_, take);
    buffer_pos_ += take;
    offset_ += take;
  }
  return true;
}

bool FrameReader::at_end_of_file() {
  std::string one;
  const bool more = read_exact(1, one);
  return !more && !read_error_;
}

bool FrameReader::fail(ArchiveFault fault, std::string reason, std::uint64_t at) {
  if (read_error_) {
    fault = ArchiveFault::unreadable;
    reason = "cannot read " + name_ + ": " + std::strerror(errno);
  }
  fault_.fault = fault;
  fault_.reason = std::move(reason);
  fault_.offset = at;
  return false;
}

bool FrameReader::read_header() {
  std::string header;
  if (!read_exact(header_bytes, header)) {
    if (header.size() < magic.size() || header.compare(0, magic.size(), magic) != 0) {
      return fail(ArchiveFault::not_archive, name_ + " is not a rembuk archive (too short)", 0);
    }
    return fail(ArchiveFault::truncated, name_ + " is truncated inside its header", 0);
  }
  if (header.compare(0, magic.size(), magic) != 0) {
    return fail(ArchiveFault::not_archive,
                name_ + " is not a rembuk archive (it does not start with REMBUKBK)", 0);
  }
  const std::uint32_t format = keys::get_u32(std::string_view(header).substr(8));
  if (format > archive_format_version) {
    return fail(ArchiveFault::newer_format,
                name_ + " has archive format " + std::to_string(format) +
                    ", newer than this rembuk reads (" + std::to_string(archive_format_version) +
                    "); use a newer rembuk",
                8);
  }
  if (format == 0) {
    return fail(ArchiveFault::damaged, name_ + " has archive format 0 (its header is damaged)", 8);
  }
  sha_.update(header);
  chain_ = sha_.finish();
  return true;
}

std::optional<Frame> FrameReader::next() {
  if (fault_.fault != ArchiveFault::none) return std::nullopt;
  Frame frame;
  frame.offset = offset_;
  frame.index = frames_;
  const std::string where = "frame " + std::to_string(frames_ + 1) + " (at byte " +
                            std::to_string(frame.offset) + ")";
  std::string head;
  if (!read_exact(frame_head_bytes, head)) {
    fail(ArchiveFault::truncated,
         name_ + " is truncated: it ends at byte " + std::to_string(offset_) + ", inside " +
             where + (head.empty() ? " before its header; the end frame is missing" : ""),
         frame.offset);
    return std::nullopt;
  }
  const std::string_view prefix = std::string_view(head).substr(0, 5);
  sha_.update(as_view(chain_));
  sha_.update(prefix);
  const Hash check = sha_.finish();
  const auto kind = static_cast<std::uint8_t>(head[0]);
  const std::uint32_t length = keys::get_u32(prefix.substr(1));
  if (std::memcmp(check.data(), head.data() + 5, 4) != 0 || !known_kind(kind) ||
      length > max_frame_bytes) {
    fail(ArchiveFault::damaged,
         name_ + " is damaged: the header of " + where +
             " does not match its check (a changed byte there, or in the frame before)",
         frame.offset);
    return std::nullopt;
  }
  frame.kind = static_cast<FrameKind>(kind);
  std::string tail;
  if (!read_exact(length, frame.body) || !read_exact(frame_tail_bytes, tail)) {
    fail(ArchiveFault::truncated,
         name_ + " is truncated: it ends at byte " + std::to_string(offset_) + ", inside " +
             where + ", a " + std::string(to_string(frame.kind)) + " frame of " +
             std::to_string(length) + " bytes",
         frame.offset);
    return std::nullopt;
  }
  sha_.update(as_view(chain_));
  sha_.update(prefix);
  sha_.update(frame.body);
  const Hash chain = sha_.finish();
  if (std::memcmp(chain.data(), tail.data(), 32) != 0) {
    fail(ArchiveFault::damaged,
         name_ + " is damaged: " + where + ", a " + std::string(to_string(frame.kind)) +
             " frame, does not match its hash (a changed byte between bytes " +
             std::to_string(frame.offset) + " and " + std::to_string(offset_) + ")",
         frame.offset);
    return std::nullopt;
  }
  chain_ = chain;
  ++frames_;
  return frame;
}

}  // namespace rembuk::store::archive
