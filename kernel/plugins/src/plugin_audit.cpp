#include "rembuk/plugins/plugin_audit.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace rembuk::plugins {

namespace json = boost::json;

namespace {

std::string text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t integer(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return 0;
}

// Follows PluginEnabled / PluginDisabled: the plugins in effect after `e`.
void apply(std::vector<model::PluginIdentity>& enabled, const LoggedEvent& e) {
  if (e.type != "PluginEnabled" && e.type != "PluginDisabled") return;
  boost::system::error_code ec;
  const auto payload = json::parse(e.payload, ec);
  if (ec || !payload.is_object()) return;
  const auto& o = payload.as_object();
  const std::string name = text(o, "name");
  std::erase_if(enabled, [&](const auto& p) { return p.name == name; });
  if (e.type == "PluginEnabled") enabled.push_back({name, text(o, "version"), text(o, "sha256")});
}

}  // namespace

std::filesystem::path plugin_journal_file(const std::filesystem::path& data_dir) {
  return data_dir / "plugins-journal.jsonl";
}

bool append_plugin_journal(const std::filesystem::path& data_dir, const JournalEntry& entry) {
  json::array plugins;
  for (const auto& p : entry.plugins) {
    plugins.push_back(json::object{{"name", p.name}, {"version", p.version}, {"sha256", p.sha256}});
  }
  const std::string line =
      json::serialize(json::object{{"timeUs", entry.time_us},
                                   {"pid", entry.pid},
                                   {"generation", entry.generation},
                                   {"reason", entry.reason},
                                   {"plugins", std::move(plugins)}}) +
      "\n";
  const int fd = ::open(plugin_journal_file(data_dir).c_str(),
                        O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  return ok;
}

std::vector<JournalEntry> read_plugin_journal(const std::filesystem::path& data_dir) {
  std::vector<JournalEntry> journal;
  std::ifstream in(plugin_journal_file(data_dir));
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    const auto value = json::parse(line, ec);
    if (ec || !value.is_object()) continue;
    const auto& o = value.as_object();
    JournalEntry entry;
    entry.time_us = integer(o, "timeUs");
    entry.pid = integer(o, "pid");
    entry.generation = static_cast<std::uint64_t>(integer(o, "generation"));
    entry.reason = text(o, "reason");
    if (const auto* list = o.if_contains("plugins"); list != nullptr && list->is_array()) {
      for (const auto& item : list->as_array()) {
        if (!item.is_object()) continue;
        const auto& p = item.as_object();
        entry.plugins.push_back({text(p, "name"), text(p, "version"), text(p, "sha256")});
      }
    }
    journal.push_back(std::move(entry));
  }
  return journal;
}

std::vector<EventAudit> audit_events(const std::vector<LoggedEvent>& events,
                                     const std::vector<JournalEntry>& journal) {
  std::vector<EventAudit> out;
  std::vector<model::PluginIdentity> enabled;
  std::size_t next_entry = 0;
  const JournalEntry* serving = nullptr;
  for (const auto& e : events) {
    while (next_entry < journal.size() && journal[next_entry].time_us <= e.time_us) {
      serving = &journal[next_entry++];
    }
    EventAudit audit{e.revision, e.type, e.time_us, enabled, {}};
    for (const auto& recorded : enabled) {
      std::optional<model::PluginIdentity> served;
      if (serving != nullptr && serving->reason != "stop") {
        for (const auto& p : serving->plugins) {
          if (p.name == recorded.name) served = p;
        }
      }
      audit.served.push_back(std::move(served));
    }
    out.push_back(std::move(audit));
    apply(enabled, e);
  }
  return out;
}

std::vector<model::PluginIdentity> enabled_after(const std::vector<LoggedEvent>& events) {
  std::vector<model::PluginIdentity> enabled;
  for (const auto& e : events) apply(enabled, e);
  return enabled;
}

}  // namespace rembuk::plugins
