// ArchiveWalk: reads a whole archive once, proving everything it can without the log
// (archive_codec.cpp's frames, then the log inside them), and hands the proven contents to a
// sink. verify_archive() walks with no sink; restore_archive() walks once, with a sink that
// hands what was proven to the loader on another thread (load_pipeline.hpp).
//
// Thread safety: one walk per thread.
#pragma once

#include <string>
#include <string_view>

#include "rembuk/store/archive.hpp"

namespace rembuk::store::archive {

// Receives the contents in file order. An entry is handed over only after its frame was
// proven by its hash and the entry by the log's rules up to it; a problem found later in the
// file still ends the walk with a fault, so a sink that writes must not publish before the
// walk returned ok. A sink may throw StoreException to stop the walk (it propagates).
class ArchiveSink {
 public:
  virtual ~ArchiveSink() = default;
  virtual void manifest(const ArchiveManifest&) {}
  // `record` is the stored record's bytes, `event` its decoded fields.
  virtual void event(const RecordedEvent& event, std::string_view record) = 0;
  // A command-id index entry; it comes right before the first event of its append.
  virtual void command(std::string_view command_id, const AppendResult& range) = 0;
  // After each events frame: a point where a loader may commit.
  virtual void events_frame_done() {}
};

ArchiveReport walk_archive(const std::string& path, const VerifyArchiveOptions& options,
                           ArchiveSink* sink);

}  // namespace rembuk::store::archive
