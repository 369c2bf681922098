#include "rembuk/plugins/plugin_host.hpp"

#include <link.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>

#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

using testing::TempDir;
namespace json = boost::json;

const std::vector<std::string> national = {"governance", "branding", "economy",
                                           "living",     "society",  "environment"};

HostOptions options(std::chrono::milliseconds budget = std::chrono::milliseconds(50)) {
  HostOptions o;
  o.national_pillar_ids = national;
  o.budget = budget;
  return o;
}

json::object command(const std::string& fixture, int sleep_ms = 0) {
  return json::object{{"type", "AddProgram"}, {"fixture", fixture}, {"sleepMs", sleep_ms}};
}

const json::object state{{"cityName", "Kota Padang"}};

// Whether the dynamic linker still has an object dlopened from `path`.
bool is_mapped(const std::filesystem::path& path) {
  struct Search {
    std::string name;
    bool found = false;
  } search{path.string()};
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto* s = static_cast<Search*>(data);
        if (info->dlpi_name != nullptr && s->name == info->dlpi_name) s->found = true;
        return 0;
      },
      &search);
  return search.found;
}

const LoadError* refusal_for(const LoadReport& report, const std::filesystem::path& file) {
  for (const auto& r : report.refused) {
    if (r.file == file) return &r;
  }
  return nullptr;
}

TEST(PluginHost, LoadsTheGoodAndRefusesEachBrokenPluginWithOneLine) {
  TempDir dir;
  dir.put(FIXTURE_GOOD_PATH, "a_good.so");
  const auto wrong_abi = dir.put(FIXTURE_WRONG_ABI_PATH, "wrong_abi.so");
  const auto no_entry = dir.put(FIXTURE_MISSING_ENTRY_PATH, "no_entry.so");
  const auto same_name = dir.put(FIXTURE_GOOD_COPY_PATH, "b_same_name.so");
  const auto same_pillar = dir.put(FIXTURE_DUP_PILLAR_PATH, "c_same_pillar.so");
  const auto national_pillar = dir.put(FIXTURE_NATIONAL_PILLAR_PATH, "d_national.so");
  std::ofstream(dir.path() / "README.txt") << "ignored: not a .so\n";

  PluginHost host(options());
  const auto report = host.load_directory(dir.path());

  ASSERT_EQ(report.loaded.size(), 1u);
  EXPECT_EQ(report.loaded[0].name, "fixture_good");
  EXPECT_EQ(report.refused.size(), 5u);
  EXPECT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.generation(), 1u);

  ASSERT_NE(refusal_for(report, wrong_abi), nullptr);
  EXPECT_EQ(refusal_for(report, wrong_abi)->code, LoadErrorCode::abi_mismatch);
  ASSERT_NE(refusal_for(report, no_entry), nullptr);
  EXPECT_EQ(refusal_for(report, no_entry)->code, LoadErrorCode::missing_entry_point);
  ASSERT_NE(refusal_for(report, same_name), nullptr);
  EXPECT_EQ(refusal_for(report, same_name)->line(),
            same_name.string() + ": duplicate plugin name \"fixture_good\" (already loaded from " +
                (dir.path() / "a_good.so").string() + ")");
  ASSERT_NE(refusal_for(report, same_pillar), nullptr);
  EXPECT_EQ(refusal_for(report, same_pillar)->code, LoadErrorCode::duplicate_pillar);
  EXPECT_NE(refusal_for(report, same_pillar)->message.find(
                "duplicate pillar id \"fixture_pillar\" (already added by plugin fixture_good"),
            std::string::npos);
  ASSERT_NE(refusal_for(report, national_pillar), nullptr);
  EXPECT_EQ(refusal_for(report, national_pillar)->message,
            "pillar \"economy\" reuses the id of a national dimension");
  for (const auto& r : report.refused) {
    EXPECT_EQ(r.line().find('\n'), std::string::npos) << "one line: " << r.line();
  }
}

TEST(PluginHost, NationalIdsAreData) {
  TempDir dir;
  const auto file = dir.put(FIXTURE_GOOD_PATH, "good.so");
  HostOptions o = options();
  o.national_pillar_ids.push_back("fixture_pillar");
  PluginHost host(o);
  const auto loaded = host.load_file(file);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, LoadErrorCode::national_pillar_id);
}

TEST(PluginHost, AMissingDirectoryIsARefusalNotACrash) {
  PluginHost host(options());
  const auto report = host.load_directory("/nonexistent/plugins");
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_EQ(report.refused[0].line().rfind("/nonexistent/plugins: cannot read plugin directory", 0),
            0u);
  EXPECT_TRUE(host.plugins().empty());
}

TEST(PluginHost, ImplementsExtensions) {
  TempDir dir;
  PluginHost host(options());
  ASSERT_TRUE(host.load_file(dir.put(FIXTURE_GOOD_PATH, "good.so")).ok());
  const model::Extensions& extensions = host;

  const auto identity = extensions.find_plugin("fixture_good");
  ASSERT_TRUE(identity.has_value());
  EXPECT_EQ(identity->version, "1.0.0");
  EXPECT_EQ(identity->sha256, host.find("fixture_good")->sha256());
  EXPECT_FALSE(extensions.find_plugin("padang").has_value());

  const auto pillars = extensions.pillars_of("fixture_good");
  ASSERT_EQ(pillars.size(), 1u);
  EXPECT_EQ(pillars[0].id, "fixture_pillar");
  EXPECT_TRUE(extensions.pillars_of("padang").empty());

  // Through the model's interface the state is lent, not serialised.
  model::MasterplanState lent;
  lent.id = "padang-2019";
  lent.exists = true;
  lent.city_name = "Kota Padang";
  auto accepted = extensions.validate("fixture_good", "AddProgram", command("accept"), lent);
  EXPECT_EQ(accepted.failure, model::ValidatorFailure::none);
  EXPECT_TRUE(accepted.violations.empty());
  EXPECT_TRUE(extensions.validate("fixture_good", "AddProgram", command("state"), lent)
                  .violations.empty());
  lent.city_name = "Kota Pariaman";
  const auto elsewhere = extensions.validate("fixture_good", "AddProgram", command("state"), lent);
  ASSERT_EQ(elsewhere.violations.size(), 1u);
  EXPECT_EQ(elsewhere.violations[0].code, "fixture_good.wrong_city");

  auto rejected = extensions.validate("fixture_good", "AddProgram", command("reject"), lent);
  EXPECT_EQ(rejected.failure, model::ValidatorFailure::none);
  ASSERT_EQ(rejected.violations.size(), 1u);
  EXPECT_EQ(rejected.violations[0].code, "fixture_good.rejected");

  // A command type no validator wants is accepted without calling the plugin.
  auto other = extensions.validate("fixture_good", "RegisterOpd", command("throw"), lent);
  EXPECT_EQ(other.failure, model::ValidatorFailure::none);
}

TEST(PluginHost, AThrowingValidatorRejectsOnlyThatCommand) {
  TempDir dir;
  PluginHost host(options());
  ASSERT_TRUE(host.load_file(dir.put(FIXTURE_GOOD_PATH, "good.so")).ok());
  const auto thrown = host.validate("fixture_good", "AddProgram", command("throw"), state);
  EXPECT_EQ(thrown.failure, model::ValidatorFailure::error);
  EXPECT_EQ(thrown.failure_message, "plugin fixture_good 1.0.0: validator behaviour failed: boom");
  EXPECT_TRUE(thrown.violations.empty());
  // The host and the plugin carry on.
  EXPECT_EQ(host.validate("fixture_good", "AddProgram", command("accept"), state).failure,
            model::ValidatorFailure::none);
}

TEST(PluginHost, GarbageIsAPluginError) {
  TempDir dir;
  PluginHost host(options());
  ASSERT_TRUE(host.load_file(dir.put(FIXTURE_RAW_STATUS_PATH, "raw.so")).ok());
  const auto outcome = host.validate("fixture_raw", "AddProgram", command("accept"), state);
  EXPECT_EQ(outcome.failure, model::ValidatorFailure::error);
  EXPECT_EQ(outcome.failure_message,
            "plugin fixture_raw 0.1.0: validator garbage returned garbage: returned unknown "
            "status 42");
}

TEST(PluginHost, AValidatorPastItsBudgetTimesOut) {
  // The budget is wall-clock time around the call; margins are wide so that a loaded CI
  // machine (or a sanitizer build) does not turn a fast call into a timeout.
  TempDir dir;
  PluginHost host(options(std::chrono::milliseconds(100)));
  ASSERT_TRUE(host.load_file(dir.put(FIXTURE_GOOD_PATH, "good.so")).ok());
  const auto slow = host.validate("fixture_good", "AddProgram", command("sleep", 300), state);
  EXPECT_EQ(slow.failure, model::ValidatorFailure::timeout);
  EXPECT_TRUE(slow.violations.empty());
  EXPECT_EQ(slow.failure_message.rfind("plugin fixture_good 1.0.0: validator behaviour took ", 0),
            0u)
      << slow.failure_message;
  EXPECT_NE(slow.failure_message.find("over its 100.0 ms budget"), std::string::npos);
  // The next command on the same plugin is judged on its own time.
  EXPECT_EQ(host.validate("fixture_good", "AddProgram", command("sleep", 0), state).failure,
            model::ValidatorFailure::none);
}

TEST(PluginHost, ValidatingAnUnloadedPluginIsAnError) {
  PluginHost host(options());
  const auto outcome = host.validate("padang", "AddProgram", command("accept"), state);
  EXPECT_EQ(outcome.failure, model::ValidatorFailure::error);
  EXPECT_EQ(outcome.failure_message, "plugin padang is not loaded");
}

TEST(PluginHost, ReloadSwapsVersionsAndUnloadsTheOldWhenUnused) {
  TempDir dir;
  dir.put(FIXTURE_V1_PATH, "versioned.so");
  PluginHost host(options());
  const auto first = host.load_directory(dir.path());
  ASSERT_EQ(first.loaded.size(), 1u);
  const auto generation = host.generation();

  // An in-flight user holds v1.
  std::shared_ptr<const LoadedPlugin> v1 = host.find("fixture_versioned");
  ASSERT_EQ(v1->description().version, "1.0.0");
  const auto v1_image = v1->staged_path();
  ASSERT_TRUE(is_mapped(v1_image));

  // Nothing changed: nothing reloaded.
  const auto same = host.reload();
  EXPECT_EQ(same.kept.size(), 1u);
  EXPECT_TRUE(same.loaded.empty());
  EXPECT_EQ(host.generation(), generation);

  dir.put(FIXTURE_V2_PATH, "versioned.so");
  const auto second = host.reload();
  ASSERT_EQ(second.loaded.size(), 1u) << (second.refused.empty() ? "" : second.refused[0].line());
  EXPECT_EQ(second.loaded[0].version, "2.0.0");
  EXPECT_EQ(host.generation(), generation + 1);
  EXPECT_EQ(host.find_plugin("fixture_versioned")->version, "2.0.0");
  EXPECT_NE(host.find_plugin("fixture_versioned")->sha256, v1->sha256());

  // New calls use v2 ...
  auto now = host.validate("fixture_versioned", "AddProgram", command("version"), state);
  ASSERT_EQ(now.violations.size(), 1u);
  EXPECT_EQ(now.violations[0].code, "fixture_versioned.version_2");
  // ... while the holder of v1 still runs v1 safely.
  const auto old = v1->run_validator(0, R"({"type":"AddProgram","fixture":"version"})", "{}");
  ASSERT_EQ(old.violations.size(), 1u);
  EXPECT_EQ(old.violations[0].code, "fixture_versioned.version_1");
  EXPECT_TRUE(is_mapped(v1_image));

  // The last user lets go: the v1 image is unmapped.
  v1.reset();
  EXPECT_FALSE(is_mapped(v1_image));
  EXPECT_TRUE(is_mapped(host.find("fixture_versioned")->staged_path()));
}

TEST(PluginHost, ARefusedNewVersionKeepsTheOld) {
  TempDir dir;
  dir.put(FIXTURE_V1_PATH, "versioned.so");
  PluginHost host(options());
  host.load_directory(dir.path());
  dir.put(FIXTURE_WRONG_ABI_PATH, "versioned.so");
  const auto report = host.reload();
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_EQ(report.refused[0].code, LoadErrorCode::abi_mismatch);
  EXPECT_EQ(host.find_plugin("fixture_versioned")->version, "1.0.0");
}

TEST(PluginHost, ARemovedFileDropsItsPlugin) {
  TempDir dir;
  const auto file = dir.put(FIXTURE_GOOD_PATH, "good.so");
  PluginHost host(options());
  host.load_directory(dir.path());
  ASSERT_TRUE(host.find("fixture_good"));
  std::filesystem::remove(file);
  const auto report = host.reload();
  EXPECT_EQ(report.dropped, std::vector<std::string>{"fixture_good"});
  EXPECT_FALSE(host.find("fixture_good"));
}

TEST(PluginHost, ValidatesConcurrentlyWhileReloading) {
  TempDir dir;
  dir.put(FIXTURE_V1_PATH, "versioned.so");
  PluginHost host(options(std::chrono::seconds(5)));
  host.load_directory(dir.path());

  std::atomic<bool> stop{false};
  std::atomic<int> calls{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (!stop.load()) {
        auto outcome = host.validate("fixture_versioned", "AddProgram", command("version"), state);
        const bool ok = outcome.failure == model::ValidatorFailure::none &&
                        outcome.violations.size() == 1 &&
                        (outcome.violations[0].code == "fixture_versioned.version_1" ||
                         outcome.violations[0].code == "fixture_versioned.version_2");
        if (!ok) ++wrong;
        ++calls;
      }
    });
  }
  for (int i = 0; i < 4; ++i) {
    dir.put(i % 2 == 0 ? FIXTURE_V2_PATH : FIXTURE_V1_PATH, "versioned.so");
    const auto report = host.reload();
    EXPECT_EQ(report.loaded.size(), 1u);
  }
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(calls.load(), 0);
  EXPECT_EQ(host.find_plugin("fixture_versioned")->version, "1.0.0");  // v2, v1, v2, v1
}

TEST(PluginHost, CheckLoadsWithoutRegistering) {
  const auto checked = PluginHost::check(FIXTURE_GOOD_PATH, options());
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ((*checked)->name(), "fixture_good");
  const auto national_clash = PluginHost::check(FIXTURE_NATIONAL_PILLAR_PATH, options());
  ASSERT_FALSE(national_clash.ok());
  EXPECT_EQ(national_clash.error().code, LoadErrorCode::national_pillar_id);
}

}  // namespace
}  // namespace rembuk::plugins
