// restore_archive(): walk the archive once to verify it (and that `until` falls between two
// appends), then once more into the loader of the target store.
#include <sys/stat.h>

#include "archive_guard.hpp"
#include "archive_loader.hpp"
#include "archive_walk.hpp"

namespace rembuk::store::archive {
namespace {

// Pass one: where the appends named by command ids begin and end around `until`.
class UntilProbe final : public ArchiveSink {
 public:
  explicit UntilProbe(Position until) : until_(until) {}
  void event(const RecordedEvent& e, std::string_view) override {
    if (e.position == until_) until_hash_ = e.hash;
  }
  void command(std::string_view id, const AppendResult& r) override {
    if (until_ > 0 && r.first_position <= until_ && r.last_position > until_ && !split_) {
      split_ = "position " + std::to_string(until_) + " is inside the append of command '" +
               std::string(id) + "' (positions " + std::to_string(r.first_position) + ".." +
               std::to_string(r.last_position) + "); use " +
               std::to_string(r.first_position - 1) + " or " + std::to_string(r.last_position);
    }
  }
  const std::optional<std::string>& split() const { return split_; }
  const Hash& until_hash() const { return until_hash_; }

 private:
  Position until_;
  Hash until_hash_{};
  std::optional<std::string> split_;
};

// Pass two: everything up to `until` into the loader.
class LoadSink final : public ArchiveSink {
 public:
  LoadSink(LogLoader& loader, Position until) : loader_(loader), until_(until) {}
  void event(const RecordedEvent& e, std::string_view record) override {
    if (until_ > 0 && e.position > until_) return;
    loader_.event(e, record);
    head_ = Head{e.position, e.hash};
  }
  void command(std::string_view id, const AppendResult& r) override {
    if (until_ > 0 && r.first_position > until_) return;
    loader_.command(id, r);
  }
  void events_frame_done() override { loader_.checkpoint(); }
  const Head& head() const { return head_; }

 private:
  LogLoader& loader_;
  Position until_;
  Head head_;
};

Failure<Error> refused(std::string message) {
  return fail(Error{ErrorCode::invalid_argument, std::move(message)});
}

}  // namespace
}  // namespace rembuk::store::archive

namespace rembuk::store {

StoreResult<RestoreResult> restore_archive(const std::string& path, const ArchiveStore& to,
                                           const RestoreOptions& options) {
  using namespace archive;
  VerifyArchiveOptions verify;
  verify.check_checkpoint = options.check_checkpoint;
  verify.progress = options.progress;
  RestoreResult result;
  UntilProbe probe(options.until);
  try {
    result.report = walk_archive(path, verify, &probe);
  } catch (const std::bad_alloc&) {
    return fail(Error{ErrorCode::io_error, "out of memory reading " + path});
  }
  if (!result.report.ok()) {
    return refused("the archive is " + std::string(to_string(result.report.fault)) + ": " +
                   result.report.reason);
  }
  const Position head = result.report.manifest->head.position;
  if (options.until > head) {
    return refused("--until " + std::to_string(options.until) + " is past the archive's head (" +
                   std::to_string(head) + ")");
  }
  if (probe.split()) return refused("--until: " + *probe.split());

  struct stat st {};
  const std::uint64_t size = ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  return guard_postgres<RestoreResult>([&]() -> StoreResult<RestoreResult> {
    auto loader = to.postgres ? open_postgres_loader(*to.postgres)
                              : open_lmdb_loader(to.lmdb_path, size);
    LoadSink sink(*loader, options.until);
    VerifyArchiveOptions again;
    again.check_checkpoint = options.check_checkpoint;
    const ArchiveReport second = walk_archive(path, again, &sink);
    if (!second.ok()) {
      return refused("the archive changed while it was restored: " + second.reason);
    }
    loader->finish(sink.head());
    result.restored = sink.head();
    result.events = sink.head().position;
    return std::move(result);
  });
}

}  // namespace rembuk::store
