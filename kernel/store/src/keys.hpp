// Keys and small values of the named databases (docs/event-record.md, "Named databases").
//
//   events    position:u64                      -> record (record_codec.hpp)
//   streams   stream 0x00 revision:u64          -> position:u64
//   heads     stream                            -> revision:u64 position:u64
//   commands  command_id                        -> first_position:u64 last_position:u64
//                                                  first_revision:u64 last_revision:u64
//   snapshots stream 0x00 revision:u64          -> snapshot bytes
//   meta      "format"                          -> format version:u32
//
// Integers are fixed width, big-endian, so that LMDB's byte order is numeric order. A stream
// name holds no NUL, so "stream 0x00" is a prefix no other stream's keys share.
#pragma once

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

// The prefix every key of `stream` in `streams` and `snapshots` starts with.
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

// Splits a `streams`/`snapshots` key; nullopt when it is not one.
struct StreamRevision {
  std::string_view stream;
  Revision revision;
};
inline std::optional<StreamRevision> parse_stream_revision_key(std::string_view key) {
  if (key.size() < 9 || key[key.size() - 9] != '\0') return std::nullopt;
  return StreamRevision{key.substr(0, key.size() - 9), get_u64(key.substr(key.size() - 8))};
}

struct HeadValue {
  Revision revision = 0;
  Position position = 0;
};
inline std::string encode_head(const HeadValue& head) {
  std::string out;
  out.reserve(16);
  put_u64(out, head.revision);
  put_u64(out, head.position);
  return out;
}
inline std::optional<HeadValue> decode_head(std::string_view bytes) {
  if (bytes.size() != 16) return std::nullopt;
  return HeadValue{get_u64(bytes), get_u64(bytes.substr(8))};
}

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

inline constexpr std::string_view format_key = "format";
inline constexpr std::uint32_t format_version = 1;

}  // namespace rembuk::store::keys
