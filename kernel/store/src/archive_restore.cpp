// restore_archive(): one walk of the archive proves it while a second thread loads what it
// proved into the target store (load_pipeline.hpp); the store publishes only once the walk
// returned ok and `until` fell between two appends.
#include <sys/stat.h>

#include <exception>
#include <filesystem>
#include <thread>

#include "archive_guard.hpp"
#include "archive_loader.hpp"
#include "archive_walk.hpp"
#include "load_pipeline.hpp"
#include "store_errors.hpp"

namespace rembuk::store::archive {
namespace {

// The one pass: proves the archive (the walk) while the pipeline's thread loads what was
// proven; checks `until` against the manifest's head and against the appends as they come.
class RestoreSink final : public ArchiveSink {
 public:
  RestoreSink(LoadPipeline& pipeline, Position until) : pipeline_(pipeline), until_(until) {}

  void manifest(const ArchiveManifest& m) override {
    if (until_ > m.head.position) {
      refusal_ = "--until " + std::to_string(until_) + " is past the archive's head (" +
                 std::to_string(m.head.position) + ")";
      stop();
    }
  }
  void event(const RecordedEvent& e, std::string_view record) override {
    if (until_ > 0 && e.position > until_) return;
    pipeline_.push_event(e, record);
    head_ = Head{e.position, e.hash};
  }
  void command(std::string_view id, const AppendResult& r) override {
    if (until_ > 0 && r.first_position <= until_ && r.last_position > until_) {
      refusal_ = "--until: position " + std::to_string(until_) +
                 " is inside the append of command '" + std::string(id) + "' (positions " +
                 std::to_string(r.first_position) + ".." + std::to_string(r.last_position) +
                 "); use " + std::to_string(r.first_position - 1) + " or " +
                 std::to_string(r.last_position);
      stop();
    }
    if (until_ > 0 && r.first_position > until_) return;
    pipeline_.push_command(id, r);
  }
  void events_frame_done() override { pipeline_.push_checkpoint(); }

  const Head& head() const { return head_; }
  // Why `until` does not fit the archive (empty: it fits).
  const std::string& refusal() const { return refusal_; }

 private:
  [[noreturn]] static void stop() {
    throw StoreException(Error{ErrorCode::invalid_argument, "until"});
  }

  LoadPipeline& pipeline_;
  Position until_;
  Head head_;
  std::string refusal_;
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
  struct stat st {};
  const std::uint64_t size = ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  std::error_code ec;
  const bool folder_was_there = to.postgres || std::filesystem::exists(to.lmdb_path, ec);
  auto restored = guard_postgres<RestoreResult>([&]() -> StoreResult<RestoreResult> {
    // The loader refuses a target holding events before anything is read.
    auto loader = to.postgres ? open_postgres_loader(*to.postgres)
                              : open_lmdb_loader(to.lmdb_path, size);
    LoadPipeline pipeline;
    RestoreSink sink(pipeline, options.until);
    RestoreResult result;
    std::exception_ptr walk_failure;
    // The walk on a thread of its own; the loader stays on this one (load_pipeline.hpp).
    std::thread walker([&] {
      try {
        result.report = walk_archive(path, verify, &sink);
      } catch (...) {
        walk_failure = std::current_exception();
      }
      pipeline.close();
    });
    try {
      pipeline.drain(*loader);
    } catch (...) {
      walker.join();  // stop() made its next push throw
      throw;
    }
    walker.join();
    if (walk_failure) {
      try {
        std::rethrow_exception(walk_failure);
      } catch (const std::bad_alloc&) {
        return fail(Error{ErrorCode::io_error, "out of memory reading " + path});
      } catch (const StoreException&) {
        if (!sink.refusal().empty()) return refused(sink.refusal());
        throw;
      }
    }
    if (!result.report.ok()) {
      return refused("the archive is " + std::string(to_string(result.report.fault)) + ": " +
                     result.report.reason);
    }
    loader->finish(sink.head());
    result.restored = sink.head();
    result.events = sink.head().position;
    return result;
  });
  // A refused restore leaves no trace: not even the folder it was to create.
  if (!restored && !folder_was_there) std::filesystem::remove(to.lmdb_path, ec);
  return restored;
}

}  // namespace rembuk::store
