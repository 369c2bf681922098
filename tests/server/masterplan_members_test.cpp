// MasterplanMembers against the engine's own state: the Padang example imported through the
// real engine (with snapshots) on a real LMDB log, then member changes; the members read
// without loading the masterplan must be the ones the full state has, at every step.
#include <gtest/gtest.h>

#include <set>

#include "engine_fixture.hpp"
#include "masterplan_members.hpp"

namespace rembuk::server {
namespace {

using engine::testing::envelope;
using engine::testing::open_log;
using engine::testing::padang_lines;

std::string admin_envelope(std::string_view id, std::string_view command) {
  return R"({"masterplan":"padang-2019","commandId":")" + std::string(id) +
         R"(","actor":{"user":"u-admin-diskominfo","roles":["admin"]},"command":)" +
         std::string(command) + "}";
}

// Every member of the engine's state, and one user who is none, asked of `members`.
void expect_same_as_engine(engine::CommandEngine& engine, MasterplanMembers& members) {
  auto state = engine.state("padang-2019");
  ASSERT_TRUE(state.ok());
  const model::MasterplanState& full = **state;
  ASSERT_FALSE(full.members.empty());
  for (const auto& [user, member] : full.members) {
    auto people = members.people("padang-2019", user);
    ASSERT_TRUE(people.ok()) << people.error();
    EXPECT_TRUE(people->exists);
    EXPECT_EQ(people->city_name, full.city_name);
    EXPECT_TRUE(people->member) << user;
    EXPECT_EQ(people->role, member.role) << user;
    EXPECT_EQ(people->opd, member.opd_id) << user;
  }
  auto stranger = members.people("padang-2019", "u-orang-lain");
  ASSERT_TRUE(stranger.ok());
  EXPECT_FALSE(stranger->member);
}

TEST(MasterplanMembers, AnswerAsTheFullStateDoesFromSnapshotsAndAfterChanges) {
  engine::testing::TempDir dir;
  auto log = open_log(dir.str());
  engine::CommandEngine engine(*log, nullptr, engine::EngineOptions{1, 50, {}});
  MasterplanMembers before_any(*log);
  auto nothing = before_any.people("padang-2019", "u-walikota");
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->exists);
  EXPECT_FALSE(nothing->member);

  for (const auto& line : padang_lines()) ASSERT_TRUE(engine.submit_sync(envelope(line)).accepted);
  auto snapshot = log->get_snapshot("padang-2019", UINT64_MAX);
  ASSERT_TRUE(snapshot.ok() && snapshot->has_value()) << "the check below needs a snapshot";
  MasterplanMembers members(*log);
  expect_same_as_engine(engine, members);  // from the snapshot and the events after it
  expect_same_as_engine(engine, before_any);  // caught up from where it was

  // Changes after the first answers are folded in.
  ASSERT_TRUE(engine.submit_sync(envelope(admin_envelope(
      "m-1", R"({"type":"ChangeMemberRole","userId":"u-sekda","role":"viewer"})"))).accepted);
  ASSERT_TRUE(engine.submit_sync(envelope(admin_envelope(
      "m-2", R"({"type":"RemoveMember","userId":"u-walikota"})"))).accepted);
  ASSERT_TRUE(engine.submit_sync(envelope(admin_envelope(
      "m-3", R"({"type":"AddMember","userId":"u-baru","name":"Staf Baru","role":"viewer"})"))).accepted);
  expect_same_as_engine(engine, members);
  EXPECT_FALSE(members.people("padang-2019", "u-walikota")->member);
  EXPECT_EQ(members.people("padang-2019", "u-sekda")->role, "viewer");

  // What is kept is the identity and the members, not the masterplan.
  EXPECT_TRUE(MasterplanMembers::kept("MemberAdded"));
  EXPECT_FALSE(MasterplanMembers::kept("ProgramAdded"));
}

}  // namespace
}  // namespace rembuk::server
