// The binary event record stored in the `events` database. Grammar and hash: see the top of
// record_codec.cpp and docs/event-record.md.
//
// Thread safety: free functions over values; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rembuk/store/event_log.hpp"

namespace rembuk::store::record {

inline constexpr std::uint8_t record_format = 1;
inline constexpr std::size_t hash_size = 32;
// A record's bytes besides its five strings: format, position, revision, schema version,
// time, five length prefixes, prev_hash and hash.
inline constexpr std::size_t fixed_bytes = 1 + 8 + 8 + 4 + 8 + 5 * 4 + 2 * hash_size;

// The fields of a record, borrowed (so the writer encodes without copying payloads).
struct RecordFields {
  Position position = 0;
  std::string_view stream;
  Revision revision = 0;
  std::string_view type;
  std::uint32_t schema_version = 1;
  std::int64_t time_us = 0;
  std::string_view actor;
  std::string_view command_id;
  std::string_view payload;
};

RecordFields fields_of(const RecordedEvent& event);

// The bytes the hash covers after prev_hash: every field except prev_hash and hash.
// Appends to `out` (so a caller can reuse one buffer).
void append_canonical(std::string& out, const RecordFields& fields);

// Appends a hash's 32 bytes to `out`.
void append_hash(std::string& out, const Hash& hash);

// SHA-256(prev_hash ‖ canonical).
Hash compute_hash(const Hash& prev_hash, std::string_view canonical);

// Appends the whole stored record of a new event, canonical ‖ prev_hash ‖ hash, to `out`, and
// returns its hash (the next event's prev_hash). What every writer of the log does per event.
Hash append_record(std::string& out, const RecordFields& fields, const Hash& prev_hash);

// canonical ‖ prev_hash ‖ hash. Uses event.prev_hash and event.hash as given.
std::string encode(const RecordedEvent& event);

// Parses a stored record; nullopt when the bytes do not follow the grammar (corrupt).
// Does not check the hash (see verify()).
std::optional<RecordedEvent> decode(std::string_view bytes);

// A stored record parsed in place: its strings point into `bytes`, which must outlive it.
// For walks over many records (verify) that need no copies.
struct RecordView {
  RecordFields fields;
  Hash prev_hash{};
  Hash hash{};
};
std::optional<RecordView> view(std::string_view bytes);

// The canonical part of a stored record (all but the last 64 bytes); empty when too short.
std::string_view canonical_part(std::string_view bytes);

// The stored hash (last 32 bytes). REQUIRES: bytes.size() >= 64.
Hash stored_hash(std::string_view bytes);

}  // namespace rembuk::store::record
