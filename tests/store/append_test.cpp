// Appending: expected revisions, limits, idempotency, close. A contract suite: every test
// (but the last two) runs against each backend (LMDB and PostgreSQL).
#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::event;
using testing::open_log;
using testing::options_for;
using testing::request;
using testing::TempDir;
using testing::Tuning;

class AppendTest : public testing::ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    log_ = open();
  }
  std::unique_ptr<EventLog> log_;
};
REMBUK_CONTRACT_SUITE(AppendTest);

TEST_P(AppendTest, AppendsAssignDensePositionsAndRevisions) {
  auto a = log_->append(request("plan-a", 2));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->first_position, 1u);
  EXPECT_EQ(a->last_position, 2u);
  EXPECT_EQ(a->first_revision, 1u);
  EXPECT_EQ(a->last_revision, 2u);
  EXPECT_FALSE(a->duplicate);
  auto b = log_->append(request("plan-b", 1));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->first_position, 3u);
  EXPECT_EQ(b->first_revision, 1u);
  auto c = log_->append(request("plan-a", 3));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->first_position, 4u);
  EXPECT_EQ(c->last_position, 6u);
  EXPECT_EQ(c->first_revision, 3u);
  EXPECT_EQ(c->last_revision, 5u);
}

TEST_P(AppendTest, NoStreamFailsOnAnExistingStream) {
  ASSERT_TRUE(log_->append(request("s", 2, ExpectedRevision::no_stream())).ok());
  auto r = log_->append(request("s", 1, ExpectedRevision::no_stream()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::wrong_expected_revision);
  EXPECT_EQ(r.error().actual_revision, 2u);
}

TEST_P(AppendTest, ExactMustMatchTheCurrentRevision) {
  ASSERT_TRUE(log_->append(request("s", 1, ExpectedRevision::exact(0))).ok());
  auto stale = log_->append(request("s", 1, ExpectedRevision::exact(0)));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::wrong_expected_revision);
  EXPECT_EQ(stale.error().actual_revision, 1u);
  auto ahead = log_->append(request("s", 1, ExpectedRevision::exact(5)));
  ASSERT_FALSE(ahead.ok());
  EXPECT_EQ(ahead.error().actual_revision, 1u);
  auto on_empty = log_->append(request("empty", 1, ExpectedRevision::exact(3)));
  ASSERT_FALSE(on_empty.ok());
  EXPECT_EQ(on_empty.error().code, ErrorCode::wrong_expected_revision);
  EXPECT_EQ(on_empty.error().actual_revision, 0u);
  auto ok = log_->append(request("s", 1, ExpectedRevision::exact(1)));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->first_revision, 2u);
  // A rejected append wrote nothing.
  EXPECT_EQ(log_->head()->position, 2u);
}

TEST_P(AppendTest, AnyAlwaysAppends) {
  ASSERT_TRUE(log_->append(request("s", 1, ExpectedRevision::any())).ok());
  auto r = log_->append(request("s", 1, ExpectedRevision::any()));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first_revision, 2u);
}

void expect_invalid(EventLog& log, AppendRequest r, const std::string& what) {
  auto result = log.append(std::move(r));
  ASSERT_FALSE(result.ok()) << what;
  EXPECT_EQ(result.error().code, ErrorCode::invalid_argument) << what;
  EXPECT_FALSE(result.error().message.empty()) << what;
}

TEST_P(AppendTest, EveryLimitIsRefusedBeforeWriting) {
  auto r = request("s");
  r.stream = "";
  expect_invalid(*log_, r, "empty stream");
  r.stream = std::string(max_stream_bytes + 1, 's');
  expect_invalid(*log_, r, "long stream");
  r.stream = std::string("a\0b", 3);
  expect_invalid(*log_, r, "NUL in stream");

  r = request("s", 0);
  expect_invalid(*log_, r, "no events");
  r = request("s");
  r.events.assign(max_events_per_append + 1, event("T"));
  expect_invalid(*log_, r, "too many events");

  r = request("s");
  r.command_id = std::string(max_command_id_bytes + 1, 'c');
  expect_invalid(*log_, r, "long command id");
  r = request("s");
  r.actor = std::string(max_actor_bytes + 1, 'a');
  expect_invalid(*log_, r, "long actor");
  r = request("s");
  r.events[0].type = "";
  expect_invalid(*log_, r, "empty type");
  r.events[0].type = std::string(max_type_bytes + 1, 't');
  expect_invalid(*log_, r, "long type");
  r = request("s");
  r.events[0].payload = "[1,2]";
  expect_invalid(*log_, r, "payload not an object");
  r.events[0].payload = "";
  expect_invalid(*log_, r, "empty payload");
  r.events[0].payload = "{\"x\":\"" + std::string(max_payload_bytes, 'x') + "\"}";
  expect_invalid(*log_, r, "payload too large");
  r = request("s", 5);
  for (auto& e : r.events) e.payload = "{\"x\":\"" + std::string(max_payload_bytes - 16, 'x') + "\"}";
  expect_invalid(*log_, r, "append too large");

  EXPECT_EQ(log_->head()->position, 0u);
  // The limits themselves are allowed.
  r = request(std::string(max_stream_bytes, 's'));
  r.command_id = std::string(max_command_id_bytes, 'c');
  r.actor = std::string(max_actor_bytes, 'a');
  r.events[0].type = std::string(max_type_bytes, 't');
  r.events[0].payload = " \n{ } ";
  auto ok = log_->append(r);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  r = request("many");
  r.events.assign(max_events_per_append, event("T"));
  ok = log_->append(r);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->last_revision, max_events_per_append);
  EXPECT_TRUE(log_->verify().ok);
}

TEST_P(AppendTest, SameCommandIdReturnsTheFirstResultAndWritesNothing) {
  auto first = log_->append(request("s", 2, ExpectedRevision::no_stream(), "cmd-1"));
  ASSERT_TRUE(first.ok());
  // Even with an expected revision that no longer holds, the retry is recognised.
  auto retry = log_->append(request("s", 2, ExpectedRevision::no_stream(), "cmd-1"));
  ASSERT_TRUE(retry.ok()) << retry.error().message;
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->first_position, first->first_position);
  EXPECT_EQ(retry->last_position, first->last_position);
  EXPECT_EQ(retry->first_revision, first->first_revision);
  EXPECT_EQ(retry->last_revision, first->last_revision);
  EXPECT_EQ(log_->head()->position, 2u);
  auto found = log_->find_command("cmd-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->last_position, 2u);
  EXPECT_FALSE((*found)->duplicate);
  EXPECT_FALSE(log_->find_command("cmd-2")->has_value());
  EXPECT_FALSE(log_->find_command("")->has_value());
}

TEST_P(AppendTest, EmptyCommandIdHasNoIdempotency) {
  ASSERT_TRUE(log_->append(request("s", 1)).ok());
  auto second = log_->append(request("s", 1));
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->duplicate);
  EXPECT_EQ(log_->head()->position, 2u);
}

TEST_P(AppendTest, ConcurrentRetriesOfOneCommandWriteOnce) {
  constexpr int rounds = 50;
  for (int round = 0; round < rounds; ++round) {
    const std::string id = "cmd-" + std::to_string(round);
    std::barrier start(2);
    StoreResult<AppendResult> results[2] = {fail(Error{}), fail(Error{})};
    auto worker = [&](int i) {
      start.arrive_and_wait();
      results[i] = log_->append(request("s", 3, ExpectedRevision::any(), id));
    };
    std::thread a(worker, 0);
    std::thread b(worker, 1);
    a.join();
    b.join();
    ASSERT_TRUE(results[0].ok());
    ASSERT_TRUE(results[1].ok());
    EXPECT_NE(results[0]->duplicate, results[1]->duplicate) << "exactly one is the original";
    EXPECT_EQ(results[0]->first_position, results[1]->first_position);
    EXPECT_EQ(results[0]->last_revision, results[1]->last_revision);
  }
  EXPECT_EQ(log_->head()->position, 3u * rounds);
  EXPECT_TRUE(log_->verify().ok);
}

TEST_P(AppendTest, ExpectedLastCommandIdMustNameTheStreamsLastEvent) {
  ASSERT_TRUE(log_->append(request("s", 2, ExpectedRevision::no_stream(), "a")).ok());
  auto right = request("s", 1, ExpectedRevision::exact(2), "b");
  right.expected_last_command_id = "a";
  ASSERT_TRUE(log_->append(std::move(right)).ok());
  auto wrong = request("s", 1, ExpectedRevision::exact(3), "c");
  wrong.expected_last_command_id = "a";  // the last event is b's now
  auto r = log_->append(std::move(wrong));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::wrong_expected_revision);
  EXPECT_EQ(r.error().actual_revision, 3u);
  auto on_empty = request("empty", 1, ExpectedRevision::any(), "d");
  on_empty.expected_last_command_id = "a";
  EXPECT_FALSE(log_->append(std::move(on_empty)).ok());
  EXPECT_EQ(log_->head()->position, 3u);  // refused appends wrote nothing
}

TEST_P(AppendTest, AnAppendBehindAFailedOneFailsEvenWhenItsRevisionIsTaken) {
  // A pipelining writer sends x (expecting revision 1) and, before x commits, y (expecting
  // revision 2, behind x). Another writer takes revision 2 first: x fails, and y must too.
  ASSERT_TRUE(log_->append(request("s", 1, ExpectedRevision::no_stream(), "first")).ok());
  ASSERT_TRUE(log_->append(request("s", 1, ExpectedRevision::exact(1), "other-writer")).ok());
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::optional<StoreResult<AppendResult>>> results(2);
  int done = 0;
  auto x = request("s", 1, ExpectedRevision::exact(1), "x");
  auto y = request("s", 1, ExpectedRevision::exact(2), "y");
  y.expected_last_command_id = "x";
  int i = 0;
  for (auto* r : {&x, &y}) {
    log_->append(std::move(*r), [&, i](StoreResult<AppendResult> result) {
      std::lock_guard lock(mutex);
      results[static_cast<std::size_t>(i)] = std::move(result);
      ++done;
      cv.notify_all();
    });
    ++i;
  }
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return done == 2; }));
  }
  ASSERT_FALSE(results[0]->ok());
  ASSERT_FALSE(results[1]->ok()) << "y landed on the other writer's event";
  EXPECT_EQ(results[1]->error().code, ErrorCode::wrong_expected_revision);
  EXPECT_EQ(log_->stream_info("s")->value().revision, 2u);
}

TEST_P(AppendTest, OneBatchChecksEachAppendAgainstTheOnesBeforeIt) {
  // Queue many appends without waiting so the writer commits them together.
  constexpr int count = 200;
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::optional<StoreResult<AppendResult>>> results(count);
  int done = 0;
  for (int i = 0; i < count; ++i) {
    AppendRequest r;
    switch (i % 4) {
      case 0:  // creates its stream
        r = request("b-" + std::to_string(i), 1, ExpectedRevision::no_stream(),
                    "id-" + std::to_string(i));
        break;
      case 1:  // same stream, must see the previous one: revision 1
        r = request("b-" + std::to_string(i - 1), 1, ExpectedRevision::exact(1));
        break;
      case 2:  // a stale expectation: rejected, does not disturb the rest
        r = request("b-" + std::to_string(i - 2), 1, ExpectedRevision::no_stream());
        break;
      case 3:  // same new command id as case 0: a duplicate of it
        r = request("other", 1, ExpectedRevision::any(), "id-" + std::to_string(i - 3));
        break;
    }
    log_->append(std::move(r), [&, i](StoreResult<AppendResult> result) {
      std::lock_guard lock(mutex);
      results[i] = std::move(result);
      ++done;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return done == count; }));
  }
  for (int i = 0; i < count; i += 4) {
    ASSERT_TRUE(results[i]->ok());
    ASSERT_TRUE(results[i + 1]->ok()) << results[i + 1]->error().message;
    EXPECT_EQ((*results[i + 1])->first_revision, 2u);
    ASSERT_FALSE(results[i + 2]->ok());
    EXPECT_EQ(results[i + 2]->error().code, ErrorCode::wrong_expected_revision);
    EXPECT_EQ(results[i + 2]->error().actual_revision, 2u);
    ASSERT_TRUE(results[i + 3]->ok());
    EXPECT_TRUE((*results[i + 3])->duplicate);
    EXPECT_EQ((*results[i + 3])->first_position, (*results[i])->first_position);
  }
  EXPECT_EQ(log_->head()->position, static_cast<Position>(count / 2));
  EXPECT_FALSE(log_->stream_info("other")->has_value());
  const auto counters = stats(*log_);
  EXPECT_LT(counters.commits, static_cast<std::uint64_t>(count)) << "appends were grouped";
  EXPECT_TRUE(log_->verify().ok);
}

TEST_P(AppendTest, EverythingFailsClosedAfterClose) {
  ASSERT_TRUE(log_->append(request("s")).ok());
  log_->close();
  log_->close();  // idempotent
  auto r = log_->append(request("s"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::closed);
  bool called = false;
  log_->append(request("s"), [&](StoreResult<AppendResult> result) {
    called = true;
    EXPECT_EQ(result.error().code, ErrorCode::closed);
  });
  EXPECT_TRUE(called);
  EXPECT_EQ(log_->read_all(1, 10).error().code, ErrorCode::closed);
  EXPECT_EQ(log_->head().error().code, ErrorCode::closed);
  EXPECT_EQ(log_->put_snapshot("s", 1, "x").error().code, ErrorCode::closed);
  EXPECT_EQ(log_->clear_snapshots().error().code, ErrorCode::closed);
}

TEST_P(AppendTest, CloseCommitsWhatWasQueued) {
  std::atomic<int> ok{0};
  for (int i = 0; i < 100; ++i) {
    log_->append(request("s"), [&](StoreResult<AppendResult> r) { ok += r.ok() ? 1 : 0; });
  }
  log_->close();
  EXPECT_EQ(ok.load(), 100);
  auto reopened = open();
  EXPECT_EQ(reopened->head()->position, 100u);
}

TEST_P(AppendTest, StoresWhatWasGiven) {
  AppendRequest r = request("plan");
  r.actor = "user-7";
  r.command_id = "c-1";
  r.events = {event("ProgramAdded", "{\"name\":\"Taman\"}"), event("ProgramBudgetSet", "{}")};
  r.events[1].schema_version = 3;
  ASSERT_TRUE(log_->append(r).ok());
  auto events = log_->read_all(1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  const RecordedEvent& e = (*events)[1];
  EXPECT_EQ(e.position, 2u);
  EXPECT_EQ(e.stream, "plan");
  EXPECT_EQ(e.revision, 2u);
  EXPECT_EQ(e.type, "ProgramBudgetSet");
  EXPECT_EQ(e.schema_version, 3u);
  EXPECT_EQ(e.actor, "user-7");
  EXPECT_EQ(e.command_id, "c-1");
  EXPECT_EQ((*events)[0].payload, "{\"name\":\"Taman\"}");
  EXPECT_EQ(e.prev_hash, (*events)[0].hash);
  EXPECT_EQ((*events)[0].prev_hash, Hash{});
  EXPECT_EQ(log_->head()->hash, e.hash);
}

TEST_P(AppendTest, TimeComesFromTheInjectedClock) {
  Tuning tuning;
  tuning.clock = [] { return std::int64_t{1'795'528'800'123'456}; };
  log_->close();
  auto log = open(tuning);
  ASSERT_TRUE(log->append(request("s")).ok());
  EXPECT_EQ((*log->read_all(1, 1))[0].time_us, 1'795'528'800'123'456);
}

TEST(ErrorCodeTest, NamesEveryCode) {
  EXPECT_EQ(to_string(ErrorCode::wrong_expected_revision), "wrong_expected_revision");
  EXPECT_EQ(to_string(ErrorCode::invalid_argument), "invalid_argument");
  EXPECT_EQ(to_string(ErrorCode::storage_full), "storage_full");
  EXPECT_EQ(to_string(ErrorCode::io_error), "io_error");
  EXPECT_EQ(to_string(ErrorCode::corrupt), "corrupt");
  EXPECT_EQ(to_string(ErrorCode::closed), "closed");
  Hash h{};
  h[0] = 0xab;
  h[31] = 0x0f;
  const std::string hex = to_hex(h);
  EXPECT_EQ(hex.size(), 64u);
  EXPECT_EQ(hex.substr(0, 2), "ab");
  EXPECT_EQ(hex.substr(62), "0f");
}

TEST(OpenTest, RefusesAnUnusablePath) {
  TempDir dir;
  const auto file = dir.path() / "a-file";
  { std::FILE* f = std::fopen(file.c_str(), "w"); std::fclose(f); }
  LmdbOptions options;
  options.path = (file / "log").string();
  auto log = open_lmdb_event_log(options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, ErrorCode::io_error);
  options.path = "";
  EXPECT_EQ(open_lmdb_event_log(options).error().code, ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace rembuk::store
