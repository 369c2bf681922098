// What `rembuk backup`, `rembuk backup verify`, `rembuk restore` and `rembuk serve
// --backup-every` share: where the log is, the keys beside it, the signed-checkpoint check
// (the audit module's), the manifest's text, and progress on a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "rembuk/store/archive.hpp"

namespace rembuk::cli {

// --data DIR (LMDB) or --store postgres://… (the default schema).
store::ArchiveStore archive_store(const std::string& data, const std::string& store);

// The audit public key from DATA/audit-key (empty when there is none) and, with
// `with_secrets`, DATA/secret and DATA/audit-key as stored. Fails with why.
Result<store::ArchiveKeys, std::string> read_archive_keys(const std::string& data,
                                                          bool with_secrets);

// Checks a signed checkpoint's payload, key id and Ed25519 signature.
store::CheckpointCheck checkpoint_check();

// The manifest as `key: value` lines.
std::string manifest_text(const store::ArchiveManifest& manifest, const store::ArchiveKeys& keys);

// Writes the secrets of a restored archive into DATA (mode 0600); an existing file that
// differs is kept and named in the returned warnings.
std::string write_restored_secrets(const std::string& data, const store::ArchiveKeys& keys);

// "events, MB, rate, time left" on one line of stderr, rewritten at most 5 times a second,
// only when stderr is a terminal. done() shows the last progress reported if the line does
// not show it yet, so the line ends with the final counts (also for a run shorter than one
// interval).
// Thread safety: the callback may run on another thread, done() after that thread ended.
class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  ~ProgressLine();
  store::ArchiveProgressFn callback();
  void done();

 private:
  void show(const store::ArchiveProgress& p, bool force);
  std::string label_;
  bool enabled_;
  bool shown_ = false;
  std::optional<store::ArchiveProgress> unshown_;  // the last one, held back by the interval
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace rembuk::cli
