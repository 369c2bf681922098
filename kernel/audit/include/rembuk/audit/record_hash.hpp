// The record hash of docs/event-record.md, computed from a record's fields alone, so that a
// bundle verifies without the store (and without a data folder):
//
//   canonical := format:u8(=1) position:u64 stream:string revision:u64 type:string
//                schema_version:u32 time_us:i64 actor:string command_id:string payload:string
//   string    := length:u32 byte[length]              (all integers big-endian)
//   hash      := SHA-256(prev_hash ‖ canonical)
//
// and the per-masterplan digest chain of docs/audit.md:
//
//   digest(0) := 32 zero bytes
//   digest(r) := SHA-256(digest(r-1) ‖ hash of the masterplan's event at revision r)
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rembuk/store/event_log.hpp"

namespace rembuk::audit {

// SHA-256(event.prev_hash ‖ canonical(event)); compare with event.hash.
store::Hash record_hash(const store::RecordedEvent& event);

// digest(r) from digest(r-1) and the hash of the event at revision r.
store::Hash next_stream_digest(const store::Hash& previous, const store::Hash& event_hash);

// SHA-256 of arbitrary bytes.
store::Hash sha256(std::string_view bytes);

// Lower-case hex of any bytes.
std::string hex(std::string_view bytes);
// Parses exactly 2*N lower-case hex digits into N bytes; nullopt for anything else
// (upper case included, so one text has one meaning).
std::optional<std::string> parse_hex(std::string_view text);
std::optional<store::Hash> parse_hash_hex(std::string_view text);

}  // namespace rembuk::audit
