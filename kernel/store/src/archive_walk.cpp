// The checks of `rembuk backup verify`, in file order (docs/backup-format.md, "Verify"):
// frames (header check, running hash, order, nothing after `end`), then the log inside them
// as EventLog::verify() checks a store: dense positions, each record's hash and link, each
// stream's revisions, the command-id entries against the events they cover, each signed
// checkpoint's signature, the heads against the streams' last events, and the manifest's
// and the end frame's counts against what was read.
#include "archive_walk.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

#include "archive_codec.hpp"
#include "keys.hpp"
#include "record_codec.hpp"

namespace rembuk::store::archive {
namespace {

struct OpenCommand {
  std::string id;
  AppendResult range;
};

class Walk {
 public:
  // `file_bytes`: the archive's size (bounds what a manifest can make the walk reserve).
  Walk(const VerifyArchiveOptions& options, ArchiveSink* sink, ArchiveReport& report,
       std::uint64_t file_bytes)
      : options_(options), sink_(sink), report_(report), file_bytes_(file_bytes) {}

  // Each returns false with the report filled at the first problem.
  bool manifest(const Frame& frame);
  bool keys(const Frame& frame);
  bool events(const Frame& frame);
  bool heads(const Frame& frame);
  bool end(const Frame& frame, std::uint64_t frames_before);

  std::uint64_t events_seen() const { return position_; }

 private:
  bool fail(const Frame& frame, Position at, std::string reason) {
    report_.fault = ArchiveFault::inconsistent;
    report_.offset = frame.offset;
    report_.bad_position = at;
    report_.reason = "frame " + std::to_string(frame.index + 1) + " (a " +
                     std::string(to_string(frame.kind)) + " frame at byte " +
                     std::to_string(frame.offset) + "): " +
                     (at > 0 ? "position " + std::to_string(at) + ": " : std::string()) +
                     std::move(reason);
    return false;
  }
  bool event(const Frame& frame, std::string_view record);
  bool command(const Frame& frame, BodyReader& r);

  const VerifyArchiveOptions& options_;
  ArchiveSink* sink_;
  ArchiveReport& report_;
  std::uint64_t file_bytes_;
  ArchiveManifest manifest_;

  Position position_ = 0;
  Hash prev_{};
  std::map<std::string, keys::HeadValue, std::less<>> streams_;
  std::optional<OpenCommand> open_;  // the command whose append the walk is inside
  Position command_next_ = 0;        // the position its next event must have
  std::uint64_t commands_ = 0;
  std::uint64_t checkpoints_ = 0;
  std::vector<Hash> hashes_;  // every event's hash, when checkpoints are checked
  std::uint64_t heads_ = 0;
  std::string last_head_;
  bool any_head_ = false;
};

bool Walk::manifest(const Frame& frame) {
  auto m = decode_manifest(frame.body);
  if (!m) return fail(frame, 0, "the manifest does not decode");
  if (m->format != archive_format_version) {
    return fail(frame, 0, "the manifest says format " + std::to_string(m->format) +
                              " where the header says " + std::to_string(archive_format_version));
  }
  if (m->events != m->head.position) {
    return fail(frame, 0, "the manifest counts " + std::to_string(m->events) +
                              " events up to head position " + std::to_string(m->head.position));
  }
  manifest_ = *m;
  report_.manifest = *m;
  // Reserved at once rather than grown by copying (32 MB per million events). Each event takes
  // at least a record's fixed bytes of the file, so a lying manifest gains nothing here.
  if (options_.check_checkpoint) {
    hashes_.reserve(std::min<std::uint64_t>(m->events, file_bytes_ / record::fixed_bytes));
  }
  if (sink_ != nullptr) sink_->manifest(*m);
  return true;
}

bool Walk::keys(const Frame& frame) {
  auto k = decode_keys(frame.body);
  if (!k) return fail(frame, 0, "the keys frame does not decode");
  if (k->with_secrets != manifest_.with_secrets) {
    return fail(frame, 0, "the keys frame and the manifest disagree on whether secrets are in");
  }
  if (!k->audit_public_key.empty() && k->audit_public_key.size() != 32) {
    return fail(frame, 0, "the audit public key is not 32 bytes");
  }
  report_.keys = std::move(*k);
  return true;
}

bool Walk::command(const Frame& frame, BodyReader& r) {
  OpenCommand c;
  c.id = std::string(r.string());
  c.range.first_position = r.u64();
  c.range.last_position = r.u64();
  c.range.first_revision = r.u64();
  c.range.last_revision = r.u64();
  if (!r.ok()) return fail(frame, position_ + 1, "a command-id entry is cut short");
  const Position next = position_ + 1;
  if (open_) {
    return fail(frame, next, "the command-id entry '" + c.id + "' starts inside the append of '" +
                                 open_->id + "'");
  }
  if (c.id.empty() || c.id.size() > max_command_id_bytes) {
    return fail(frame, next, "a command-id entry has an id of " + std::to_string(c.id.size()) +
                                 " bytes");
  }
  if (c.range.first_position != next || c.range.last_position < c.range.first_position ||
      c.range.last_revision - c.range.first_revision !=
          c.range.last_position - c.range.first_position) {
    return fail(frame, next, "the command-id entry '" + c.id + "' does not span the append that " +
                                 "follows it");
  }
  ++commands_;
  if (sink_ != nullptr) sink_->command(c.id, c.range);
  open_ = std::move(c);
  command_next_ = next;
  return true;
}

bool Walk::event(const Frame& frame, std::string_view record) {
  const Position p = position_ + 1;
  auto e = record::decode(record);
  if (!e) return fail(frame, p, "the record does not decode");
  if (e->position != p) {
    return fail(frame, p, "the record says position " + std::to_string(e->position) +
                              " (positions must be dense)");
  }
  if (e->prev_hash != prev_) {
    return fail(frame, p, "prev_hash does not match the hash of the previous event");
  }
  if (record::compute_hash(prev_, record::canonical_part(record)) != e->hash) {
    return fail(frame, p, "the hash does not match the record's bytes");
  }
  auto [it, inserted] = streams_.try_emplace(e->stream, keys::HeadValue{0, 0});
  if (e->revision != it->second.revision + 1) {
    return fail(frame, p, "stream '" + e->stream + "' jumps from revision " +
                              std::to_string(it->second.revision) + " to " +
                              std::to_string(e->revision));
  }
  if (open_) {
    if (e->command_id != open_->id || p != command_next_ ||
        e->revision - open_->range.first_revision != p - open_->range.first_position) {
      return fail(frame, p, "the event is not part of the append of command '" + open_->id +
                                "' that the command-id index says covers it");
    }
    ++command_next_;
    if (p == open_->range.last_position) open_.reset();
  } else if (!e->command_id.empty()) {
    return fail(frame, p, "the command-id index has no entry covering this event (command '" +
                              e->command_id + "')");
  }
  if (e->type == archive_checkpoint_type &&
      std::string_view(e->stream).starts_with(archive_checkpoint_stream_prefix)) {
    ++checkpoints_;
    if (options_.check_checkpoint) {
      const HashAt hash_at = [this](Position at) -> std::optional<Hash> {
        if (at == 0 || at > hashes_.size()) return std::nullopt;
        return hashes_[at - 1];
      };
      if (auto why = options_.check_checkpoint(*e, report_.keys.audit_public_key, hash_at)) {
        return fail(frame, p, "the signed checkpoint does not verify: " + *why);
      }
    }
  }
  it->second = keys::HeadValue{e->revision, p};
  if (options_.check_checkpoint) hashes_.push_back(e->hash);
  prev_ = e->hash;
  position_ = p;
  report_.events_checked = p;
  if (sink_ != nullptr) sink_->event(*e, record);
  return true;
}

bool Walk::events(const Frame& frame) {
  BodyReader r(frame.body);
  while (!r.done()) {
    const auto tag = static_cast<char>(r.u8());
    if (tag == entry_event) {
      const auto record = r.string();
      if (!r.ok()) return fail(frame, position_ + 1, "an event entry is cut short");
      if (!event(frame, record)) return false;
    } else if (tag == entry_command) {
      if (!command(frame, r)) return false;
    } else {
      return fail(frame, position_ + 1, "an entry has the unknown tag " +
                                            std::to_string(static_cast<unsigned char>(tag)));
    }
  }
  if (sink_ != nullptr) sink_->events_frame_done();
  if (options_.progress) {
    options_.progress(ArchiveProgress{position_, manifest_.events, frame.offset + frame.body.size()});
  }
  return true;
}

bool Walk::heads(const Frame& frame) {
  if (open_) {
    return fail(frame, command_next_, "the events end inside the append of command '" +
                                          open_->id + "'");
  }
  BodyReader r(frame.body);
  while (!r.done()) {
    const std::string_view stream = r.string();
    const Revision revision = r.u64();
    const Position last = r.u64();
    if (!r.ok()) return fail(frame, 0, "a heads entry is cut short");
    if (any_head_ && stream <= std::string_view(last_head_)) {
      return fail(frame, 0, "the heads entry of stream '" + std::string(stream) +
                                "' is out of order or repeated");
    }
    any_head_ = true;
    last_head_ = std::string(stream);
    const auto it = streams_.find(stream);
    if (it == streams_.end() || it->second.revision != revision ||
        it->second.position != last) {
      return fail(frame, 0, "the heads entry of stream '" + std::string(stream) +
                                "' does not match its events");
    }
    ++heads_;
  }
  return true;
}

bool Walk::end(const Frame& frame, std::uint64_t frames_before) {
  BodyReader r(frame.body);
  const std::uint64_t frames = r.u64();
  const std::uint64_t events = r.u64();
  if (!r.ok() || !r.done()) return fail(frame, 0, "the end frame does not decode");
  if (open_) {
    return fail(frame, command_next_, "the events end inside the append of command '" +
                                          open_->id + "'");
  }
  if (frames != frames_before || events != position_) {
    return fail(frame, 0, "the end frame counts " + std::to_string(frames) + " frames and " +
                              std::to_string(events) + " events where the archive holds " +
                              std::to_string(frames_before) + " and " +
                              std::to_string(position_));
  }
  if (heads_ != streams_.size()) return fail(frame, 0, "a stream with events has no heads entry");
  const auto counted = [&](std::string_view what, std::uint64_t says, std::uint64_t found) {
    if (says == found) return true;
    return fail(frame, 0, "the manifest counts " + std::to_string(says) + " " +
                              std::string(what) + " where the archive holds " +
                              std::to_string(found));
  };
  std::uint64_t masterplans = 0;
  for (const auto& [name, head] : streams_) masterplans += is_system_stream(name) ? 0 : 1;
  if (!counted("events", manifest_.events, position_) ||
      !counted("streams", manifest_.streams, streams_.size()) ||
      !counted("masterplans", manifest_.masterplans, masterplans) ||
      !counted("command ids", manifest_.commands, commands_) ||
      !counted("signed checkpoints", manifest_.checkpoints, checkpoints_)) {
    return false;
  }
  if (manifest_.head.hash != prev_) {
    return fail(frame, manifest_.head.position,
                "the manifest's head hash is not the hash of the last event");
  }
  return true;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

ArchiveReport walk_archive(const std::string& path, const VerifyArchiveOptions& options,
                           ArchiveSink* sink) {
  ArchiveReport report;
  Fd file;
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) {
    report.fault = ArchiveFault::unreadable;
    report.reason = "cannot open " + path + ": " + std::strerror(errno);
    return report;
  }
  ::posix_fadvise(file.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  struct stat st {};
  const std::uint64_t file_bytes =
      ::fstat(file.fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  FrameReader reader(file.fd, path);
  const auto fault = [&](ArchiveReport r) {
    r.manifest = report.manifest;
    r.keys = std::move(report.keys);
    r.events_checked = report.events_checked;
    return r;
  };
  if (!reader.read_header()) return fault(reader.fault());
  Walk walk(options, sink, report, file_bytes);
  // The frames' order: manifest, keys, events*, heads*, end.
  enum class Stage { manifest, keys, events, heads, done } stage = Stage::manifest;
  while (stage != Stage::done) {
    auto frame = reader.next();
    if (!frame) return fault(reader.fault());
    const auto out_of_order = [&] {
      report.fault = ArchiveFault::inconsistent;
      report.offset = frame->offset;
      report.reason = "frame " + std::to_string(frame->index + 1) + " (at byte " +
                      std::to_string(frame->offset) + ") is a " +
                      std::string(to_string(frame->kind)) + " frame out of its place";
      return report;
    };
    bool ok = true;
    switch (frame->kind) {
      case FrameKind::manifest:
        if (stage != Stage::manifest) return out_of_order();
        ok = walk.manifest(*frame);
        stage = Stage::keys;
        break;
      case FrameKind::keys:
        if (stage != Stage::keys) return out_of_order();
        ok = walk.keys(*frame);
        stage = Stage::events;
        break;
      case FrameKind::events:
        if (stage != Stage::events) return out_of_order();
        ok = walk.events(*frame);
        break;
      case FrameKind::heads:
        if (stage != Stage::events && stage != Stage::heads) return out_of_order();
        stage = Stage::heads;
        ok = walk.heads(*frame);
        break;
      case FrameKind::end:
        if (stage != Stage::events && stage != Stage::heads) return out_of_order();
        ok = walk.end(*frame, frame->index);
        stage = Stage::done;
        break;
    }
    if (!ok) return report;
  }
  if (!reader.at_end_of_file()) {
    report.fault = ArchiveFault::damaged;
    report.offset = reader.bytes_read();
    report.reason = path + " has bytes after its end frame (from byte " +
                    std::to_string(reader.bytes_read() - 1) + ")";
    return report;
  }
  if (options.progress) {
    options.progress(ArchiveProgress{walk.events_seen(), walk.events_seen(), reader.bytes_read()});
  }
  return report;
}

}  // namespace rembuk::store::archive

namespace rembuk::store {

std::string_view to_string(ArchiveFault fault) {
  switch (fault) {
    case ArchiveFault::none: return "sound";
    case ArchiveFault::unreadable: return "unreadable";
    case ArchiveFault::not_archive: return "not an archive";
    case ArchiveFault::newer_format: return "newer format";
    case ArchiveFault::truncated: return "truncated";
    case ArchiveFault::damaged: return "damaged";
    case ArchiveFault::inconsistent: return "inconsistent";
  }
  return "unknown";
}

ArchiveReport verify_archive(const std::string& path, const VerifyArchiveOptions& options) {
  try {
    return archive::walk_archive(path, options, nullptr);
  } catch (const std::bad_alloc&) {
    ArchiveReport report;
    report.fault = ArchiveFault::unreadable;
    report.reason = "out of memory reading " + path;
    return report;
  }
}

}  // namespace rembuk::store
