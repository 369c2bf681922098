// write_archive(): a snapshot of the log streamed into frames (archive_codec.cpp) in a
// temporary file beside the archive, which becomes the archive only once complete and synced.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "archive_codec.hpp"
#include "archive_source.hpp"
#include "keys.hpp"
#include "archive_guard.hpp"
#include "record_codec.hpp"
#include "store_errors.hpp"

namespace rembuk::store::archive {
namespace {

namespace fs = std::filesystem;

// The few fields of a stored record the writer needs, without copying the payload.
struct RecordHead {
  Position position = 0;
  Revision revision = 0;
  std::string_view command_id;
};
std::optional<RecordHead> peek(std::string_view record) {
  BodyReader r(record);
  RecordHead h;
  if (r.u8() != record::record_format) return std::nullopt;
  h.position = r.u64();
  r.string();  // stream
  h.revision = r.u64();
  r.string();  // type
  r.u32();     // schema version
  r.u64();     // time
  r.string();  // actor
  h.command_id = r.string();
  if (!r.ok()) return std::nullopt;
  return h;
}

// The temporary file: removed unless released.
class PartialFile {
 public:
  explicit PartialFile(const std::string& out_path) {
    path_ = out_path + ".partial-" + std::to_string(::getpid());
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      const int e = errno;
      throw StoreException(Error{e == ENOSPC ? ErrorCode::storage_full : ErrorCode::io_error,
                                 "cannot create " + path_ + ": " + std::strerror(e)});
    }
    ::fchmod(fd_, 0600);  // whatever the umask; an archive may hold secrets
  }
  ~PartialFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

  // fsync, close, rename over `out_path`, sync the folder.
  void publish(const std::string& out_path) {
    if (::fsync(fd_) != 0) fail_io("cannot sync " + path_);
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) fail_io("cannot close " + path_);
    if (::rename(path_.c_str(), out_path.c_str()) != 0) fail_io("cannot rename to " + out_path);
    path_.clear();
    const auto folder = fs::path(out_path).parent_path();
    const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }

 private:
  [[noreturn]] static void fail_io(const std::string& what) {
    const int e = errno;
    const bool full = e == ENOSPC || e == EDQUOT;
    throw StoreException(Error{full ? ErrorCode::storage_full : ErrorCode::io_error,
                               what + ": " + std::strerror(e) + (full ? " (the disk is full)" : "")});
  }
  std::string path_;
  int fd_ = -1;
};

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ArchiveManifest write_frames(ArchiveSource& source, FrameWriter& out, const BackupOptions& options) {
  ArchiveManifest m;
  m.rembuk_version = options.rembuk_version;
  m.created_at_us = now_us();
  m.source = std::string(source.kind());
  m.head = source.head();
  m.events = m.head.position;
  const auto streams = source.streams();
  m.streams = streams.size();
  for (const auto& s : streams) {
    if (!is_system_stream(s.stream)) ++m.masterplans;
    if (std::string_view(s.stream).starts_with(archive_checkpoint_stream_prefix)) {
      m.checkpoints += s.revision;  // a checkpoint stream holds only signed checkpoints
    }
  }
  m.commands = source.command_count();
  m.with_secrets = options.keys.with_secrets;

  out.write_header();
  out.frame(FrameKind::manifest, encode_manifest(m));
  out.frame(FrameKind::keys, encode_keys(options.keys));

  std::string body = out.spare_body();
  body.reserve(target_frame_bytes + (1u << 16));
  Position expected = 1;
  std::uint64_t commands = 0;
  auto flush_events = [&] {
    if (body.empty()) return;
    out.frame(FrameKind::events, std::move(body));
    body = out.spare_body();
    if (options.progress) {
      options.progress(ArchiveProgress{expected - 1, m.events, out.bytes_written()});
    }
  };
  Position open_until = 0;  // the last position of the append being written
  source.each_record([&](std::string_view record) {
    const auto head = peek(record);
    if (!head || head->position != expected) {
      throw_corrupt("the log's event at position " + std::to_string(expected) +
                    " does not decode; run rembuk verify");
    }
    if (!head->command_id.empty() && head->position > open_until) {
      const auto range = source.command(head->command_id, head->position);
      if (!range || range->first_position != head->position) {
        throw_corrupt("the command-id index has no entry for the append at position " +
                      std::to_string(head->position) + "; run rembuk verify");
      }
      body.push_back(entry_command);
      put_string(body, head->command_id);
      keys::put_u64(body, range->first_position);
      keys::put_u64(body, range->last_position);
      keys::put_u64(body, range->first_revision);
      keys::put_u64(body, range->last_revision);
      open_until = range->last_position;
      ++commands;
    }
    body.push_back(entry_event);
    put_string(body, record);
    ++expected;
    if (body.size() >= target_frame_bytes) flush_events();
  });
  flush_events();
  if (expected - 1 != m.head.position) {
    throw_corrupt("the snapshot holds " + std::to_string(expected - 1) +
                  " events where its head says " + std::to_string(m.head.position));
  }
  if (commands != m.commands) {
    throw_corrupt("the command-id index holds " + std::to_string(m.commands) +
                  " entries but the events name " + std::to_string(commands) +
                  "; run rembuk verify");
  }
  for (const auto& s : streams) {
    put_string(body, s.stream);
    keys::put_u64(body, s.revision);
    keys::put_u64(body, s.last_position);
    if (body.size() >= target_frame_bytes) {
      out.frame(FrameKind::heads, std::move(body));
      body = out.spare_body();
    }
  }
  if (!body.empty()) out.frame(FrameKind::heads, std::move(body));
  out.frame(FrameKind::end, encode_end(out.frames(), m.events));
  out.flush();
  return m;
}

}  // namespace
}  // namespace rembuk::store::archive

namespace rembuk::store {

StoreResult<ArchiveManifest> write_archive(const ArchiveStore& from, const std::string& out_path,
                                           const BackupOptions& options) {
  if (out_path.empty()) return fail(Error{ErrorCode::invalid_argument, "no archive path given"});
  return archive::guard_postgres<ArchiveManifest>([&]() -> StoreResult<ArchiveManifest> {
    // The file first: a full disk or an unwritable folder is found before the log is opened.
    archive::PartialFile file(out_path);
    auto source = from.postgres ? archive::open_postgres_source(*from.postgres)
                                : archive::open_lmdb_source(from.lmdb_path);
    archive::FrameWriter writer(file.fd(), file.path());
    auto manifest = archive::write_frames(*source, writer, options);
    source.reset();  // ends the snapshot before the slow sync
    file.publish(out_path);
    return manifest;
  });
}

StoreResult<ArchiveManifest> write_archive(EventLog& log, const std::string& out_path,
                                           const BackupOptions& options) {
  if (out_path.empty()) return fail(Error{ErrorCode::invalid_argument, "no archive path given"});
  LogEnvironment* env = archive::lmdb_environment_of(log);
  if (env == nullptr) {
    return fail(Error{ErrorCode::invalid_argument,
                      "an open log can be backed up only when it is an LMDB log"});
  }
  return archive::guard_postgres<ArchiveManifest>([&]() -> StoreResult<ArchiveManifest> {
    archive::PartialFile file(out_path);
    auto source = archive::open_lmdb_source(*env);
    archive::FrameWriter writer(file.fd(), file.path());
    auto manifest = archive::write_frames(*source, writer, options);
    source.reset();
    file.publish(out_path);
    return manifest;
  });
}

}  // namespace rembuk::store
