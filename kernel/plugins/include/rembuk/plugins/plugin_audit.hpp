// Which plugin build decided each event of a masterplan: what `rembuk plugin audit` prints.
//
// Two sources, read side by side:
//   - recorded: the masterplan's own log. PluginEnabled{name, version, sha256} records the
//     build in effect when the plugin was enabled; PluginDisabled ends it. Hash-chained,
//     but it does not change when the server later loads another build of the same plugin.
//   - served: the plugin journal `<data>/plugins-journal.jsonl`, one JSON line appended by
//     `rembuk serve` (HangupReload) at start, after every reload and at stop:
//       {"timeUs", "pid", "generation", "reason": "start"|"reload"|"stop",
//        "plugins": [{"name","version","sha256"}]}
//     An event is attributed to the last entry written before its commit time. Not
//     hash-chained; and a command decided just before a reload's swap but committed just
//     after is attributed to the new build (the window is the commit latency, milliseconds).
// An event whose served build differs from the recorded one was decided after a hot reload
// (or a restart with a new file) that the masterplan's log does not mention.
//
// Thread safety: plain functions over values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rembuk/model/extensions.hpp"

namespace rembuk::plugins {

struct LoggedEvent {
  std::uint64_t revision = 0;
  std::string type;
  std::int64_t time_us = 0;  // commit time
  std::string payload;       // JSON
};

struct JournalEntry {
  std::int64_t time_us = 0;
  std::int64_t pid = 0;
  std::uint64_t generation = 0;
  std::string reason;
  std::vector<model::PluginIdentity> plugins;
};

struct EventAudit {
  std::uint64_t revision = 0;
  std::string type;
  std::int64_t time_us = 0;
  // The plugins enabled before this event, as its log records them.
  std::vector<model::PluginIdentity> recorded;
  // For each of `recorded`, the build the serving process had loaded; nullopt when no
  // journal entry covers the event (decided by `rembuk import`, or before journals existed)
  // or the server had no such plugin.
  std::vector<std::optional<model::PluginIdentity>> served;
};

std::filesystem::path plugin_journal_file(const std::filesystem::path& data_dir);
// Appends one entry (one write of one line). Errors are ignored by design: the journal is an
// aid to auditors, never a reason to stop serving. Returns false when the write failed.
bool append_plugin_journal(const std::filesystem::path& data_dir, const JournalEntry& entry);
// Reads the journal; a missing file is an empty journal, unreadable lines are skipped.
std::vector<JournalEntry> read_plugin_journal(const std::filesystem::path& data_dir);

// The plugins enabled after the last of `events`, as the log records them.
std::vector<model::PluginIdentity> enabled_after(const std::vector<LoggedEvent>& events);

// REQUIRES: `events` in revision order, `journal` in file order.
std::vector<EventAudit> audit_events(const std::vector<LoggedEvent>& events,
                                     const std::vector<JournalEntry>& journal);

}  // namespace rembuk::plugins
