// The host inside the real command path: LMDB log + CommandEngine + model::decide + the
// plugin host with real libraries. What a server does with a plugin, minus the WebSocket.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "rembuk/engine/command_engine.hpp"
#include "rembuk/model/dimensions.hpp"
#include "rembuk/plugins/plugin_host.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#include "temp_dir.hpp"

namespace rembuk::plugins {
namespace {

using testing::TempDir;
namespace json = boost::json;

class PluginsInEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    store::LmdbOptions lmdb;
    lmdb.path = (data_.path() / "log").string();
    lmdb.durability = store::Durability::nosync;
    auto log = store::open_lmdb_event_log(lmdb);
    ASSERT_TRUE(log.ok());
    log_ = std::move(log).value();

    HostOptions options;
    for (const auto& d : model::national_dimensions()) options.national_pillar_ids.push_back(d.id);
    options.budget = std::chrono::milliseconds(100);
    host_ = std::make_unique<PluginHost>(options);
    plugins_.put(PADANG_PATH, "padang.so");
    plugins_.put(FIXTURE_GOOD_PATH, "fixture_good.so");
    plugins_.put(FIXTURE_V1_PATH, "versioned.so");
    const auto report = host_->load_directory(plugins_.path());
    ASSERT_EQ(report.loaded.size(), 3u) << (report.refused.empty() ? "" : report.refused[0].line());
    engine_ = std::make_unique<engine::CommandEngine>(*log_, host_.get());

    ASSERT_TRUE(submit(R"({"type":"CreateMasterplan","cityName":"Kota Padang","regionCode":"13.71",
                          "startYear":2019,"endYear":2028})").accepted);
    ASSERT_TRUE(submit(R"({"type":"RegisterOpd","opdId":"bpbd",
                          "name":"Badan Penanggulangan Bencana Daerah","shortName":"BPBD"})").accepted);
    ASSERT_TRUE(submit(R"({"type":"RegisterOpd","opdId":"dkp",
                          "name":"Dinas Kelautan dan Perikanan","shortName":"DKP"})").accepted);
  }
  void TearDown() override { engine_.reset(); }

  engine::Outcome submit(const std::string& command) {
    engine::CommandEnvelope envelope;
    envelope.masterplan = "padang-2019";
    envelope.command_id = "c-" + std::to_string(next_id_++);
    envelope.actor = {"u-tim", {"tim_pelaksana"}, ""};
    envelope.command = json::parse(command).as_object();
    return engine_->submit_sync(std::move(envelope));
  }
  engine::Outcome add_program(const std::string& id, const std::string& dimension,
                              const std::string& element, const std::string& title,
                              const std::string& supporting = "[]") {
    return submit(R"({"type":"AddProgram","programId":")" + id + R"(","title":")" + title +
                  R"(","dimension":")" + dimension + R"(","element":")" + element +
                  R"(","leadOpd":"dkp","startYear":2020,"endYear":2022,"supportingOpds":)" +
                  supporting + "}");
  }
  model::Version version() { return (*engine_->state("padang-2019"))->version; }
  static bool has_code(const engine::Outcome& o, const std::string& code) {
    for (const auto& v : o.violations) {
      if (v.code == code) return true;
    }
    return o.code == code;
  }

  TempDir data_, plugins_;
  std::unique_ptr<store::EventLog> log_;
  std::unique_ptr<PluginHost> host_;
  std::unique_ptr<engine::CommandEngine> engine_;
  int next_id_ = 1;
};

TEST_F(PluginsInEngine, EnablingRecordsNameVersionAndLibraryHash) {
  const auto enabled = submit(R"({"type":"EnablePlugin","plugin":"padang"})");
  ASSERT_TRUE(enabled.accepted) << enabled.code << " " << enabled.message;
  ASSERT_EQ(enabled.events.size(), 1u);
  EXPECT_EQ(enabled.events[0].type, "PluginEnabled");
  const auto& payload = enabled.events[0].payload;
  EXPECT_EQ(payload.at("name").as_string(), "padang");
  EXPECT_EQ(payload.at("version").as_string(), "1.0.0");
  EXPECT_EQ(payload.at("sha256").as_string(), host_->find("padang")->sha256());
}

TEST_F(PluginsInEngine, PillarsAndRulesApplyOnlyOnceEnabled) {
  // Before EnablePlugin the pillar does not exist for this masterplan.
  const auto before = add_program("p-1", "padang_pesisir_tangguh", "ekonomi_bahari", "Pasar ikan");
  EXPECT_FALSE(before.accepted);
  EXPECT_TRUE(has_code(before, "program.unknown_dimension")) << before.code;

  ASSERT_TRUE(submit(R"({"type":"EnablePlugin","plugin":"padang"})").accepted);
  const auto at = version();
  const auto refused = add_program("p-1", "padang_pesisir_tangguh", "ekonomi_bahari", "Pasar ikan");
  EXPECT_FALSE(refused.accepted);
  EXPECT_TRUE(has_code(refused, "padang.coastal_program_needs_bpbd")) << refused.code;
  EXPECT_EQ(version(), at) << "a rejected command writes nothing";

  const auto accepted =
      add_program("p-1", "padang_pesisir_tangguh", "ekonomi_bahari", "Pasar ikan", R"(["bpbd"])");
  EXPECT_TRUE(accepted.accepted) << accepted.code << " " << accepted.message;
  EXPECT_EQ(version(), at + 1);
}

TEST_F(PluginsInEngine, AFailingPluginRejectsThatCommandOnly) {
  ASSERT_TRUE(submit(R"({"type":"EnablePlugin","plugin":"fixture_good"})").accepted);
  const auto at = version();

  const auto thrown = add_program("p-1", "fixture_pillar", "first_element", "throw");
  EXPECT_FALSE(thrown.accepted);
  EXPECT_TRUE(has_code(thrown, "plugin_error")) << thrown.code;
  EXPECT_NE(thrown.message.find("fixture_good"), std::string::npos) << thrown.message;

  const auto slow = add_program("p-1", "fixture_pillar", "first_element", "sleep");
  EXPECT_FALSE(slow.accepted);
  EXPECT_TRUE(has_code(slow, "plugin_timeout")) << slow.code;
  EXPECT_EQ(version(), at) << "nothing written";

  // The masterplan carries on, and programs go into the plugin's pillar.
  const auto fine = add_program("p-1", "fixture_pillar", "first_element", "accept");
  EXPECT_TRUE(fine.accepted) << fine.code << " " << fine.message;
}

TEST_F(PluginsInEngine, CommandsAfterAReloadUseTheNewVersion) {
  ASSERT_TRUE(submit(R"({"type":"EnablePlugin","plugin":"fixture_versioned"})").accepted);
  const auto v1 = add_program("p-1", "versioned_pillar", "first_element", "version");
  EXPECT_TRUE(has_code(v1, "fixture_versioned.version_1")) << v1.code;

  plugins_.put(FIXTURE_V2_PATH, "versioned.so");
  const auto report = host_->reload();
  ASSERT_EQ(report.loaded.size(), 1u);
  const auto v2 = add_program("p-1", "versioned_pillar", "first_element", "version");
  EXPECT_TRUE(has_code(v2, "fixture_versioned.version_2")) << v2.code;
}

}  // namespace
}  // namespace rembuk::plugins
