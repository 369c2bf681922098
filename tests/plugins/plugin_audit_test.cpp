// audit_events: the recorded build (PluginEnabled/Disabled in the log) beside the served one
// (the plugin journal), for each event.
#include "rembuk/plugins/plugin_audit.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

using testing::TempDir;

LoggedEvent enabled(std::uint64_t revision, std::int64_t time_us, const std::string& version,
                    const std::string& sha) {
  return {revision, "PluginEnabled", time_us,
          R"({"name":"padang","version":")" + version + R"(","sha256":")" + sha + R"("})"};
}
LoggedEvent edit(std::uint64_t revision, std::int64_t time_us) {
  return {revision, "ProgramAdded", time_us, "{}"};
}
JournalEntry entry(std::int64_t time_us, const std::string& reason, const std::string& version,
                   const std::string& sha) {
  JournalEntry e{time_us, 42, 1, reason, {}};
  if (reason != "stop") e.plugins.push_back({"padang", version, sha});
  return e;
}

TEST(PluginAudit, RecordedFromTheLogServedFromTheJournal) {
  TempDir data;
  ASSERT_TRUE(append_plugin_journal(data.path(), entry(100, "start", "1.0.0", "aaa")));
  ASSERT_TRUE(append_plugin_journal(data.path(), entry(300, "reload", "2.0.0", "bbb")));
  ASSERT_TRUE(append_plugin_journal(data.path(), entry(500, "stop", "", "")));
  const auto journal = read_plugin_journal(data.path());
  ASSERT_EQ(journal.size(), 3u);
  EXPECT_EQ(journal[1].plugins.at(0).sha256, "bbb");

  const std::vector<LoggedEvent> events = {
      {1, "MasterplanCreated", 50, "{}"},  // before any journal entry
      enabled(2, 150, "1.0.0", "aaa"),
      edit(3, 200),                         // served by 1.0.0
      edit(4, 400),                         // after the reload: served by 2.0.0
      edit(5, 600),                         // after the server stopped (e.g. rembuk import)
      {6, "PluginDisabled", 700, R"({"name":"padang","version":"1.0.0","sha256":"aaa"})"},
      edit(7, 800)};
  const auto audited = audit_events(events, journal);
  ASSERT_EQ(audited.size(), events.size());
  EXPECT_TRUE(audited[0].recorded.empty());
  EXPECT_TRUE(audited[1].recorded.empty());  // enabling is decided by no plugin
  ASSERT_EQ(audited[2].recorded.size(), 1u);
  EXPECT_EQ(audited[2].recorded[0].sha256, "aaa");
  EXPECT_EQ(audited[2].served[0]->sha256, "aaa");
  EXPECT_EQ(audited[3].recorded[0].sha256, "aaa");
  EXPECT_EQ(audited[3].served[0]->sha256, "bbb");
  EXPECT_FALSE(audited[4].served[0].has_value());
  EXPECT_TRUE(audited[6].recorded.empty());
  EXPECT_TRUE(enabled_after(events).empty());
  EXPECT_EQ(enabled_after({events.begin(), events.begin() + 3}).at(0).version, "1.0.0");
}

TEST(PluginAudit, NoJournalMeansServedIsUnknown) {
  TempDir data;
  EXPECT_TRUE(read_plugin_journal(data.path()).empty());
  const auto audited = audit_events({enabled(1, 10, "1.0.0", "aaa"), edit(2, 20)}, {});
  ASSERT_EQ(audited[1].served.size(), 1u);
  EXPECT_FALSE(audited[1].served[0].has_value());
}

}  // namespace
}  // namespace rembuk::plugins
