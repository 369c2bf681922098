// The record format: round trip, hash definition, and refusal of malformed bytes.
#include <gtest/gtest.h>

#include "keys.hpp"
#include "record_codec.hpp"
#include "sha256.hpp"

namespace rembuk::store {
namespace {

RecordedEvent sample() {
  RecordedEvent e;
  e.position = 42;
  e.stream = "padang/masterplan";
  e.revision = 7;
  e.type = "ProgramAdded";
  e.schema_version = 2;
  e.time_us = -5;  // before 1970 still round-trips (two's complement)
  e.actor = "user-1";
  e.command_id = "cmd-9";
  e.payload = "{\"a\":1}";
  e.prev_hash.fill(0x11);
  return e;
}

TEST(RecordCodecTest, RoundTrips) {
  RecordedEvent e = sample();
  std::string canonical;
  record::append_canonical(canonical, record::fields_of(e));
  e.hash = record::compute_hash(e.prev_hash, canonical);
  const std::string bytes = record::encode(e);
  EXPECT_EQ(bytes.size(), canonical.size() + 64);
  EXPECT_EQ(record::canonical_part(bytes), canonical);
  EXPECT_EQ(record::stored_hash(bytes), e.hash);
  auto back = record::decode(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->position, e.position);
  EXPECT_EQ(back->stream, e.stream);
  EXPECT_EQ(back->revision, e.revision);
  EXPECT_EQ(back->type, e.type);
  EXPECT_EQ(back->schema_version, e.schema_version);
  EXPECT_EQ(back->time_us, e.time_us);
  EXPECT_EQ(back->actor, e.actor);
  EXPECT_EQ(back->command_id, e.command_id);
  EXPECT_EQ(back->payload, e.payload);
  EXPECT_EQ(back->prev_hash, e.prev_hash);
  EXPECT_EQ(back->hash, e.hash);
}

TEST(RecordCodecTest, FollowsTheDocumentedGrammar) {
  RecordedEvent e = sample();
  std::string canonical;
  record::append_canonical(canonical, record::fields_of(e));
  std::string expected;
  expected.push_back('\x01');
  keys::put_u64(expected, 42);
  keys::put_u32(expected, 17);
  expected += "padang/masterplan";
  keys::put_u64(expected, 7);
  keys::put_u32(expected, 12);
  expected += "ProgramAdded";
  keys::put_u32(expected, 2);
  keys::put_u64(expected, static_cast<std::uint64_t>(-5));
  keys::put_u32(expected, 6);
  expected += "user-1";
  keys::put_u32(expected, 5);
  expected += "cmd-9";
  keys::put_u32(expected, 7);
  expected += "{\"a\":1}";
  EXPECT_EQ(canonical, expected);
  // hash = SHA-256(prev_hash ‖ canonical), computed independently here.
  Sha256 sha;
  sha.update(std::string(32, '\x11') + expected);
  EXPECT_EQ(record::compute_hash(e.prev_hash, canonical), sha.finish());
}

TEST(RecordCodecTest, KnownSha256) {
  Sha256 sha;
  sha.update("abc");
  EXPECT_EQ(to_hex(sha.finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RecordCodecTest, RefusesMalformedBytes) {
  const std::string bytes = record::encode(sample());
  EXPECT_FALSE(record::decode("").has_value());
  EXPECT_FALSE(record::decode(bytes.substr(0, bytes.size() - 1)).has_value());
  EXPECT_FALSE(record::decode(bytes + "x").has_value());
  std::string wrong_format = bytes;
  wrong_format[0] = '\x02';
  EXPECT_FALSE(record::decode(wrong_format).has_value());
  std::string huge_length = bytes;
  huge_length[9] = '\x7f';  // first byte of the stream's length
  EXPECT_FALSE(record::decode(huge_length).has_value());
}

TEST(KeysTest, StreamKeysSortByStreamThenRevision) {
  const auto a2 = keys::stream_revision_key("a", 2);
  const auto a256 = keys::stream_revision_key("a", 256);
  const auto ab1 = keys::stream_revision_key("ab", 1);
  EXPECT_LT(a2, a256);
  EXPECT_LT(a256, ab1);
  auto parsed = keys::parse_stream_revision_key(a256);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->stream, "a");
  EXPECT_EQ(parsed->revision, 256u);
}

}  // namespace
}  // namespace rembuk::store
