// verify(): a sound log passes; each kind of damage is found and located.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "raw_lmdb.hpp"
#include "record_codec.hpp"
#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::be64;
using testing::edit_raw;
using testing::flip_byte;
using testing::open_log;
using testing::options_for;
using testing::request;
using testing::TempDir;

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = open_log(options_);
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(log->append(request("s" + std::to_string(i % 3), 2, ExpectedRevision::any(),
                                      "cmd-" + std::to_string(i)))
                      .ok());
    }
    const auto report = log->verify();
    ASSERT_TRUE(report.ok) << report.reason;
    ASSERT_EQ(report.events_checked, 20u);
  }
  // verify() on one thread in one range, and split into ranges of 3 positions over 2
  // threads: both find the same fault with the same words.
  VerifyReport verify_again() {
    auto log = open_log(options_);
    const auto whole = log->verify();
    VerifyOptions split;
    split.threads = 2;
    split.range_positions = 3;
    const auto ranges = verify_lmdb_log(*log, split);
    EXPECT_EQ(ranges.ok, whole.ok);
    EXPECT_EQ(ranges.bad_position, whole.bad_position);
    EXPECT_EQ(ranges.events_checked, whole.events_checked);
    EXPECT_EQ(ranges.reason, whole.reason);
    return whole;
  }

  // Writes the `commands` entry `key` -> positions first..last, revisions first_revision..
  // last_revision, into the closed log, over what was there.
  void put_commands_entry(const std::string& key, std::uint64_t first, std::uint64_t last,
                          std::uint64_t first_revision = 1, std::uint64_t last_revision = 2) {
    edit_raw(options_.path, "commands", [&](MDB_txn* txn, MDB_dbi dbi) {
      std::string value = be64(first) + be64(last) + be64(first_revision) + be64(last_revision);
      MDB_val k{key.size(), const_cast<char*>(key.data())};
      MDB_val v{value.size(), value.data()};
      ASSERT_EQ(mdb_put(txn, dbi, &k, &v, 0), 0);
    });
  }

  TempDir dir_;
  LmdbOptions options_ = options_for(dir_);
};

TEST_F(VerifyTest, OneFlippedPayloadByteIsFoundAtItsPosition) {
  flip_byte(options_.path, "events", be64(7), -66);  // the payload's last byte
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 7u);
  EXPECT_EQ(report.events_checked, 6u);
  EXPECT_NE(report.reason.find("hash"), std::string::npos) << report.reason;
}

TEST_F(VerifyTest, AFlippedStoredHashIsFound) {
  flip_byte(options_.path, "events", be64(12), -1);
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 12u);
}

TEST_F(VerifyTest, ARewrittenRecordWithItsOwnHashFixedBreaksTheNextLink) {
  edit_raw(options_.path, "events", [](MDB_txn* txn, MDB_dbi dbi) {
    const std::string key = be64(4);
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{};
    ASSERT_EQ(mdb_get(txn, dbi, &k, &v), 0);
    auto event = record::decode({static_cast<const char*>(v.mv_data), v.mv_size});
    ASSERT_TRUE(event.has_value());
    event->payload = "{\"forged\":true}";
    std::string canonical;
    record::append_canonical(canonical, record::fields_of(*event));
    event->hash = record::compute_hash(event->prev_hash, canonical);
    std::string bytes = record::encode(*event);
    MDB_val nv{bytes.size(), bytes.data()};
    ASSERT_EQ(mdb_put(txn, dbi, &k, &nv, 0), 0);
  });
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 5u);
  EXPECT_NE(report.reason.find("prev_hash"), std::string::npos) << report.reason;
}

TEST_F(VerifyTest, AMissingEventIsFound) {
  edit_raw(options_.path, "events", [](MDB_txn* txn, MDB_dbi dbi) {
    const std::string key = be64(9);
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    ASSERT_EQ(mdb_del(txn, dbi, &k, nullptr), 0);
  });
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 9u);
}

TEST_F(VerifyTest, AnUndecodableRecordIsFound) {
  flip_byte(options_.path, "events", be64(3), 0);  // the format byte
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 3u);
  // Reading it is refused as corrupt, not returned as garbage.
  auto read = open_log(options_)->read_all(3, 1);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::corrupt);
}

TEST_F(VerifyTest, ARevisionJumpIsFoundAlsoWhereARangeBegins) {
  // s0 has positions 1,2 (cmd-0) then 7,8 (cmd-3). Position 7 now says revision 4 instead of
  // 3, and every hash from there on is recomputed, so the chain itself is sound. Split into
  // ranges of 3, position 7 opens the third range: only joining the ranges sees the jump.
  edit_raw(options_.path, "events", [](MDB_txn* txn, MDB_dbi dbi) {
    Hash prev{};
    for (std::uint64_t p = 6; p <= 20; ++p) {
      const std::string key = be64(p);
      MDB_val k{key.size(), const_cast<char*>(key.data())};
      MDB_val v{};
      ASSERT_EQ(mdb_get(txn, dbi, &k, &v), 0);
      auto event = record::decode({static_cast<const char*>(v.mv_data), v.mv_size});
      ASSERT_TRUE(event.has_value());
      if (p == 6) {
        prev = event->hash;
        continue;
      }
      if (p == 7) event->revision = 4;
      event->prev_hash = prev;
      std::string canonical;
      record::append_canonical(canonical, record::fields_of(*event));
      event->hash = record::compute_hash(prev, canonical);
      prev = event->hash;
      std::string bytes = record::encode(*event);
      MDB_val nv{bytes.size(), bytes.data()};
      ASSERT_EQ(mdb_put(txn, dbi, &k, &nv, 0), 0);
    }
  });
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 7u);
  EXPECT_EQ(report.events_checked, 6u);
  EXPECT_NE(report.reason.find("'s0' jumps from revision 2 to 4"), std::string::npos)
      << report.reason;
}

TEST_F(VerifyTest, ALongLogSplitIntoRangesOnTwoThreadsIsSound) {
  auto log = open_log(options_);
  std::uint64_t events = 20;  // the fixture's
  for (int i = 0; i < 500; ++i) {
    events += static_cast<std::uint64_t>(1 + i % 3);
    ASSERT_TRUE(log->append(request("t" + std::to_string(i % 7), 1 + i % 3,
                                    ExpectedRevision::any(), "long-" + std::to_string(i)))
                    .ok());
  }
  std::vector<VerifyProgress> seen;
  VerifyOptions split;
  split.threads = 2;
  split.range_positions = 37;
  split.progress = [&](const VerifyProgress& p) { seen.push_back(p); };
  const auto report = verify_lmdb_log(*log, split);
  ASSERT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.events_checked, events);
  for (const auto& p : seen) {
    EXPECT_EQ(p.events_total, report.events_checked);
    EXPECT_LE(p.events_done, p.events_total);
  }
}

// Rewrites the heads value of `stream` through `change` (which sees the whole value).
void edit_head(const std::string& path, const std::string& stream,
               const std::function<void(std::string&)>& change) {
  edit_raw(path, "heads", [&](MDB_txn* txn, MDB_dbi dbi) {
    MDB_val k{stream.size(), const_cast<char*>(stream.data())};
    MDB_val v{};
    ASSERT_EQ(mdb_get(txn, dbi, &k, &v), 0);
    std::string value(static_cast<const char*>(v.mv_data), v.mv_size);
    change(value);
    MDB_val nv{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, dbi, &k, &nv, 0), 0);
  });
}

TEST_F(VerifyTest, AWrongHeadsEntryIsFound) {
  // s1 is at revision 6, position 16; the head says position 99 (its index tail intact).
  edit_head(options_.path, "s1", [](std::string& value) {
    ASSERT_EQ(value.size(), 16u + 6 * 8);
    value.replace(8, 8, be64(99));
  });
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 0u);
  EXPECT_NE(report.reason.find("s1"), std::string::npos) << report.reason;
}

TEST_F(VerifyTest, AHeadsEntryWithoutItsIndexTailIsFoundAtTheStreamsFirstEvent) {
  // s1's first event is at position 3; without the tail its revisions have no index.
  edit_head(options_.path, "s1", [](std::string& value) { value.resize(16); });
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 3u);
  EXPECT_NE(report.reason.find("stream index"), std::string::npos) << report.reason;
}

TEST_F(VerifyTest, AWrongPositionInTheStreamIndexIsFound) {
  // s2 gets positions 5,6 (cmd-2) then 11,12 (cmd-5): revision 2 is position 6. Its index
  // (six revisions, no complete chunk) is the head's tail; slot 2 now says position 1.
  edit_head(options_.path, "s2", [](std::string& value) { value.replace(16 + 8, 8, be64(1)); });
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 6u);
}

TEST_F(VerifyTest, AnExtraIndexChunkIsFound) {
  edit_raw(options_.path, "stream_chunks", [](MDB_txn* txn, MDB_dbi dbi) {
    std::string key = std::string("ghost") + '\0' + be64(0);
    std::string value;
    for (int i = 1; i <= 32; ++i) value += be64(static_cast<std::uint64_t>(i));
    MDB_val k{key.size(), key.data()};
    MDB_val v{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, dbi, &k, &v, 0), 0);
  });
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 0u);
  EXPECT_NE(report.reason.find("chunks"), std::string::npos) << report.reason;
}

TEST_F(VerifyTest, AWrongCommandsEntryIsFound) {
  put_commands_entry("cmd-3", 1, 2);
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  // cmd-3 wrote positions 7 and 8; its entry now claims 1..2.
  EXPECT_EQ(report.bad_position, 7u);
}

// An entry no event points back to: the walk never looks it up, so only the count of entries
// against the ends the events confirmed can notice it, and the entries are then read to name it.
TEST_F(VerifyTest, ACommandsEntryOfNoEventIsFoundAndNamed) {
  put_commands_entry("cmd-ghost", 5, 6);  // cmd-2's events
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 5u);
  EXPECT_NE(report.reason.find("'cmd-ghost' names an event of another command"), std::string::npos)
      << report.reason;
}

TEST_F(VerifyTest, ACommandsEntryBeyondTheLogIsFound) {
  put_commands_entry("cmd-later", 21, 22);
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 0u);
  EXPECT_NE(report.reason.find("'cmd-later' points outside the log"), std::string::npos)
      << report.reason;
}

// The walk sums its events' (command, position, revision) tuples against the ones the entries
// spell out, instead of looking each command up. An entry whose events and first revision are
// right but whose last revision is not: no event's lookup could tell, the entries' side does.
TEST_F(VerifyTest, ACommandsEntryWithAWrongLastRevisionIsFound) {
  put_commands_entry("cmd-3", 7, 8, 3, 9);  // cmd-3 wrote revisions 3..4 of s0 at 7..8
  const auto report = verify_again();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 0u);
  EXPECT_NE(report.reason.find("'cmd-3' spans more revisions or positions than the other"),
            std::string::npos)
      << report.reason;
}

}  // namespace
}  // namespace rembuk::store
