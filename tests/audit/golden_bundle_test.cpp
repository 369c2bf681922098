// tests/data/audit-bundle-v1.jsonl: a bundle made with a fixed key and fixed clocks (see
// make_golden below). It must keep verifying with every later release. If make_golden no
// longer reproduces it byte for byte, the bundle format changed: that is allowed only with a
// new format number, while `verify` keeps reading format 1. To rewrite the file after a
// deliberate, compatible change: REMBUK_UPDATE_GOLDEN=1 ./golden_bundle_test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "audit_fixture.hpp"
#include "rembuk/audit/bundle.hpp"
#include "rembuk/audit/checkpointer.hpp"

namespace rembuk::audit {
namespace {

using namespace testing;

const std::string golden_path = std::string(REMBUK_TEST_DATA) + "/audit-bundle-v1.jsonl";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A small masterplan beside another city's (so positions interleave), checkpoints every 3
// events and at the submission and approval.
std::string make_golden() {
  TempDir dir;
  TestClock clock;
  clock.now_us = padang_start_us;
  auto log = open_log(dir.str(), &clock);
  CheckpointOptions options;
  options.every = 3;
  options.clock = [&clock] { return clock.now_us.load(); };
  auto checkpointer = Checkpointer::start(*log, fixed_key(), options);
  if (!checkpointer) return {};
  auto put = [&](const std::string& stream, const std::string& actor, const std::string& type,
                 const std::string& payload) {
    store::AppendRequest request;
    request.stream = stream;
    request.actor = actor;
    request.command_id = stream + "-" + std::to_string(clock.now_us.load());
    request.events.push_back({type, 1, payload});
    EXPECT_TRUE(log->append(std::move(request)).ok());
    (*checkpointer)->flush();  // checkpoints land at a known clock
    clock.now_us += hour_us;
  };
  put("kota-contoh", "u-tim", "MasterplanCreated",
      R"({"cityName":"Kota Contoh","regionCode":"99.01","startYear":2025,"endYear":2029})");
  put("kota-lain", "u-lain", "MasterplanCreated", R"({"cityName":"Kota Lain"})");
  put("kota-contoh", "u-tim", "VisionSet", R"({"text":"Kota cerdas, warga sejahtera"})");
  put("kota-contoh", "u-rina", "ProgramAdded",
      R"({"programId":"p-1","title":"Layanan Terpadu","dimension":"governance"})");
  put("kota-lain", "u-lain", "VisionSet", R"({"text":"rahasia kota lain"})");
  put("kota-contoh", "u-rina", "ProgramBudgetSet",
      R"({"programId":"p-1","year":2025,"source":"APBD","amount":500000000})");
  put("kota-contoh", "u-tim", "MasterplanSubmitted", R"({"previousStatus":"draft"})");
  put("kota-contoh", "u-dewan", "ReviewStarted", R"({"previousStatus":"submitted"})");
  put("kota-contoh", "u-dewan", "MasterplanApproved", R"({"previousStatus":"under_review"})");
  put("kota-contoh", "u-tim", "CommentAdded", R"({"commentId":"c-1","text":"Selesai."})");
  (*checkpointer)->stop();
  auto bundle = make_bundle(*log, "kota-contoh", fixed_key(), clock.now_us.load());
  EXPECT_TRUE(bundle.ok()) << (bundle ? "" : bundle.error().message);
  return bundle ? *bundle : std::string();
}

TEST(GoldenBundle, StillVerifies) {
  const auto bytes = read_file(golden_path);
  ASSERT_FALSE(bytes.empty()) << golden_path;
  const auto report = verify_bundle(bytes);
  ASSERT_TRUE(report.ok) << report.failure;
  const auto& s = report.summary;
  EXPECT_EQ(s.masterplan, "kota-contoh");
  EXPECT_EQ(s.format, 1);
  EXPECT_EQ(s.versions, 8u);
  EXPECT_EQ(s.key_id, fixed_key().key_id());
  ASSERT_EQ(s.status_changes.size(), 3u);
  EXPECT_EQ(s.status_changes[0].version, 5u);
  EXPECT_EQ(s.status_changes[2].type, "MasterplanApproved");
  EXPECT_EQ(s.status_changes[2].actor, "u-dewan");
  EXPECT_EQ(s.last_signed_version, 7u);  // the approval; the comment after it is sealed only
  EXPECT_EQ(s.events_by_actor.at("u-rina"), 2u);
  EXPECT_EQ(bytes.find("rahasia kota lain"), std::string::npos);
}

// The checked-in file itself: a single changed byte anywhere (header, events, checkpoints,
// seal, a newline) fails, so the file cannot drift unnoticed even where the generator did.
TEST(GoldenBundle, EveryByteOfItMatters) {
  const auto good = read_file(golden_path);
  ASSERT_FALSE(good.empty()) << golden_path;
  for (std::size_t offset = 0; offset < good.size(); ++offset) {
    std::string bad = good;
    bad[offset] = static_cast<char>(bad[offset] ^ 0x01);
    const auto report = verify_bundle(bad);
    ASSERT_FALSE(report.ok) << "flip at byte " << offset;
    ASSERT_FALSE(report.failure.empty()) << "flip at byte " << offset;
  }
}

TEST(GoldenBundle, IsReproducedByteForByte) {
  const auto made = make_golden();
  ASSERT_FALSE(made.empty());
  ASSERT_TRUE(verify_bundle(made).ok);
  if (std::getenv("REMBUK_UPDATE_GOLDEN") != nullptr) {
    std::ofstream out(golden_path, std::ios::binary | std::ios::trunc);
    out << made;
    GTEST_SKIP() << "rewrote " << golden_path;
  }
  EXPECT_EQ(made, read_file(golden_path))
      << "the bundle format changed: bump bundle_format and keep reading format 1";
}

}  // namespace
}  // namespace rembuk::audit
