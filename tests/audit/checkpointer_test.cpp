// Signed checkpoints: written live every N events and at status changes, caught up after
// events written while no checkpointer ran, never twice; the key file's handling.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit_fixture.hpp"
#include "rembuk/audit/checkpointer.hpp"
#include "rembuk/audit/record_hash.hpp"

namespace rembuk::audit {
namespace {

using namespace testing;

std::vector<Checkpoint> checkpoints_of(store::EventLog& log, const std::string& masterplan) {
  auto events = log.read_stream("$checkpoints/" + masterplan, 1, 10'000);
  EXPECT_TRUE(events.ok());
  std::vector<Checkpoint> out;
  for (const auto& e : *events) {
    EXPECT_EQ(e.type, "CheckpointSigned");
    std::string why;
    auto c = checkpoint_from_payload(e.payload, &why);
    EXPECT_TRUE(c.has_value()) << why;
    if (c) out.push_back(*c);
  }
  return out;
}

// Starts a checkpointer on `log`, lets it catch up and stops it: what a restart of the
// server does.
CheckpointStats run_checkpointer(store::EventLog& log, const CheckpointOptions& options) {
  auto started = Checkpointer::start(log, fixed_key(), options);
  EXPECT_TRUE(started.ok());
  if (!started.ok()) return {};
  (*started)->flush();
  return (*started)->stats();
}

// Every checkpoint signs the digest of the masterplan's first `revision` events, and the
// record hash at `position`, with the fixed key.
void expect_sound(store::EventLog& log, const std::vector<Checkpoint>& checkpoints,
                  const std::string& masterplan = "padang-2019") {
  auto events = log.read_stream(masterplan, 1, 10'000);
  ASSERT_TRUE(events.ok());
  const auto key = fixed_key();
  std::vector<store::Hash> digests;
  store::Hash d{};
  for (const auto& e : *events) digests.push_back(d = next_stream_digest(d, e.hash));
  for (const auto& c : checkpoints) {
    ASSERT_GE(c.revision, 1u);
    ASSERT_LE(c.revision, events->size());
    EXPECT_EQ(c.stream_digest, digests[c.revision - 1]) << c.revision;
    EXPECT_EQ(c.position, (*events)[c.revision - 1].position);
    EXPECT_EQ(c.head_hash, (*events)[c.revision - 1].hash);
    EXPECT_EQ(c.key_id, key.key_id());
    EXPECT_TRUE(verify_signature(key.public_key(), c.signed_message(), c.signature));
    auto forged = c;
    ++forged.revision;
    EXPECT_FALSE(verify_signature(key.public_key(), forged.signed_message(), c.signature));
  }
}

std::vector<std::uint64_t> revisions(const std::vector<Checkpoint>& checkpoints) {
  std::vector<std::uint64_t> out;
  for (const auto& c : checkpoints) out.push_back(c.revision);
  return out;
}

TEST(Checkpointer, SignsEveryNEventsAndEachStatusChangeLive) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str(), &clock);
  CheckpointOptions options;
  options.every = 50;
  options.clock = [] { return std::int64_t{1'700'000'000'000'000}; };
  auto checkpointer = Checkpointer::start(*log, fixed_key(), options);
  ASSERT_TRUE(checkpointer.ok());
  import_padang(*log, clock);
  (*checkpointer)->flush();
  const auto found = checkpoints_of(*log, "padang-2019");
  // 50, 100, 150, 200 by count; 221 is the submission.
  EXPECT_EQ(revisions(found), (std::vector<std::uint64_t>{50, 100, 150, 200, 221}));
  ASSERT_EQ(found.size(), 5u);
  EXPECT_EQ(found[0].reason, "every");
  EXPECT_EQ(found[4].reason, "status");
  EXPECT_EQ(found[4].signed_at_us, 1'700'000'000'000'000);
  expect_sound(*log, found);
  EXPECT_EQ((*checkpointer)->stats().written, 5u);
  EXPECT_EQ((*checkpointer)->stats().failures, 0u);
}

TEST(Checkpointer, CatchesUpOnEventsWrittenWithoutItAndNeverSignsTwice) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str(), &clock);
  import_padang(*log, clock);  // no checkpointer running
  CheckpointOptions options;
  options.every = 100;
  {
    auto checkpointer = Checkpointer::start(*log, fixed_key(), options);
    ASSERT_TRUE(checkpointer.ok());
    (*checkpointer)->flush();
  }
  auto found = checkpoints_of(*log, "padang-2019");
  EXPECT_EQ(revisions(found), (std::vector<std::uint64_t>{100, 200, 221}));
  expect_sound(*log, found);
  {
    // A restart finds every due checkpoint in the log: it writes none.
    auto again = Checkpointer::start(*log, fixed_key(), options);
    ASSERT_TRUE(again.ok());
    (*again)->flush();
    EXPECT_EQ((*again)->stats().written, 0u);
  }
  // Events after the last checkpoint are sealed at the next start.
  store::AppendRequest request;
  request.stream = "padang-2019";
  request.events.push_back({"CommentAdded", 1, R"({"commentId":"c-late","text":"x"})"});
  ASSERT_TRUE(log->append(std::move(request)).ok());
  {
    auto third = Checkpointer::start(*log, fixed_key(), options);
    ASSERT_TRUE(third.ok());
    (*third)->flush();
    EXPECT_EQ((*third)->stats().written, 1u);
  }
  found = checkpoints_of(*log, "padang-2019");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found.back().revision, 222u);
  EXPECT_EQ(found.back().reason, "seal");
  expect_sound(*log, found);
}

// The Padang example imported, a checkpoint due every 100 events.
class CheckpointerOnPadang : public ::testing::Test {
 protected:
  void SetUp() override {
    import_padang(*log, clock);
    options.every = 100;
  }
  TempDir dir;
  TestClock clock;
  std::unique_ptr<store::EventLog> log = open_log(dir.str(), &clock);
  CheckpointOptions options;
};

TEST_F(CheckpointerOnPadang, ARestartResumesFromTheLastCheckpointsInsteadOfReadingEverything) {
  // Nothing signed yet: the first start reads it all.
  EXPECT_EQ(run_checkpointer(*log, options).resumed_after, 0u);
  const auto signed_once = checkpoints_of(*log, "padang-2019");
  ASSERT_FALSE(signed_once.empty());
  store::AppendRequest late;
  late.stream = "padang-2019";
  late.events.push_back({"CommentAdded", 1, R"({"commentId":"c-late","text":"x"})"});
  ASSERT_TRUE(log->append(std::move(late)).ok());
  {
    auto again = Checkpointer::start(*log, fixed_key(), options);
    ASSERT_TRUE(again.ok());
    (*again)->flush();
    // From the event the last checkpoint names, not from the first one.
    EXPECT_EQ((*again)->stats().resumed_after, signed_once.back().position);
    EXPECT_EQ((*again)->stats().written, 1u);
  }
  const auto found = checkpoints_of(*log, "padang-2019");
  ASSERT_EQ(found.size(), signed_once.size() + 1);
  EXPECT_EQ(found.back().reason, "seal");
  expect_sound(*log, found);  // the digest went on from the checkpoint's, correctly

  // A last checkpoint that names an event the log does not hold is not resumed from.
  Checkpoint wrong = found.back();
  wrong.head_hash[0] ^= 0xff;
  wrong.sign_with(fixed_key());
  store::AppendRequest forged;
  forged.stream = "$checkpoints/padang-2019";
  forged.events.push_back({"CheckpointSigned", 1, wrong.to_payload()});
  ASSERT_TRUE(log->append(std::move(forged)).ok());
  EXPECT_EQ(run_checkpointer(*log, options).resumed_after, 0u);
}

TEST_F(CheckpointerOnPadang, AMasterplanSignedToItsHeadDoesNotMakeARestartReadFromIt) {
  // The national programme: hundreds of masterplans signed long ago and untouched since,
  // a few edited. A restart reads from the oldest unsigned event, not the oldest checkpoint.
  const auto add_comment = [&](const std::string& stream, const std::string& id) {
    store::AppendRequest request;
    request.stream = stream;
    request.events.push_back({"CommentAdded", 1, R"({"commentId":")" + id + R"(","text":"x"})"});
    ASSERT_TRUE(log->append(std::move(request)).ok());
  };
  for (int i = 0; i < 3; ++i) add_comment("kota-lain", "c" + std::to_string(i));
  run_checkpointer(*log, options);
  const auto padang_signed = checkpoints_of(*log, "padang-2019");
  const auto lain_signed = checkpoints_of(*log, "kota-lain");
  ASSERT_FALSE(padang_signed.empty());
  ASSERT_FALSE(lain_signed.empty());
  ASSERT_LT(padang_signed.back().position, lain_signed.back().position);
  add_comment("kota-lain", "c-late");
  const CheckpointStats again = run_checkpointer(*log, options);
  EXPECT_EQ(again.resumed_after, lain_signed.back().position);
  EXPECT_EQ(again.written, 1u);
  expect_sound(*log, checkpoints_of(*log, "kota-lain"), "kota-lain");
  EXPECT_EQ(checkpoints_of(*log, "padang-2019").size(), padang_signed.size());
}

TEST(SigningKey, IsMadeOnceWithMode0600AndRefusedWhenOthersCanReadIt) {
  TempDir dir;
  auto made = SigningKey::load_or_create(dir.str());
  ASSERT_TRUE(made.ok()) << made.error().message;
  const auto path = std::filesystem::path(dir.str()) / "audit-key";
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto again = SigningKey::load_or_create(dir.str());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->key_id(), made->key_id());
  EXPECT_EQ(again->public_key(), made->public_key());
  EXPECT_TRUE(verify_signature(made->public_key(), "m", again->sign("m")));
  // The file holds a PEM private key; the key id is not a prefix of it (nothing leaks).
  std::ifstream in(path);
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto loose = SigningKey::load(dir.str());
  ASSERT_FALSE(loose.ok());
  EXPECT_EQ(loose.error().code, ErrorCode::key_error);
  EXPECT_NE(loose.error().message.find("chmod 600"), std::string::npos);
  TempDir empty;
  EXPECT_FALSE(SigningKey::load(empty.str()).ok());
}

}  // namespace
}  // namespace rembuk::audit
