// The backup archive (rembuk/store/archive.hpp) on real LMDB files and, where the test server
// runs, a real PostgreSQL: round trips with the same events, hashes and indexes at several
// positions, every refusal (truncation anywhere, any flipped byte, a newer format, a target
// that holds events, a bad --until), restoring up to a position, and a backup taken while a
// writer keeps appending.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "rembuk/store/archive.hpp"
#include "test_log.hpp"

namespace rembuk::store::testing {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void spit(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A log with what the archive must carry: several streams, one past a few index chunks of 32,
// appends of several events under one command id, appends without one, and a signed-checkpoint
// stream (its signature is the audit module's business; here it is only counted).
void fill(EventLog& log, int rounds = 3) {
  int command = 0;
  for (int round = 0; round < rounds; ++round) {
    for (int i = 0; i < 40; ++i) {
      ASSERT_TRUE(log.append(request("plan-a", 1 + i % 3, ExpectedRevision::any(),
                                     "c-" + std::to_string(command++)))
                      .ok());
    }
    ASSERT_TRUE(log.append(request("plan-b", 2)).ok());
    ASSERT_TRUE(log.append(request("plan-" + std::to_string(round), 5, ExpectedRevision::any(),
                                   "c-" + std::to_string(command++)))
                    .ok());
    AppendRequest checkpoint = request("$checkpoints/plan-a", 1);
    checkpoint.events[0].type = std::string(archive_checkpoint_type);
    ASSERT_TRUE(log.append(checkpoint).ok());
  }
}

// A small log of each kind of entry, for the tests that walk the archive once per byte.
void fill_small(EventLog& log) {
  ASSERT_TRUE(log.append(request("plan-a", 3, ExpectedRevision::any(), "c-1")).ok());
  ASSERT_TRUE(log.append(request("plan-b", 1)).ok());
  ASSERT_TRUE(log.append(request("plan-a", 1, ExpectedRevision::any(), "c-2")).ok());
  AppendRequest checkpoint = request("$checkpoints/plan-a", 1);
  checkpoint.events[0].type = std::string(archive_checkpoint_type);
  ASSERT_TRUE(log.append(checkpoint).ok());
}

std::vector<RecordedEvent> all_events(EventLog& log) {
  std::vector<RecordedEvent> out;
  for (Position from = 1;;) {
    auto page = log.read_all(from, 1000);
    EXPECT_TRUE(page.ok());
    if (!page.ok() || page->empty()) return out;
    from = page->back().position + 1;
    out.insert(out.end(), page->begin(), page->end());
  }
}

// The same log, event for event, index for index, up to `until` (0: all of `a`).
void expect_same_log(EventLog& a, EventLog& b, Position until = 0) {
  auto ea = all_events(a);
  if (until > 0) ea.resize(until);
  const auto eb = all_events(b);
  ASSERT_EQ(ea.size(), eb.size());
  for (std::size_t i = 0; i < ea.size(); ++i) {
    ASSERT_EQ(ea[i].hash, eb[i].hash) << "position " << i + 1;
    ASSERT_EQ(ea[i].payload, eb[i].payload);
    ASSERT_EQ(ea[i].command_id, eb[i].command_id);
  }
  // Every stream reads the same by revision (the stream index), and every command id
  // resolves the same (the command-id index), in the restored log.
  std::map<std::string, std::vector<Position>> streams;
  for (const auto& e : ea) streams[e.stream].push_back(e.position);
  auto listed = b.streams();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), streams.size());
  for (const auto& [stream, positions] : streams) {
    auto read = b.read_stream(stream, 1, 100000);
    ASSERT_TRUE(read.ok());
    ASSERT_EQ(read->size(), positions.size()) << stream;
    for (std::size_t i = 0; i < positions.size(); ++i) EXPECT_EQ((*read)[i].position, positions[i]);
  }
  for (const auto& e : ea) {
    if (e.command_id.empty()) continue;
    auto x = a.find_command(e.command_id);
    auto y = b.find_command(e.command_id);
    ASSERT_TRUE(x.ok() && y.ok() && *x && *y);
    EXPECT_EQ((*x)->first_position, (*y)->first_position);
    EXPECT_EQ((*x)->last_position, (*y)->last_position);
  }
  EXPECT_TRUE(b.verify().ok) << b.verify().reason;
}

class ArchiveTest : public ::testing::Test {
 protected:
  std::string source() const { return (dir_.path() / "log").string(); }
  std::string archive() const { return (dir_.path() / "city.rembuk-backup").string(); }
  std::string target(const std::string& name = "restored") const {
    return (dir_.path() / name).string();
  }

  // From the log this test has open, or (none) by opening its folder.
  ArchiveManifest backup(EventLog* open, const BackupOptions& options = {}) {
    ArchiveStore from;
    from.lmdb_path = source();
    auto written = open != nullptr ? write_archive(*open, archive(), options)
                                   : write_archive(from, archive(), options);
    EXPECT_TRUE(written.ok()) << (written.ok() ? "" : written.error().message);
    return written.ok() ? *written : ArchiveManifest{};
  }

  StoreResult<RestoreResult> restore(const std::string& to, Position until = 0) {
    ArchiveStore where;
    where.lmdb_path = to;
    RestoreOptions options;
    options.until = until;
    return restore_archive(archive(), where, options);
  }

  std::unique_ptr<EventLog> open_at_new() {
    LmdbOptions options;
    options.path = source();
    options.durability = Durability::nosync;
    return open_log(options);
  }

  std::unique_ptr<EventLog> open_at(const std::string& path) {
    LmdbOptions options;
    options.path = path;
    options.durability = Durability::nosync;
    options.create_if_missing = false;
    return open_log(options);
  }

  TempDir dir_;
};

TEST_F(ArchiveTest, RoundTripKeepsEveryEventHashAndIndex) {
  auto log = open_at_new();
  fill(*log);
  BackupOptions options;
  options.rembuk_version = "test";
  options.keys.audit_public_key = std::string(32, 'k');
  const auto manifest = backup(log.get(), options);
  const auto head = log->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(manifest.head.position, head->position);
  EXPECT_EQ(manifest.head.hash, head->hash);
  EXPECT_EQ(manifest.events, head->position);
  EXPECT_EQ(manifest.masterplans, 5u);  // plan-a, plan-b, plan-0..2
  EXPECT_EQ(manifest.streams, 6u);
  EXPECT_EQ(manifest.checkpoints, 3u);
  EXPECT_EQ(manifest.commands, 123u);
  EXPECT_FALSE(manifest.with_secrets);
  EXPECT_EQ(manifest.source, "lmdb");

  // Each checkpoint is handed to the check with the archive's key and the chain before it.
  VerifyArchiveOptions checked;
  int calls = 0;
  checked.check_checkpoint = [&](const RecordedEvent& e, std::string_view key,
                                 const HashAt& hash_at) -> std::optional<std::string> {
    ++calls;
    if (key != std::string(32, 'k')) return "wrong key";
    if (hash_at(e.position - 1) != e.prev_hash || hash_at(e.position)) return "wrong hash_at";
    return std::nullopt;
  };
  const auto report = verify_archive(archive(), checked);
  ASSERT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(calls, 3);
  checked.check_checkpoint = [](const RecordedEvent&, std::string_view,
                                const HashAt&) -> std::optional<std::string> {
    return "a forged signature";
  };
  const auto forged = verify_archive(archive(), checked);
  EXPECT_EQ(forged.fault, ArchiveFault::inconsistent);
  EXPECT_NE(forged.reason.find("the signed checkpoint does not verify: a forged signature"),
            std::string::npos)
      << forged.reason;
  EXPECT_EQ(report.events_checked, head->position);
  EXPECT_EQ(report.keys.audit_public_key, std::string(32, 'k'));
  EXPECT_TRUE(report.keys.token_secret.empty());

  auto restored = restore(target());
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(restored->restored.hash, head->hash);
  auto copy = open_at(target());
  expect_same_log(*log, *copy);
  // The restored log takes new appends where the original would.
  auto next = copy->append(request("plan-a", 1, ExpectedRevision::any(), "c-0"));
  ASSERT_TRUE(next.ok());
  EXPECT_TRUE(next->duplicate);
}

TEST_F(ArchiveTest, ArchiveIsPrivateAndCarriesSecretsOnlyWhenAsked) {
  auto log = open_at_new();
  fill(*log, 1);
  BackupOptions options;
  options.keys.with_secrets = true;
  options.keys.token_secret = "token-secret-bytes";
  options.keys.audit_key_pem = "-----BEGIN PRIVATE KEY-----";
  EXPECT_TRUE(backup(log.get(), options).with_secrets);
  const auto status = std::filesystem::status(archive());
  EXPECT_EQ(status.permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto report = verify_archive(archive(), {});
  ASSERT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(report.keys.token_secret, "token-secret-bytes");
  EXPECT_EQ(report.keys.audit_key_pem, "-----BEGIN PRIVATE KEY-----");
  // No temporary file is left beside it.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(ArchiveTest, EmptyLogRoundTrips) {
  open_at_new().reset();
  const auto manifest = backup(nullptr);  // through the folder, as `rembuk backup --data` does
  EXPECT_EQ(manifest.events, 0u);
  ASSERT_TRUE(verify_archive(archive(), {}).ok());
  ASSERT_TRUE(restore(target()).ok());
  EXPECT_EQ(open_at(target())->head()->position, 0u);
}

TEST_F(ArchiveTest, EveryTruncationIsRefusedAsTruncated) {
  auto log = open_at_new();
  fill_small(*log);
  backup(log.get());
  const std::string bytes = slurp(archive());
  const auto cut = dir_.path() / "cut";
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    spit(cut, bytes.substr(0, size));
    const auto report = verify_archive(cut.string(), {});
    ASSERT_FALSE(report.ok()) << "cut at " << size;
    ASSERT_TRUE(report.fault == ArchiveFault::truncated ||
                (size < 8 && report.fault == ArchiveFault::not_archive))
        << "cut at " << size << ": " << report.reason;
  }
  ArchiveStore where;
  where.lmdb_path = target();
  spit(cut, bytes.substr(0, bytes.size() - 1));
  auto refused = restore_archive(cut.string(), where, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("truncated"), std::string::npos) << refused.error().message;
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(target()) / "data.mdb"));
}

TEST_F(ArchiveTest, EveryFlippedByteIsFoundAndNamed) {
  auto log = open_at_new();
  fill_small(*log);
  backup(log.get());
  const std::string bytes = slurp(archive());
  const auto bad = dir_.path() / "bad";
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    spit(bad, flipped);
    const auto report = verify_archive(bad.string(), {});
    ASSERT_FALSE(report.ok()) << "flipped byte " << at;
    if (at >= 12) {
      ASSERT_EQ(report.fault, ArchiveFault::damaged) << "byte " << at << ": " << report.reason;
      ASSERT_NE(report.reason.find("frame"), std::string::npos) << report.reason;
      ASSERT_LE(report.offset, at);
    }
  }
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x01;
  spit(bad, flipped);
  ArchiveStore where;
  where.lmdb_path = target();
  auto refused = restore_archive(bad.string(), where, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("damaged"), std::string::npos) << refused.error().message;
}

TEST_F(ArchiveTest, NewerFormatIsRefusedByName) {
  auto log = open_at_new();
  fill(*log, 1);
  backup(log.get());
  std::string bytes = slurp(archive());
  bytes[11] = static_cast<char>(archive_format_version + 1);
  spit(archive(), bytes);
  const auto report = verify_archive(archive(), {});
  EXPECT_EQ(report.fault, ArchiveFault::newer_format);
  auto refused = restore(target());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("newer than this rembuk reads"), std::string::npos)
      << refused.error().message;
}

TEST_F(ArchiveTest, NotAnArchiveIsRefused) {
  spit(archive(), "{\"this\": \"is json\"}");
  EXPECT_EQ(verify_archive(archive(), {}).fault, ArchiveFault::not_archive);
  EXPECT_EQ(verify_archive(target("missing"), {}).fault, ArchiveFault::unreadable);
}

TEST_F(ArchiveTest, TargetHoldingEventsIsRefusedAndUntouched) {
  auto log = open_at_new();
  fill(*log, 1);
  backup(log.get());
  const auto before = log->head();
  log->close();
  auto refused = restore(source());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("already holds an event log with"), std::string::npos)
      << refused.error().message;
  auto again = open_at(source());
  EXPECT_EQ(again->head()->hash, before->hash);
  EXPECT_TRUE(again->verify().ok);
}

TEST_F(ArchiveTest, UntilRestoresTheLogAsItStoodThen) {
  auto log = open_at_new();
  fill(*log);
  backup(log.get());
  const auto events = all_events(*log);
  // Every position that ends an append: the log as it stood there.
  for (const Position until : {Position{1}, Position{40}, Position{100}, Position{events.size()}}) {
    auto at = events[until - 1];
    auto found = at.command_id.empty() ? std::optional<AppendResult>()
                                       : *log->find_command(at.command_id);
    if (found && found->last_position != until) continue;
    const auto to = target("until-" + std::to_string(until));
    auto restored = restore(to, until);
    ASSERT_TRUE(restored.ok()) << until << ": " << restored.error().message;
    EXPECT_EQ(restored->restored.position, until);
    EXPECT_EQ(restored->restored.hash, at.hash);
    auto copy = open_at(to);
    expect_same_log(*log, *copy, until);
  }
  // Inside a multi-event append, and past the head: refused, naming why.
  Position inside = 0;
  for (const auto& e : events) {
    if (e.command_id.empty()) continue;
    auto range = *log->find_command(e.command_id);
    if (range->last_position > range->first_position) {
      inside = range->first_position;
      break;
    }
  }
  ASSERT_GT(inside, 0u);
  auto split = restore(target("split"), inside);
  ASSERT_FALSE(split.ok());
  EXPECT_NE(split.error().message.find("inside the append of command"), std::string::npos)
      << split.error().message;
  auto past = restore(target("past"), events.size() + 1);
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.error().message.find("past the archive's head"), std::string::npos);
}

TEST_F(ArchiveTest, BackupUnderWriteLoadHoldsEveryAckedEventAndNoHalfAppend) {
  auto log = open_at_new();
  fill(*log, 1);
  std::atomic<bool> stop{false};
  std::atomic<Position> acked{0};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      auto r = log->append(request("plan-load-" + std::to_string(i % 7), 1 + i % 4,
                                   ExpectedRevision::any(), "load-" + std::to_string(i)));
      if (r.ok()) acked.store(r->last_position);
    }
  });
  ASSERT_TRUE(eventually([&] { return acked.load() > 500; }));
  const Position acked_before = acked.load();
  const auto manifest = backup(log.get());
  ASSERT_TRUE(eventually([&] { return acked.load() > manifest.head.position + 100; }));
  stop = true;
  writer.join();
  EXPECT_GE(manifest.head.position, acked_before);
  const auto report = verify_archive(archive(), {});
  ASSERT_TRUE(report.ok()) << report.reason;  // no append split: every command's range inside
  auto restored = restore(target());
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  auto copy = open_at(target());
  expect_same_log(*log, *copy, manifest.head.position);
}

TEST_F(ArchiveTest, FailedWriteLeavesNoArchive) {
  auto log = open_at_new();
  fill(*log, 1);
  ArchiveStore from;
  from.lmdb_path = source();
  auto written = write_archive(from, (dir_.path() / "no-such-folder" / "x").string(), {});
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("cannot create"), std::string::npos);
  ArchiveStore nothing;
  nothing.lmdb_path = target("no-log-here");
  auto none = write_archive(nothing, archive(), {});
  ASSERT_FALSE(none.ok());
  EXPECT_FALSE(std::filesystem::exists(archive()));
}

// LMDB -> archive -> PostgreSQL -> archive -> LMDB: the same bytes of history, both verify.
TEST_F(ArchiveTest, LmdbToPostgresAndBack) {
  if (!postgres_backend_available()) GTEST_SKIP() << "this build has no libpq (libpq-dev)";
#ifdef REMBUK_PG_FIXTURE
  auto& server = rembuk::testing::PgServer::instance();
  if (!server.available()) {
    if (server.missing()) GTEST_SKIP() << server.why_not();
    FAIL() << server.why_not();
  }
  auto log = open_at_new();
  fill(*log);
  backup(log.get());
  PostgresOptions pg;
  pg.conninfo = server.conninfo();
  pg.schema = server.unique_schema();
  ArchiveStore to_pg;
  to_pg.postgres = pg;
  auto loaded = restore_archive(archive(), to_pg, {});
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  {
    pg.create_if_missing = false;
    auto on_pg = open_postgres_event_log(pg);
    ASSERT_TRUE(on_pg.ok()) << on_pg.error().message;
    expect_same_log(*log, **on_pg);
  }
  // A second restore into the same schema is refused: it holds events.
  auto again = restore_archive(archive(), to_pg, {});
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already holds"), std::string::npos);

  const auto from_pg = (dir_.path() / "from-pg.rembuk-backup").string();
  auto written = write_archive(to_pg, from_pg, {});
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(written->source, "postgres");
  ASSERT_TRUE(verify_archive(from_pg, {}).ok());
  ArchiveStore back;
  back.lmdb_path = target("back");
  auto restored = restore_archive(from_pg, back, {});
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  auto copy = open_at(target("back"));
  expect_same_log(*log, *copy);
  // Identical at several versions: the prefix up to each position has the same head hash.
  for (const Position at : {Position{1}, Position{57}, Position{200}}) {
    auto a = log->read_all(at, 1);
    auto b = copy->read_all(at, 1);
    ASSERT_TRUE(a.ok() && b.ok() && !a->empty() && !b->empty());
    EXPECT_EQ(a->front().hash, b->front().hash);
  }
#else
  GTEST_SKIP() << "built without the PostgreSQL fixture";
#endif
}

}  // namespace
}  // namespace rembuk::store::testing
