#include "rembuk/plugins/loaded_plugin.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <string>

#include "file_digest.hpp"
#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

using testing::TempDir;

LoadError refusal(const char* library) {
  auto loaded = LoadedPlugin::load(library);
  EXPECT_FALSE(loaded.ok()) << library << " should have been refused";
  if (loaded.ok()) return {};
  return loaded.error();
}

TEST(LoadedPlugin, LoadsAndCopiesTheDescriptor) {
  auto loaded = LoadedPlugin::load(FIXTURE_GOOD_PATH);
  ASSERT_TRUE(loaded.ok()) << loaded.error().line();
  const auto& d = (*loaded)->description();
  EXPECT_EQ(d.name, "fixture_good");
  EXPECT_EQ(d.version, "1.0.0");
  EXPECT_EQ(d.region_code, "13.71");
  EXPECT_EQ(d.region_name, "Kota Padang");
  ASSERT_EQ(d.pillars.size(), 1u);
  EXPECT_EQ(d.pillars[0].id, "fixture_pillar");
  EXPECT_EQ(d.pillars[0].plugin, "fixture_good");
  ASSERT_EQ(d.pillars[0].elements.size(), 1u);
  EXPECT_EQ(d.pillars[0].elements[0].name_en, "Element one");
  ASSERT_EQ(d.validators.size(), 1u);
  EXPECT_EQ(d.validators[0].name, "behaviour");
  EXPECT_EQ((*loaded)->validators_for("AddProgram"), std::vector<std::size_t>{0});
  EXPECT_TRUE((*loaded)->validators_for("RegisterOpd").empty());
  // The staged copy is gone from disk once loaded, and with it this process's default
  // staging directory (nothing is left in the temporary folder, however many processes ran).
  EXPECT_FALSE(std::filesystem::exists((*loaded)->staged_path()));
  EXPECT_FALSE(std::filesystem::exists((*loaded)->staged_path().parent_path()))
      << (*loaded)->staged_path().parent_path();
}

TEST(LoadedPlugin, AStagingDirectoryTheCallerChoseStays) {
  TempDir dir;
  LoadOptions options;
  options.staging_dir = dir.path() / "staging";
  auto loaded = LoadedPlugin::load(FIXTURE_GOOD_PATH, options);
  ASSERT_TRUE(loaded.ok()) << loaded.error().line();
  EXPECT_FALSE(std::filesystem::exists((*loaded)->staged_path()));
  EXPECT_TRUE(std::filesystem::is_directory(options.staging_dir));
}

TEST(LoadedPlugin, HashIsTheSha256OfTheFile) {
  EXPECT_EQ(detail::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto loaded = LoadedPlugin::load(FIXTURE_GOOD_PATH);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->sha256(), detail::file_sha256_hex(FIXTURE_GOOD_PATH).value());
  EXPECT_EQ((*loaded)->identity().sha256.size(), 64u);
  auto v2 = LoadedPlugin::load(FIXTURE_V2_PATH);
  ASSERT_TRUE(v2.ok());
  EXPECT_NE((*loaded)->sha256(), (*v2)->sha256());
}

TEST(LoadedPlugin, RefusesAMissingFile) {
  const auto error = refusal("/nonexistent/padang.so");
  EXPECT_EQ(error.code, LoadErrorCode::unreadable_file);
  EXPECT_EQ(error.line().rfind("/nonexistent/padang.so: cannot read", 0), 0u) << error.line();
}

TEST(LoadedPlugin, RefusesAFileThatIsNotALibrary) {
  TempDir dir;
  const auto file = dir.path() / "notes.so";
  std::ofstream(file) << "not an ELF file\n";
  const auto error = refusal(file.c_str());
  EXPECT_EQ(error.code, LoadErrorCode::not_loadable);
  EXPECT_NE(error.message.find("cannot load the library"), std::string::npos) << error.message;
}

TEST(LoadedPlugin, RefusesAWrongAbiBeforeCallingAnything) {
  // The fixture's entry point aborts: reaching it would kill this test.
  const auto error = refusal(FIXTURE_WRONG_ABI_PATH);
  EXPECT_EQ(error.code, LoadErrorCode::abi_mismatch);
  EXPECT_EQ(error.message,
            "plugin ABI version 3, this host supports 1 to 2 (rebuild the plugin against the "
            "rembuk plugin SDK 2.x)");
  EXPECT_EQ(error.line(), std::string(FIXTURE_WRONG_ABI_PATH) + ": " + error.message);
}

TEST(LoadedPlugin, RefusesAMissingAbiVersion) {
  const auto error = refusal(FIXTURE_MISSING_ABI_PATH);
  EXPECT_EQ(error.code, LoadErrorCode::missing_abi_version);
  EXPECT_EQ(error.message,
            "missing symbol rembuk_plugin_abi_version (not a rembuk plugin, or not built with "
            "the SDK)");
}

TEST(LoadedPlugin, RefusesAMissingEntryPoint) {
  const auto error = refusal(FIXTURE_MISSING_ENTRY_PATH);
  EXPECT_EQ(error.code, LoadErrorCode::missing_entry_point);
  EXPECT_EQ(error.message, "missing entry point rembuk_plugin_entry");
}

TEST(LoadedPlugin, RefusesANullDescriptor) {
  const auto error = refusal(FIXTURE_NULL_ENTRY_PATH);
  EXPECT_EQ(error.code, LoadErrorCode::entry_failed);
}

TEST(LoadedPlugin, RefusesGarbageDescriptorsNamingTheField) {
  struct Case {
    const char* library;
    const char* message;
  };
  const Case cases[] = {
      {FIXTURE_BAD_PILLAR_ID_PATH,
       "invalid descriptor: pillars[0].elements[0].id \"Surau\" is not an identifier "
       "([a-z][a-z0-9_]{1,63})"},
      {FIXTURE_BAD_VERSION_PATH,
       "invalid descriptor: version \"1.0\" is not a semantic version (e.g. \"1.0.0\")"},
      {FIXTURE_BAD_UTF8_PATH, "invalid descriptor: pillars[0].name_id is not valid UTF-8"},
      {FIXTURE_BAD_COUNT_PATH, "invalid descriptor: validators is NULL but its count is 1"},
  };
  for (const auto& c : cases) {
    const auto error = refusal(c.library);
    EXPECT_EQ(error.code, LoadErrorCode::invalid_descriptor) << c.library;
    EXPECT_EQ(error.message, c.message);
  }
}

class RunValidator : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = LoadedPlugin::load(FIXTURE_GOOD_PATH);
    ASSERT_TRUE(loaded.ok());
    plugin_ = std::move(loaded).value();
  }
  ValidatorRun run(const std::string& fixture) const {
    return plugin_->run_validator(
        0, R"({"type":"AddProgram","fixture":")" + fixture + R"("})", R"({"cityName":"x"})");
  }
  std::shared_ptr<const LoadedPlugin> plugin_;
};

TEST_F(RunValidator, AcceptsAndRejects) {
  auto accepted = run("accept");
  EXPECT_EQ(accepted.status, ValidatorRun::Status::ok);
  EXPECT_TRUE(accepted.violations.empty());

  auto rejected = run("reject");
  ASSERT_EQ(rejected.status, ValidatorRun::Status::ok);
  ASSERT_EQ(rejected.violations.size(), 1u);
  EXPECT_EQ(rejected.violations[0].code, "fixture_good.rejected");
  EXPECT_EQ(rejected.violations[0].path, "/command/fixture");
  EXPECT_EQ(rejected.violations[0].message_id, "Ditolak oleh fixture");
  EXPECT_EQ(rejected.violations[0].message_en, "Rejected by the fixture");
}

TEST_F(RunValidator, SeesTheState) {
  auto run_with = [&](const char* state) {
    return plugin_->run_validator(0, R"({"type":"AddProgram","fixture":"state"})", state);
  };
  EXPECT_TRUE(run_with(R"({"cityName":"Kota Padang"})").violations.empty());
  const auto other = run_with(R"({"cityName":"Kota Pariaman"})");
  ASSERT_EQ(other.violations.size(), 1u);
  EXPECT_EQ(other.violations[0].path, "/state/cityName");
}

TEST_F(RunValidator, ExceptionsBecomeErrorsWithTheirReason) {
  const auto thrown = run("throw");
  EXPECT_EQ(thrown.status, ValidatorRun::Status::error);
  EXPECT_EQ(thrown.reason, "boom");
  const auto thrown_int = run("throw_int");
  EXPECT_EQ(thrown_int.status, ValidatorRun::Status::error);
  EXPECT_EQ(thrown_int.reason, "unknown exception");
}

TEST_F(RunValidator, MalformedCommandJsonIsAnErrorNotACrash) {
  const auto run = plugin_->run_validator(0, R"({"type":"AddProgram",)", "{}");
  EXPECT_EQ(run.status, ValidatorRun::Status::error);
  EXPECT_NE(run.reason.find("JSON"), std::string::npos) << run.reason;
}

TEST_F(RunValidator, MalformedViolationsAreGarbage) {
  const auto foreign = run("bad_code");
  EXPECT_EQ(foreign.status, ValidatorRun::Status::garbage);
  EXPECT_EQ(foreign.reason,
            "violation code \"program.unknown_dimension\" is not \"fixture_good.<rule>\"");
  EXPECT_TRUE(foreign.violations.empty());
  const auto bad_utf8 = run("bad_utf8");
  EXPECT_EQ(bad_utf8.status, ValidatorRun::Status::garbage);
  EXPECT_EQ(bad_utf8.reason, "violation message_id is not valid UTF-8");
}

TEST(LoadedPlugin, UnknownStatusIsGarbage) {
  auto loaded = LoadedPlugin::load(FIXTURE_RAW_STATUS_PATH);
  ASSERT_TRUE(loaded.ok()) << loaded.error().line();
  const auto run = (*loaded)->run_validator(0, R"({"type":"AddProgram"})", "{}");
  EXPECT_EQ(run.status, ValidatorRun::Status::garbage);
  EXPECT_EQ(run.reason, "returned unknown status 42");
}

TEST(LoadedPlugin, AnAbi1PluginStillLoadsAndGetsTheWholeStateAsText) {
  auto loaded = LoadedPlugin::load(FIXTURE_ABI1_PATH);
  ASSERT_TRUE(loaded.ok()) << loaded.error().line();
  const auto& plugin = **loaded;
  EXPECT_EQ(plugin.abi_version(), 1u);
  EXPECT_EQ(plugin.description().pillars.at(0).id, "abi1_pillar");
  const std::string padang = R"({"cityName":"Kota Padang","programs":[]})";
  const auto with_state =
      plugin.run_validator(0, R"({"type":"AddProgram","title":"needs-state"})", padang);
  EXPECT_EQ(with_state.status, ValidatorRun::Status::ok) << with_state.reason;
  EXPECT_TRUE(with_state.violations.empty());
  const auto rejected = plugin.run_validator(0, R"({"type":"AddProgram","title":"reject"})", padang);
  ASSERT_EQ(rejected.violations.size(), 1u);
  EXPECT_EQ(rejected.violations[0].code, "fixture_abi1.rejected");

  // Through a state source (what the server lends): the host serialises the state for it.
  const auto state = boost::json::parse(padang).as_object();
  const auto via_source = plugin.run_validator(0, R"({"type":"AddProgram","title":"needs-state"})",
                                               "AddProgram", JsonStateSource(state));
  EXPECT_EQ(via_source.status, ValidatorRun::Status::ok) << via_source.reason;
  EXPECT_TRUE(via_source.violations.empty());
  const auto elsewhere = boost::json::parse(R"({"cityName":"Kota Pariaman","programs":[]})");
  const auto other = plugin.run_validator(0, R"({"type":"AddProgram","title":"needs-state"})",
                                          "AddProgram", JsonStateSource(elsewhere.as_object()));
  ASSERT_EQ(other.violations.size(), 1u);
  EXPECT_EQ(other.violations[0].code, "fixture_abi1.no_state");
}

}  // namespace
}  // namespace rembuk::plugins
