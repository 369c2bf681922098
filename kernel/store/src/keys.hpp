// Keys and small values of the named databases (docs/event-record.md, "Named databases").
//
//   events        position:u64                  -> record (record_codec.hpp)
//   stream_chunks stream 0x00 chunk:u64         -> 32 x position:u64
//   heads         stream                        -> revision:u64 position:u64
//                                                  (revision mod 32) x position:u64
//   commands      command_id                    -> first_position:u64 last_position:u64
//                                                  first_revision:u64 last_revision:u64
//   snapshots     stream 0x00 revision:u64      -> snapshot bytes (its lasting part)
//   snapshot_tails stream 0x00 revision:u64     -> the rest of the stream's newest snapshot
//   meta          "format"                      -> format version:u32
//
// The stream index holds the position of every revision of a stream in chunks of 32: chunk c
// covers revisions 32c+1 .. 32c+32. A complete chunk is one `stream_chunks` entry; the
// incomplete last one rides in the stream's `heads` value after its revision and position.
// So an append rewrites its stream's heads entry (which it rewrites anyway) and adds a
// `stream_chunks` entry once per 32 revisions, instead of one index entry per event in a
// B-tree page of its own per stream: a commit touching 16 streams dirtied 16 more pages.
//
// Integers are fixed width, big-endian, so that LMDB's byte order is numeric order. A stream
// name holds no NUL, so "stream 0x00" is a prefix no other stream's keys share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rembuk/store/event_log.hpp"

namespace rembuk::store::keys {

inline void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
inline void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
// REQUIRES: bytes.size() >= 8 (resp. 4).
inline std::uint64_t get_u64(std::string_view bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<std::uint8_t>(bytes[i]);
  return v;
}
inline std::uint32_t get_u32(std::string_view bytes) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(bytes[i]);
  return v;
}

inline std::string position_key(Position position) {
  std::string key;
  key.reserve(8);
  put_u64(key, position);
  return key;
}

// The prefix every key of `stream` in `stream_chunks`, `snapshots` and `snapshot_tails`
// starts with.
inline std::string stream_prefix(std::string_view stream) {
  std::string key(stream);
  key.push_back('\0');
  return key;
}

inline std::string stream_revision_key(std::string_view stream, Revision revision) {
  std::string key = stream_prefix(stream);
  put_u64(key, revision);
  return key;
}

// Splits a `stream_chunks`/`snapshots`/`snapshot_tails` key; nullopt when it is not one.
struct StreamRevision {
  std::string_view stream;
  Revision revision;
};
inline std::optional<StreamRevision> parse_stream_revision_key(std::string_view key) {
  if (key.size() < 9 || key[key.size() - 9] != '\0') return std::nullopt;
  return StreamRevision{key.substr(0, key.size() - 9), get_u64(key.substr(key.size() - 8))};
}

// The stream index's chunks: chunk_of(r) holds revision r at slot_of(r).
inline constexpr Revision chunk_revisions = 32;
inline constexpr std::size_t chunk_bytes = chunk_revisions * 8;
inline Revision chunk_of(Revision revision) { return (revision - 1) / chunk_revisions; }
inline std::size_t slot_of(Revision revision) {
  return static_cast<std::size_t>((revision - 1) % chunk_revisions);
}
// The last revision in a complete chunk at a stream head of `revision`: the revisions after
// it are in the heads value.
inline Revision chunked_through(Revision revision) {
  return revision - revision % chunk_revisions;
}

struct HeadValue {
  Revision revision = 0;
  Position position = 0;
};
// `tail`: the positions of revisions chunked_through(revision)+1 .. revision, 8 bytes each.
inline std::string encode_head(const HeadValue& head, std::string_view tail = {}) {
  std::string out;
  out.reserve(16 + tail.size());
  put_u64(out, head.revision);
  put_u64(out, head.position);
  out.append(tail);
  return out;
}
// nullopt unless the value holds exactly the tail its revision calls for.
inline std::optional<HeadValue> decode_head(std::string_view bytes) {
  if (bytes.size() < 16) return std::nullopt;
  const HeadValue head{get_u64(bytes), get_u64(bytes.substr(8))};
  if (bytes.size() != 16 + 8 * (head.revision % chunk_revisions)) return std::nullopt;
  return head;
}
// REQUIRES: decode_head(bytes) succeeded.
inline std::string_view head_tail(std::string_view bytes) { return bytes.substr(16); }

inline std::string encode_append_result(const AppendResult& r) {
  std::string out;
  out.reserve(32);
  put_u64(out, r.first_position);
  put_u64(out, r.last_position);
  put_u64(out, r.first_revision);
  put_u64(out, r.last_revision);
  return out;
}
inline std::optional<AppendResult> decode_append_result(std::string_view bytes) {
  if (bytes.size() != 32) return std::nullopt;
  AppendResult r;
  r.first_position = get_u64(bytes);
  r.last_position = get_u64(bytes.substr(8));
  r.first_revision = get_u64(bytes.substr(16));
  r.last_revision = get_u64(bytes.substr(24));
  return r;
}

// Format 2: the stream index in chunks (`stream_chunks`, heads with a tail). Format 1 had one
// `streams` entry per event (stream 0x00 revision:u64 -> position:u64) and 16-byte heads; it
// is converted when opened (log_environment.cpp).
inline constexpr std::string_view format_key = "format";
inline constexpr std::uint32_t format_version = 2;

}  // namespace rembuk::store::keys
