// The stream index in chunks of 32 revisions (keys.hpp): reads across chunk boundaries, a
// damaged chunk found by verify, and a format-1 log (one index entry per event) converted when
// it is opened.
#include <gtest/gtest.h>
#include <lmdb.h>

#include <map>
#include <string>
#include <vector>

#include "raw_lmdb.hpp"
#include "test_log.hpp"

namespace rembuk::store {
namespace {

using testing::be64;
using testing::edit_raw;
using testing::edit_raw_txn;
using testing::open_log;
using testing::options_for;
using testing::request;
using testing::TempDir;

// Two streams interleaved: "long" gets 1, 2 or 3 events per append up to 75 revisions (two
// complete chunks and 11 in its head), "short" one event now and then. Returns the position
// of every revision of "long" (index 0 = revision 1).
std::vector<Position> write_streams(EventLog& log) {
  std::vector<Position> positions;
  int n = 0;
  while (positions.size() < 75) {
    const int events = std::min<int>(1 + n % 3, 75 - static_cast<int>(positions.size()));
    auto appended = log.append(request("long", events));
    EXPECT_TRUE(appended.ok());
    if (!appended.ok()) return positions;
    for (Position p = appended.value().first_position; p <= appended.value().last_position; ++p) {
      positions.push_back(p);
    }
    if (++n % 4 == 0) {
      EXPECT_TRUE(log.append(request("short")).ok());
    }
  }
  return positions;
}

std::vector<Position> positions_of(const std::vector<RecordedEvent>& events) {
  std::vector<Position> out;
  for (const auto& e : events) out.push_back(e.position);
  return out;
}

std::vector<Position> slice(const std::vector<Position>& all, Revision first, Revision last) {
  return {all.begin() + static_cast<long>(first - 1), all.begin() + static_cast<long>(last)};
}

void expect_reads(EventLog& log, const std::vector<Position>& expected) {
  auto all = log.read_stream("long", 1, 1000);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(positions_of(all.value()), expected);
  for (std::size_t i = 0; i < all.value().size(); ++i) {
    EXPECT_EQ(all.value()[i].revision, i + 1);
    EXPECT_EQ(all.value()[i].stream, "long");
  }
  // Across the chunk boundaries 32|33 and 64|65, forward and backward.
  auto across = log.read_stream("long", 30, 6);
  ASSERT_TRUE(across.ok());
  EXPECT_EQ(positions_of(across.value()), slice(expected, 30, 35));
  auto into_head = log.read_stream("long", 62, 100);
  ASSERT_TRUE(into_head.ok());
  EXPECT_EQ(positions_of(into_head.value()), slice(expected, 62, 75));
  auto backward = log.read_stream_backward("long", 66, 4);
  ASSERT_TRUE(backward.ok());
  EXPECT_EQ(positions_of(backward.value()),
            (std::vector<Position>{expected[65], expected[64], expected[63], expected[62]}));
}

// A closed log with write_streams() in it.
class StreamIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = open_log(options_);
    positions_ = write_streams(*log);
    ASSERT_EQ(positions_.size(), 75u);
    expect_reads(*log, positions_);
    const auto report = log->verify();
    ASSERT_TRUE(report.ok) << report.reason;
  }

  TempDir dir_;
  const LmdbOptions options_ = options_for(dir_);
  std::vector<Position> positions_;  // of "long", index 0 = revision 1
};

TEST_F(StreamIndexTest, ReadsAcrossChunksAndTheHeadsTail) {
  auto reopened = open_log(options_);
  expect_reads(*reopened, positions_);
}

TEST_F(StreamIndexTest, AWrongPositionInAChunkIsFoundAtThatEvent) {
  // Revision 40 is slot 7 of chunk 1; make it say revision 39's position.
  edit_raw(options_.path, "stream_chunks", [&](MDB_txn* txn, MDB_dbi dbi) {
    std::string key = std::string("long") + '\0' + be64(1);
    MDB_val k{key.size(), key.data()};
    MDB_val v{};
    ASSERT_EQ(mdb_get(txn, dbi, &k, &v), 0);
    std::string value(static_cast<const char*>(v.mv_data), v.mv_size);
    ASSERT_EQ(value.size(), 32u * 8);
    value.replace(7 * 8, 8, be64(positions_[38]));
    MDB_val nv{value.size(), value.data()};
    ASSERT_EQ(mdb_put(txn, dbi, &k, &nv, 0), 0);
  });
  auto log = open_log(options_);
  const auto report = log->verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, positions_[39]);
  EXPECT_NE(report.reason.find("stream index"), std::string::npos) << report.reason;
}

TEST_F(StreamIndexTest, AMissingChunkIsFoundAtItsFirstEventAndReadsAreRefused) {
  edit_raw(options_.path, "stream_chunks", [&](MDB_txn* txn, MDB_dbi dbi) {
    std::string key = std::string("long") + '\0' + be64(0);
    MDB_val k{key.size(), key.data()};
    ASSERT_EQ(mdb_del(txn, dbi, &k, nullptr), 0);
  });
  auto log = open_log(options_);
  const auto report = log->verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, positions_[0]);
  auto read = log->read_stream("long", 1, 10);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::corrupt);
  // The chunks still there and the head's tail still read.
  auto rest = log->read_stream("long", 33, 100);
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  EXPECT_EQ(positions_of(rest.value()), slice(positions_, 33, 75));
}

using StreamPositions = std::map<std::string, std::vector<Position>>;

StreamPositions read_positions(EventLog& log) {
  StreamPositions out;
  for (const char* stream : {"long", "short"}) {
    auto events = log.read_stream(stream, 1, 1000);
    EXPECT_TRUE(events.ok());
    if (events.ok()) out[stream] = positions_of(events.value());
  }
  return out;
}

// Turns a closed log back into format 1 (what rembuk wrote before the index went to chunks):
// one `streams` entry per event, 16-byte heads, no `stream_chunks`, format 1 in `meta`.
void to_format_1(const std::string& path, const StreamPositions& streams) {
  edit_raw_txn(path, [&](MDB_txn* txn) {
    MDB_dbi heads = 0, chunks = 0, index = 0, meta = 0;
    ASSERT_EQ(mdb_dbi_open(txn, "heads", 0, &heads), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "stream_chunks", 0, &chunks), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "streams", MDB_CREATE, &index), 0);
    auto put = [&](MDB_dbi dbi, std::string key, std::string value) {
      MDB_val k{key.size(), key.data()};
      MDB_val v{value.size(), value.data()};
      ASSERT_EQ(mdb_put(txn, dbi, &k, &v, 0), 0);
    };
    for (const auto& [stream, positions] : streams) {
      for (std::size_t i = 0; i < positions.size(); ++i) {
        put(index, stream + '\0' + be64(i + 1), be64(positions[i]));
      }
      put(heads, stream, be64(positions.size()) + be64(positions.back()));
    }
    ASSERT_EQ(mdb_drop(txn, chunks, 1), 0);
    put(meta, "format", std::string("\0\0\0\1", 4));
  });
}

bool has_db(const std::string& path, const char* name) {
  MDB_env* env = nullptr;
  EXPECT_EQ(mdb_env_create(&env), 0);
  EXPECT_EQ(mdb_env_set_maxdbs(env, 8), 0);
  EXPECT_EQ(mdb_env_open(env, path.c_str(), MDB_RDONLY, 0644), 0);
  MDB_txn* txn = nullptr;
  EXPECT_EQ(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn), 0);
  MDB_dbi dbi = 0;
  const bool found = mdb_dbi_open(txn, name, 0, &dbi) == 0;
  mdb_txn_abort(txn);
  mdb_env_close(env);
  return found;
}

TEST_F(StreamIndexTest, AFormat1LogIsConvertedWhenOpened) {
  const auto before = read_positions(*open_log(options_));
  ASSERT_EQ(before.at("long").size(), 75u);
  to_format_1(options_.path, before);
  ASSERT_TRUE(has_db(options_.path, "streams"));
  ASSERT_FALSE(has_db(options_.path, "stream_chunks"));
  {
    auto log = open_log(options_);  // converts
    EXPECT_EQ(read_positions(*log), before);
    expect_reads(*log, before.at("long"));
    const auto report = log->verify();
    EXPECT_TRUE(report.ok) << report.reason;
    // Appends go on from the converted head: revisions 76..96 fill its third chunk.
    auto appended = log->append(request("long", 21, ExpectedRevision::exact(75)));
    ASSERT_TRUE(appended.ok()) << appended.error().message;
    EXPECT_EQ(appended.value().last_revision, 96u);
    auto tail = log->read_stream("long", 70, 100);
    ASSERT_TRUE(tail.ok());
    ASSERT_EQ(tail.value().size(), 27u);
    EXPECT_EQ(tail.value().back().position, appended.value().last_position);
    EXPECT_TRUE(log->verify().ok);
  }
  EXPECT_FALSE(has_db(options_.path, "streams"));
  EXPECT_TRUE(has_db(options_.path, "stream_chunks"));
}

TEST_F(StreamIndexTest, AFormat1LogWithAHoleInItsIndexIsRefusedAndLeftAsItWas) {
  const auto before = read_positions(*open_log(options_));
  to_format_1(options_.path, before);
  edit_raw(options_.path, "streams", [](MDB_txn* txn, MDB_dbi dbi) {
    std::string key = std::string("long") + '\0' + be64(40);
    MDB_val k{key.size(), key.data()};
    ASSERT_EQ(mdb_del(txn, dbi, &k, nullptr), 0);
  });
  auto opened = open_lmdb_event_log(options_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::corrupt);
  EXPECT_NE(opened.error().message.find("revision 40"), std::string::npos)
      << opened.error().message;
  EXPECT_TRUE(has_db(options_.path, "streams"));  // the conversion was rolled back
}

}  // namespace
}  // namespace rembuk::store
