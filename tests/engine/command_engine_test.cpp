// The command path end to end on a real LMDB log: decide, append, apply, idempotency,
// replay from disk, snapshots, another writer, per-masterplan order.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "engine_fixture.hpp"
#include "held_log.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/snapshot_codec.hpp"

namespace rembuk::engine::testing {
namespace {

namespace json = boost::json;

std::string tim_envelope(std::string_view masterplan, std::string_view id, std::string_view command,
                         std::optional<model::Version> base = std::nullopt,
                         std::string_view user = "u-tim") {
  std::string text = R"({"masterplan":")" + std::string(masterplan) + R"(","commandId":")" +
                     std::string(id) + R"(","actor":{"user":")" + std::string(user) +
                     R"(","roles":["tim_pelaksana"]},)";
  if (base) text += R"("baseVersion":)" + std::to_string(*base) + ",";
  return text + R"("command":)" + std::string(command) + "}";
}

const char* kCreate =
    R"({"type":"CreateMasterplan","cityName":"Kota Uji","regionCode":"13.77","startYear":2020,"endYear":2025})";

// Folds `stream`'s events 1..version straight from the log, bookkeeping included.
model::MasterplanState fold_stream(store::EventLog& log, const std::string& stream,
                                   model::Version version) {
  model::MasterplanState state;
  state.id = stream;
  auto events = log.read_stream(stream, 1, version);
  EXPECT_TRUE(events.ok());
  if (!events.ok()) return state;
  for (const auto& e : *events) {
    model::apply_in_place(state, model::EventRecord{e.type, e.schema_version,
                                                    json::parse(e.payload).as_object(),
                                                    e.revision, e.actor, e.command_id, e.time_us});
  }
  return state;
}

TEST(CommandEngine, PadangImportsReplaysAndIsIdempotent) {
  TempDir dir;
  auto log = open_log(dir.str());
  std::string live;
  std::vector<model::Version> versions;
  {
    CommandEngine engine(*log, nullptr, EngineOptions{2, 0, {}});
    for (const auto& line : padang_lines()) {
      Outcome outcome = engine.submit_sync(envelope(line));
      ASSERT_TRUE(outcome.accepted) << line << "\n → " << describe(outcome);
      EXPECT_FALSE(outcome.duplicate);
      if (!versions.empty()) {
        EXPECT_EQ(outcome.version, versions.back() + outcome.events.size());
      }
      versions.push_back(outcome.version);
    }
    EXPECT_EQ(versions.back(), 221u);
    auto state = engine.state("padang-2019");
    ASSERT_TRUE(state);
    ASSERT_TRUE(state.value());
    EXPECT_EQ(state.value()->status, model::Status::submitted);
    live = model::canonical_json(*state.value());

    // Re-running the same commands changes nothing: every one gets its original ack.
    auto lines = padang_lines();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      Outcome again = engine.submit_sync(envelope(lines[i]));
      EXPECT_TRUE(again.accepted);
      EXPECT_TRUE(again.duplicate);
      EXPECT_EQ(again.version, versions[i]);
    }
    auto info = log->stream_info("padang-2019");
    ASSERT_TRUE(info && info.value());
    EXPECT_EQ(info.value()->revision, 221u);
  }
  // Replaying the log from disk (a new engine, no snapshot) gives the live state.
  log->close();
  log.reset();
  auto reopened = open_log(dir.str());
  CommandEngine engine(*reopened, nullptr);
  auto replayed = engine.state("padang-2019");
  ASSERT_TRUE(replayed && replayed.value());
  EXPECT_EQ(model::canonical_json(*replayed.value()), live);
  EXPECT_TRUE(reopened->verify().ok);
}

TEST(CommandEngine, SnapshotsLoadToTheSameState) {
  TempDir dir;
  auto log = open_log(dir.str());
  std::string live;
  {
    CommandEngine engine(*log, nullptr, EngineOptions{1, 50, {}});
    for (const auto& line : padang_lines()) ASSERT_TRUE(engine.submit_sync(envelope(line)).accepted);
    live = model::canonical_json(*engine.state("padang-2019").value());
  }
  auto snapshot = log->get_snapshot("padang-2019", UINT64_MAX);
  ASSERT_TRUE(snapshot && snapshot.value());
  EXPECT_EQ(snapshot.value()->revision % 50, 0u);
  // Written in the sectioned format, so read-only readers can skip the bookkeeping.
  EXPECT_TRUE(snapshot.value()->bytes.starts_with("rembuk-snapshot 2\n"));
  // The newest keeps its bookkeeping (a load decides from it); an older one, the content
  // only, which is what time travel reads.
  EXPECT_TRUE(model::snapshot_has_bookkeeping(snapshot.value()->bytes));
  auto older = log->get_snapshot("padang-2019", snapshot.value()->revision - 1);
  ASSERT_TRUE(older && older.value());
  EXPECT_FALSE(model::snapshot_has_bookkeeping(older.value()->bytes));
  EXPECT_TRUE(model::decode_state_snapshot(older.value()->bytes, model::Bookkeeping::omit).ok());
  CommandEngine fresh(*log, nullptr);
  EXPECT_EQ(model::canonical_json(*fresh.state("padang-2019").value()), live);
  // And it keeps deciding from there.
  Outcome reopen = fresh.submit_sync(envelope(
      tim_envelope("padang-2019", "x-reopen", R"({"type":"ReopenMasterplan","reason":"Revisi"})")));
  EXPECT_TRUE(reopen.accepted) << describe(reopen);
  EXPECT_EQ(reopen.version, 222u);
}

TEST(CommandEngine, ARestartCountsTheNextSnapshotFromTheOneItLoaded) {
  TempDir dir;
  auto log = open_log(dir.str());
  {
    CommandEngine engine(*log, nullptr, EngineOptions{1, 2, {}});
    for (const auto& line : padang_lines()) ASSERT_TRUE(engine.submit_sync(envelope(line)).accepted);
  }
  // The engine's snapshots land where its writer caught up (a busy machine skips some), so
  // store the newest one at the head, as a quiet run would have.
  const model::MasterplanState head = fold_stream(*log, "padang-2019", 221);
  ASSERT_EQ(head.version, 221u);
  const std::string encoded = model::encode_state_snapshot(head);
  ASSERT_TRUE(log->put_snapshot("padang-2019", 221, encoded, model::snapshot_content_end(encoded)));
  auto loaded = log->get_snapshot("padang-2019", UINT64_MAX);
  ASSERT_TRUE(loaded && loaded.value());
  const std::uint64_t at = loaded.value()->revision;
  ASSERT_EQ(at, 221u);
  // The engine stores the next one max(every, bytes / 1024) versions after the loaded one.
  const std::uint64_t interval = std::max<std::uint64_t>(2, loaded.value()->bytes.size() / 1024);
  ASSERT_GT(at + interval, 223u) << "the fixture no longer leaves room for the check below";
  {
    // A new engine loads from that snapshot; two more edits cross a multiple of 2.
    CommandEngine engine(*log, nullptr, EngineOptions{1, 2, {}});
    ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope(
        "padang-2019", "x-reopen", R"({"type":"ReopenMasterplan","reason":"Revisi"})"))).accepted);
    ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope(
        "padang-2019", "x-vision", R"({"type":"SetVision","text":"Padang kota cerdas"})"))).accepted);
  }
  // Too soon after the loaded one for its size: no new snapshot (every restart used to
  // write one of every masterplan it loaded).
  auto latest = log->get_snapshot("padang-2019", UINT64_MAX);
  ASSERT_TRUE(latest && latest.value());
  EXPECT_EQ(latest.value()->revision, at);
}

TEST(CommandEngine, RejectionsWriteNothingAndCarryViolations) {
  TempDir dir;
  auto log = open_log(dir.str());
  CommandEngine engine(*log, nullptr);
  Outcome missing = engine.submit_sync(envelope(tim_envelope("kota-uji", "c0", R"({"type":"SetVision","text":"v"})")));
  EXPECT_FALSE(missing.accepted);
  EXPECT_EQ(missing.code, "masterplan.not_found");
  EXPECT_TRUE(engine.state("kota-uji").value() == nullptr);
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c1", kCreate))).accepted);
  Outcome bad = engine.submit_sync(envelope(tim_envelope("kota-uji", "c2", R"({"type":"SetMasterplanPeriod","startYear":2020,"endYear":2040})")));
  EXPECT_FALSE(bad.accepted);
  EXPECT_EQ(bad.code, "masterplan.period_length");
  ASSERT_EQ(bad.violations.size(), 1u);
  auto wire = to_json(bad);
  EXPECT_EQ(wire.at("status").as_string(), "reject");
  EXPECT_EQ(wire.at("violations").as_array()[0].at("path").as_string(), "/command/startYear");
  Outcome schema = engine.submit_sync(envelope(tim_envelope("kota-uji", "c3", R"({"type":"SetVision"})")));
  EXPECT_EQ(schema.code, "schema");
  EXPECT_EQ(log->stream_info("kota-uji").value()->revision, 1u);
  // A rejected command id is not remembered: a corrected retry with the same id goes through.
  Outcome retry = engine.submit_sync(envelope(tim_envelope("kota-uji", "c2", R"({"type":"SetMasterplanPeriod","startYear":2020,"endYear":2026})")));
  EXPECT_TRUE(retry.accepted) << describe(retry);
}

TEST(CommandEngine, FieldLevelRebaseThroughTheEngine) {
  TempDir dir;
  auto log = open_log(dir.str());
  CommandEngine engine(*log, nullptr);
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c1", kCreate))).accepted);
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c2", R"({"type":"SetVision","text":"A"})", 1, "u-ani"))).accepted);
  Outcome other = engine.submit_sync(envelope(tim_envelope("kota-uji", "c3", R"({"type":"AddMission","missionId":"m","text":"B"})", 1, "u-budi")));
  EXPECT_TRUE(other.accepted) << describe(other);
  Outcome same = engine.submit_sync(envelope(tim_envelope("kota-uji", "c4", R"({"type":"SetVision","text":"B"})", 1, "u-budi")));
  EXPECT_FALSE(same.accepted);
  EXPECT_EQ(same.code, "conflict");
  EXPECT_EQ(same.violations[0].detail.at("changedBy").as_string(), "u-ani");
  EXPECT_EQ(same.violations[0].detail.at("currentValue").as_string(), "A");
}

TEST(CommandEngine, UndoReadsTheOriginalEventsFromTheLog) {
  TempDir dir;
  auto log = open_log(dir.str());
  CommandEngine engine(*log, nullptr);
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c1", kCreate))).accepted);
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c2", R"({"type":"SetVision","text":"Pertama"})"))).accepted);
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c3", R"({"type":"SetVision","text":"Kedua"})"))).accepted);
  Outcome undo = engine.submit_sync(envelope(tim_envelope("kota-uji", "c4", R"({"type":"Undo","commandId":"c3"})")));
  ASSERT_TRUE(undo.accepted) << describe(undo);
  ASSERT_EQ(undo.events.size(), 2u);
  EXPECT_EQ(undo.events[0].type, "CommandUndone");
  EXPECT_EQ(engine.state("kota-uji").value()->vision, "Pertama");
}

TEST(CommandEngine, UndoFindsItsCommandInTheLogOnItsOwnMasterplanOnly) {
  // The state keeps no record per command: Undo finds the command through the log's
  // commands index, after a restart too, and not from another masterplan.
  TempDir dir;
  auto log = open_log(dir.str());
  {
    CommandEngine engine(*log, nullptr, EngineOptions{2, 2, {}});
    for (const char* mp : {"kota-uji", "kota-lain"}) {
      ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope(mp, std::string(mp) + "-c1", kCreate))).accepted);
    }
    ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c2", R"({"type":"SetVision","text":"Pertama"})"))).accepted);
    ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c3", R"({"type":"SetVision","text":"Kedua"})"))).accepted);
    // kota-lain has a revision 3 too (c3's revision in kota-uji), of another command.
    for (const char* id : {"l2", "l3"}) {
      ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-lain", id, R"({"type":"SetVision","text":"Lain"})"))).accepted);
    }
    Outcome foreign = engine.submit_sync(envelope(tim_envelope("kota-lain", "c4", R"({"type":"Undo","commandId":"c3"})")));
    ASSERT_FALSE(foreign.accepted);
    ASSERT_FALSE(foreign.violations.empty()) << describe(foreign);
    EXPECT_EQ(foreign.violations[0].code, "undo.unknown_command");
  }
  {
    CommandEngine engine(*log, nullptr, EngineOptions{2, 2, {}});  // from snapshot + events
    Outcome undo = engine.submit_sync(envelope(tim_envelope("kota-uji", "c5", R"({"type":"Undo","commandId":"c3"})")));
    ASSERT_TRUE(undo.accepted) << describe(undo);
    EXPECT_EQ(engine.state("kota-uji").value()->vision, "Pertama");
  }
  CommandEngine engine(*log, nullptr, EngineOptions{2, 2, {}});
  Outcome again = engine.submit_sync(envelope(tim_envelope("kota-uji", "c6", R"({"type":"Undo","commandId":"c3"})")));
  ASSERT_FALSE(again.accepted);
  ASSERT_FALSE(again.violations.empty()) << describe(again);
  EXPECT_EQ(again.violations[0].code, "undo.already_undone");
}

TEST(CommandEngine, AnotherWriterMakesTheEngineReloadAndDecideAgain) {
  TempDir dir;
  auto log = open_log(dir.str());
  CommandEngine engine(*log, nullptr);
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c1", kCreate))).accepted);
  // Someone else (another node) appends to the stream behind the engine's back.
  store::AppendRequest request;
  request.stream = "kota-uji";
  request.expected = store::ExpectedRevision::exact(1);
  request.events.push_back(store::EventData{"VisionSet", 1, R"({"text":"Dari node lain","previousText":""})"});
  request.command_id = "other-node-1";
  request.actor = "u-lain";
  ASSERT_TRUE(log->append(std::move(request)));
  Outcome outcome = engine.submit_sync(envelope(tim_envelope("kota-uji", "c2", R"({"type":"AddMission","missionId":"m","text":"Misi"})")));
  ASSERT_TRUE(outcome.accepted) << describe(outcome);
  EXPECT_EQ(outcome.version, 3u);
  auto state = engine.state("kota-uji").value();
  EXPECT_EQ(state->vision, "Dari node lain");
  EXPECT_EQ(state->missions.size(), 1u);
}

TEST(CommandEngine, ParallelMasterplansKeepPerMasterplanOrder) {
  TempDir dir;
  auto log = open_log(dir.str());
  CommandEngine engine(*log, nullptr, EngineOptions{2, 0, {}});
  constexpr int kPlans = 4;
  constexpr int kEdits = 60;
  std::mutex mutex;
  std::map<std::string, std::vector<model::Version>> seen;
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < kPlans; ++p) {
    threads.emplace_back([&, p] {
      const std::string plan = "kota-" + std::to_string(p);
      auto record = [&, plan](Outcome outcome) {
        std::lock_guard lock(mutex);
        EXPECT_TRUE(outcome.accepted) << describe(outcome);
        seen[plan].push_back(outcome.version);
        ++done;
      };
      engine.submit(envelope(tim_envelope(plan, plan + "-create", kCreate)), record);
      for (int i = 0; i < kEdits; ++i) {
        engine.submit(envelope(tim_envelope(plan, plan + "-" + std::to_string(i),
                                            R"({"type":"SetVision","text":"v)" + std::to_string(i) + R"("})")),
                      record);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (done < kPlans * (kEdits + 1) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_EQ(done.load(), kPlans * (kEdits + 1));
  for (const auto& [plan, versions] : seen) {
    ASSERT_EQ(versions.size(), static_cast<std::size_t>(kEdits + 1));
    for (std::size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(versions[i], i + 1) << plan;
    EXPECT_EQ(engine.state(plan).value()->vision, "v" + std::to_string(kEdits - 1));
  }
}

// Collects outcomes in the order the engine delivers them.
struct Delivered {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Outcome> outcomes;
  std::function<void(Outcome)> sink() {
    return [this](Outcome outcome) {
      std::lock_guard lock(mutex);
      outcomes.push_back(std::move(outcome));
      changed.notify_all();
    };
  }
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(30),
                            [&] { return outcomes.size() >= count; });
  }
};

// Submits AddMission m0 … m<count - 1> to kota-uji (command ids m0 …), without waiting.
void submit_missions(CommandEngine& engine, int count, Delivered& delivered) {
  for (int i = 0; i < count; ++i) {
    engine.submit(envelope(tim_envelope("kota-uji", "m" + std::to_string(i),
                                        R"({"type":"AddMission","missionId":"m)" +
                                            std::to_string(i) + R"(","text":"Misi"})")),
                  delivered.sink());
  }
}

// Another node's append, straight into the real log, just before the engine's gets there.
void append_from_another_node(store::EventLog& log, int n) {
  store::AppendRequest other;
  other.stream = "kota-uji";
  other.events.push_back(store::EventData{
      "VisionSet", 1, R"({"text":"Node lain )" + std::to_string(n) + R"(","previousText":""})"});
  other.command_id = "other-node-" + std::to_string(n);
  other.actor = "u-lain";
  ASSERT_TRUE(log.append(std::move(other)));
}

// An engine over a real LMDB log behind a HeldLog, with kota-uji created (version 1).
class EngineBehindHeldLog : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c0", kCreate))).accepted);
  }
  TempDir dir;
  std::unique_ptr<store::EventLog> real = open_log(dir.str());
  HeldLog log{*real};
  CommandEngine engine{log, nullptr};
};

TEST_F(EngineBehindHeldLog, PipelinedCommandsAreInFlightTogetherAndDeliveredInOrder) {
  log.hold();
  // Each is decided on the events of the ones before it, none of them committed yet.
  const std::vector<std::pair<std::string, bool>> commands = {
      {R"({"type":"AddMission","missionId":"m0","text":"Satu"})", true},
      {R"({"type":"AddMission","missionId":"m1","text":"Dua"})", true},
      {R"({"type":"UpdateMission","missionId":"m1","text":"Dua, diperbaiki"})", true},
      {R"({"type":"AddMission","missionId":"m0","text":"Lagi"})", false},  // m0 exists
      {R"({"type":"AddMission","missionId":"m2","text":"Tiga"})", true},
      {R"({"type":"RemoveMission","missionId":"m2"})", true},
      {R"({"type":"UpdateMission","missionId":"m2","text":"Hilang"})", false},  // removed
      {R"({"type":"SetVision","text":"Kota cerdas"})", true},
  };
  Delivered delivered;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    engine.submit(envelope(tim_envelope("kota-uji", "c" + std::to_string(i + 1),
                                        commands[i].first)),
                  delivered.sink());
  }
  ASSERT_TRUE(log.wait_held(6, std::chrono::seconds(10)))
      << "appends in flight at once: " << log.held();
  {
    std::lock_guard lock(delivered.mutex);
    EXPECT_TRUE(delivered.outcomes.empty()) << "an outcome overtook an append in flight";
  }
  log.release();
  ASSERT_TRUE(delivered.wait_for(commands.size()));
  model::Version expected_version = 2;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const Outcome& outcome = delivered.outcomes[i];
    EXPECT_EQ(outcome.command_id, "c" + std::to_string(i + 1));
    EXPECT_EQ(outcome.accepted, commands[i].second) << describe(outcome);
    if (outcome.accepted) {
      EXPECT_EQ(outcome.version, expected_version++) << describe(outcome);
    }
  }
  auto state = engine.state("kota-uji").value();
  ASSERT_EQ(state->missions.size(), 2u);
  EXPECT_EQ(state->missions[1].text, "Dua, diperbaiki");
  EXPECT_EQ(state->vision, "Kota cerdas");
  EXPECT_EQ(real->stream_info("kota-uji")->value().revision, 7u);
  EXPECT_TRUE(real->verify().ok);
}

TEST_F(EngineBehindHeldLog, AnotherWriterDuringThePipelineMakesEveryCommandBehindItDecideAgain) {
  log.hold();
  constexpr int kMissions = 6;
  Delivered delivered;
  submit_missions(engine, kMissions, delivered);
  ASSERT_TRUE(log.wait_held(kMissions, std::chrono::seconds(10))) << log.held();
  // Another node takes revision 2 while all six wait: the first append fails on the
  // revision, the five behind it on the command they expected to follow.
  append_from_another_node(*real, 1);
  log.release();
  ASSERT_TRUE(delivered.wait_for(kMissions));
  for (int i = 0; i < kMissions; ++i) {
    const Outcome& outcome = delivered.outcomes[static_cast<std::size_t>(i)];
    EXPECT_EQ(outcome.command_id, "m" + std::to_string(i));
    ASSERT_TRUE(outcome.accepted) << describe(outcome);
    EXPECT_FALSE(outcome.duplicate) << describe(outcome);
    EXPECT_EQ(outcome.version, static_cast<model::Version>(3 + i)) << describe(outcome);
  }
  auto events = real->read_stream("kota-uji", 1, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u + kMissions);
  EXPECT_EQ((*events)[1].type, "VisionSet");
  for (int i = 0; i < kMissions; ++i) {
    EXPECT_EQ((*events)[static_cast<std::size_t>(2 + i)].command_id, "m" + std::to_string(i));
  }
  auto state = engine.state("kota-uji").value();
  EXPECT_EQ(state->vision, "Node lain 1");
  EXPECT_EQ(state->missions.size(), static_cast<std::size_t>(kMissions));
  EXPECT_TRUE(real->verify().ok);
}

TEST_F(EngineBehindHeldLog, ACommandThatLosesSeveralRacesIsDecidedAgainUntilItLands) {
  std::atomic<int> raced{0};
  log.before_each_append([&](const store::AppendRequest& request) {
    if (request.command_id == "c1" && raced < 3) append_from_another_node(*real, ++raced);
  });
  Outcome outcome = engine.submit_sync(envelope(tim_envelope(
      "kota-uji", "c1", R"({"type":"AddMission","missionId":"m","text":"Misi"})")));
  ASSERT_TRUE(outcome.accepted) << describe(outcome);
  EXPECT_EQ(raced.load(), 3);
  EXPECT_EQ(outcome.version, 5u);  // created, three other appends, then this one
  auto state = engine.state("kota-uji").value();
  EXPECT_EQ(state->vision, "Node lain 3");  // caught up with the other node
  EXPECT_EQ(state->missions.size(), 1u);
}

TEST_F(EngineBehindHeldLog, ACommandThatNeverWinsTheRaceIsRefusedAndWritesNothing) {
  std::atomic<int> raced{0};
  log.before_each_append([&](const store::AppendRequest& request) {
    if (request.command_id == "c1") append_from_another_node(*real, ++raced);
  });
  Outcome outcome = engine.submit_sync(envelope(tim_envelope(
      "kota-uji", "c1", R"({"type":"AddMission","missionId":"m","text":"Misi"})")));
  EXPECT_FALSE(outcome.accepted) << describe(outcome);
  EXPECT_EQ(outcome.code, "storage_error");
  EXPECT_GT(raced.load(), 10);   // it kept trying while the other node kept winning
  EXPECT_LT(raced.load(), 1000);  // and then gave up
  EXPECT_FALSE(real->find_command("c1")->has_value());
}

// The state of kota-uji at `version`, bookkeeping included, folded from the real log's events.
model::MasterplanState fold_log(store::EventLog& log, model::Version version) {
  return fold_stream(log, "kota-uji", version);
}

TEST_F(EngineBehindHeldLog, AFailedAppendIsForgottenByTheStateTheNextCommandIsDecidedOn) {
  // The engine keeps the bookkeeping only in the state it decides on; an append that fails
  // must not leave its events there.
  log.refuse_inside_append(store::Error{store::ErrorCode::io_error, "disk unplugged"});
  Outcome failed = engine.submit_sync(envelope(tim_envelope(
      "kota-uji", "c1", R"({"type":"AddMission","missionId":"m0","text":"Hilang"})")));
  EXPECT_FALSE(failed.accepted);
  EXPECT_EQ(failed.code, "storage_error");
  log.accept_again();
  // m0 was never written: adding it again is no conflict, and lands at version 2.
  Outcome added = engine.submit_sync(envelope(tim_envelope(
      "kota-uji", "c2", R"({"type":"AddMission","missionId":"m0","text":"Satu"})")));
  ASSERT_TRUE(added.accepted) << describe(added);
  EXPECT_EQ(added.version, 2u);
  Outcome edited = engine.submit_sync(envelope(tim_envelope(
      "kota-uji", "c3", R"({"type":"UpdateMission","missionId":"m0","text":"Satu, diperbaiki"})",
      1)));
  // Based on version 1: the field-change index must know m0 changed at version 2, and only
  // then.
  ASSERT_FALSE(edited.accepted);
  EXPECT_EQ(edited.code, "conflict") << describe(edited);
  ASSERT_EQ(edited.violations.size(), 1u);
  EXPECT_EQ(edited.violations[0].detail.at("changedAtVersion").to_number<std::int64_t>(), 2);
  edited = engine.submit_sync(envelope(tim_envelope(
      "kota-uji", "c4", R"({"type":"UpdateMission","missionId":"m0","text":"Satu, diperbaiki"})",
      2)));
  ASSERT_TRUE(edited.accepted) << describe(edited);
  EXPECT_EQ(edited.version, 3u);
  auto state = engine.state("kota-uji").value();
  ASSERT_EQ(state->missions.size(), 1u);
  EXPECT_EQ(state->missions[0].text, "Satu, diperbaiki");
  EXPECT_EQ(model::canonical_json(*state, model::Bookkeeping::omit),
            model::canonical_json(fold_log(*real, 3), model::Bookkeeping::omit));
}

TEST(CommandEngine, APipelinedSnapshotHoldsExactlyTheCommittedEvents) {
  // Snapshots are copied from the state the engine decides on, once the appends in flight
  // have drained: never with an uncommitted event, and with the whole bookkeeping.
  TempDir dir;
  auto real = open_log(dir.str());
  HeldLog log{*real};
  CommandEngine engine{log, nullptr, EngineOptions{2, 10, {}}};
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c0", kCreate))).accepted);
  log.hold();
  constexpr int kMissions = 45;  // more than max_in_flight: the pipeline refills as it drains
  Delivered delivered;
  submit_missions(engine, kMissions, delivered);
  ASSERT_TRUE(log.wait_held(20, std::chrono::seconds(10))) << log.held();
  log.release();
  ASSERT_TRUE(delivered.wait_for(kMissions));
  for (const auto& outcome : delivered.outcomes) ASSERT_TRUE(outcome.accepted) << describe(outcome);
  // The snapshot writer stores on its own thread: wait for the one after the last crossing.
  std::optional<store::Snapshot> latest;
  for (int tries = 0; tries < 500; ++tries) {
    auto got = real->get_snapshot("kota-uji", UINT64_MAX);
    ASSERT_TRUE(got.ok());
    if (*got && (*got)->revision >= 40) {
      latest = **got;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(latest) << "no snapshot past version 40; the latest is at "
                      << [&] {
                           auto got = real->get_snapshot("kota-uji", UINT64_MAX);
                           return got.ok() && *got ? (*got)->revision : 0;
                         }();
  ASSERT_TRUE(model::snapshot_has_bookkeeping(latest->bytes));
  auto decoded = model::decode_state_snapshot(latest->bytes, model::Bookkeeping::include);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  EXPECT_EQ(decoded->version, latest->revision);
  EXPECT_EQ(model::canonical_json(*decoded), model::canonical_json(fold_log(*real, latest->revision)));
}

TEST(CommandEngine, ReadLoadedStateSeesWhatStateReturnsAndNeverLoads) {
  TempDir dir;
  auto log = open_log(dir.str());
  {
    CommandEngine writer(*log, nullptr);
    ASSERT_TRUE(writer.submit_sync(envelope(tim_envelope("kota-uji", "c0", kCreate))).accepted);
  }
  CommandEngine engine(*log, nullptr);
  bool called = false;
  const auto note_call = [&](const model::MasterplanState*) { called = true; };
  // In the log but not loaded by this engine: not read, and still not loaded after.
  EXPECT_FALSE(engine.read_loaded_state("kota-uji", note_call));
  EXPECT_FALSE(engine.read_loaded_state("kota-uji", note_call));
  EXPECT_FALSE(called);
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope(
      "kota-uji", "c1", R"({"type":"SetVision","text":"Kota cerdas"})"))).accepted);
  std::string seen;
  ASSERT_TRUE(engine.read_loaded_state("kota-uji", [&](const model::MasterplanState* state) {
    ASSERT_NE(state, nullptr);
    EXPECT_EQ(state->version, 2u);
    seen = model::canonical_json(*state, model::Bookkeeping::omit);
  }));
  EXPECT_EQ(seen, model::canonical_json(*engine.state("kota-uji").value(), model::Bookkeeping::omit));
}

// Lets `engine`'s idle masterplans go, waiting (up to 10 s) for the thread that delivered the
// last outcome to be done with it: the caller wakes as the outcome arrives, a moment before.
std::size_t unload_once_idle(CommandEngine& engine) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::size_t unloaded = 0;
  while ((unloaded = engine.unload_idle(std::chrono::milliseconds(0))) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return unloaded;
}

TEST(CommandEngine, AnIdleMasterplanIsLetGoAndLoadedAgainOnItsNextUse) {
  TempDir dir;
  auto log = open_log(dir.str());
  EngineOptions options{1, 50, {}};
  options.unload_idle_after = std::chrono::milliseconds(0);  // only when the test asks
  CommandEngine engine(*log, nullptr, options);
  for (const auto& line : padang_lines()) ASSERT_TRUE(engine.submit_sync(envelope(line)).accepted);
  auto held = engine.state("padang-2019").value();
  const std::string before = model::canonical_json(*held, model::Bookkeeping::omit);
  EXPECT_EQ(engine.loaded_masterplans(), 1u);
  // Just used: not idle for an hour.
  EXPECT_EQ(engine.unload_idle(std::chrono::hours(1)), 0u);
  EXPECT_EQ(engine.loaded_masterplans(), 1u);

  EXPECT_EQ(unload_once_idle(engine), 1u);
  EXPECT_EQ(engine.loaded_masterplans(), 0u);
  EXPECT_FALSE(engine.read_loaded_state("padang-2019", [](const model::MasterplanState*) {}));
  // What a reader holds stays valid.
  EXPECT_EQ(model::canonical_json(*held, model::Bookkeeping::omit), before);

  // Another node appends while it is not loaded: its next use sees that too.
  store::AppendRequest other;
  other.stream = "padang-2019";
  other.expected = store::ExpectedRevision::exact(221);
  other.events.push_back(store::EventData{
      "MasterplanReopened", 1, R"({"reason":"Revisi dari node lain","previousStatus":"submitted"})"});
  other.command_id = "other-node-1";
  other.actor = "u-lain";
  ASSERT_TRUE(log->append(std::move(other)));
  Outcome vision = engine.submit_sync(envelope(tim_envelope(
      "padang-2019", "x-vision", R"({"type":"SetVision","text":"Padang kota cerdas"})")));
  ASSERT_TRUE(vision.accepted) << describe(vision);
  EXPECT_EQ(vision.version, 223u);
  EXPECT_EQ(engine.loaded_masterplans(), 1u);
  CommandEngine fresh(*log, nullptr);
  EXPECT_EQ(model::canonical_json(*engine.state("padang-2019").value()),
            model::canonical_json(*fresh.state("padang-2019").value()));
  // And decides from the reloaded bookkeeping: a change based on a version before the
  // vision's is a conflict, naming the version the vision changed at.
  Outcome stale = engine.submit_sync(envelope(tim_envelope(
      "padang-2019", "x-stale", R"({"type":"SetVision","text":"Versi lama"})", 222)));
  ASSERT_FALSE(stale.accepted);
  EXPECT_EQ(stale.code, "conflict") << describe(stale);
}

TEST_F(EngineBehindHeldLog, AMasterplanWithCommandsInFlightIsNotLetGo) {
  log.hold();
  Delivered delivered;
  submit_missions(engine, 3, delivered);
  ASSERT_TRUE(log.wait_held(3, std::chrono::seconds(10)));
  EXPECT_EQ(engine.unload_idle(std::chrono::milliseconds(0)), 0u);
  EXPECT_EQ(engine.loaded_masterplans(), 1u);
  log.release();
  ASSERT_TRUE(delivered.wait_for(3));
  for (const auto& outcome : delivered.outcomes) EXPECT_TRUE(outcome.accepted) << describe(outcome);
  EXPECT_EQ(unload_once_idle(engine), 1u);
  Outcome next = engine.submit_sync(envelope(tim_envelope(
      "kota-uji", "m3", R"({"type":"AddMission","missionId":"m3","text":"Misi"})")));
  ASSERT_TRUE(next.accepted) << describe(next);
  EXPECT_EQ(next.version, 5u);
  EXPECT_EQ(engine.state("kota-uji").value()->missions.size(), 4u);
}

TEST(CommandEngine, TheEngineLetsIdleMasterplansGoByItself) {
  TempDir dir;
  auto log = open_log(dir.str());
  EngineOptions options;
  options.unload_idle_after = std::chrono::milliseconds(40);
  CommandEngine engine(*log, nullptr, options);
  ASSERT_TRUE(engine.submit_sync(envelope(tim_envelope("kota-uji", "c0", kCreate))).accepted);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (engine.loaded_masterplans() != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(engine.loaded_masterplans(), 0u);
  Outcome next = engine.submit_sync(envelope(tim_envelope(
      "kota-uji", "c1", R"({"type":"SetVision","text":"Kota cerdas"})")));
  ASSERT_TRUE(next.accepted) << describe(next);
  EXPECT_EQ(next.version, 2u);
}

TEST(CommandEngine, SystemStreamsAreNoMasterplans) {
  TempDir dir;
  auto log = open_log(dir.str());
  CommandEngine engine(*log, nullptr);
  Outcome outcome = engine.submit_sync(envelope(tim_envelope("$checkpoints/kota-uji", "c1", kCreate)));
  EXPECT_FALSE(outcome.accepted);
  ASSERT_EQ(outcome.violations.size(), 1u) << describe(outcome);
  EXPECT_EQ(outcome.violations[0].code, "masterplan.reserved_id");
  EXPECT_EQ(log->head()->position, 0u);  // nothing written
}

TEST(Envelope, MalformedEnvelopesAreRejections) {
  EXPECT_EQ(parse_envelope_text("nope").error().code, "schema");
  EXPECT_EQ(parse_envelope_text(R"({"commandId":"c","actor":{"user":"u"},"command":{}})").error().violations[0].path, "/masterplan");
  EXPECT_EQ(parse_envelope_text(R"({"masterplan":"m","actor":{"user":"u"},"command":{}})").error().violations[0].path, "/commandId");
  EXPECT_EQ(parse_envelope_text(R"({"masterplan":"m","commandId":"c","actor":{},"command":{}})").error().violations[0].path, "/actor/user");
  EXPECT_EQ(parse_envelope_text(R"({"masterplan":"m","commandId":"c","actor":{"user":"u"},"baseVersion":-1,"command":{}})").error().violations[0].path, "/baseVersion");
  auto ok = parse_envelope_text(R"({"masterplan":"m","commandId":"c","actor":{"user":"u","roles":["admin"],"opd":"x"},"baseVersion":7,"command":{"type":"SetVision"}})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok.value().base_version, 7u);
  EXPECT_EQ(ok.value().actor.roles, std::vector<std::string>{"admin"});
}

}  // namespace
}  // namespace rembuk::engine::testing
