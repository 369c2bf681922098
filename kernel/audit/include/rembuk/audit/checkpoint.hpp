// A signed checkpoint: one event of type "CheckpointSigned" in the masterplan's own
// checkpoint stream `$checkpoints/<masterplan>` of the same log (so it is itself in the hash
// chain). It says "the masterplan's first `revision` events have digest `streamDigest`; the
// last of them is at global position `position` with record hash `headHash`", signed with
// the server's Ed25519 key. docs/audit.md has the reasoning.
//
// Payload (JSON object, keys in this order):
//   {"masterplan", "revision", "streamDigest", "position", "headHash", "signedAtUs",
//    "signedAt", "reason": "every"|"status"|"seal", "algorithm": "Ed25519", "keyId",
//    "signature"}
// The signature covers (every field NUL-separated, numbers in decimal, hashes in hex):
//   "rembuk-checkpoint/1" 0 masterplan 0 revision 0 streamDigest 0 position 0 headHash 0
//   signedAtUs 0 reason 0 keyId
// A stream name never holds NUL, so this message has one reading.
//
// Thread safety: pure functions over values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rembuk/audit/signing_key.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::audit {

inline constexpr std::string_view checkpoint_event_type = "CheckpointSigned";
inline constexpr std::string_view checkpoint_stream_prefix = "$checkpoints/";

// "$checkpoints/<masterplan>"; nullopt when that name would break the store's 200-byte limit.
std::optional<std::string> checkpoint_stream_of(std::string_view masterplan);
// True for system streams (names starting with '$'): they are no masterplans.
bool is_system_stream(std::string_view stream);

struct Checkpoint {
  std::string masterplan;
  store::Revision revision = 0;
  store::Hash stream_digest{};
  store::Position position = 0;
  store::Hash head_hash{};
  std::int64_t signed_at_us = 0;
  std::string reason;  // "every", "status" or "seal"
  std::string key_id;
  std::string signature;  // 64 raw bytes

  // The bytes the signature covers (see above).
  std::string signed_message() const;
  // Fills key_id and signature.
  void sign_with(const SigningKey& key);
  // The payload JSON text (see above).
  std::string to_payload() const;
};

// Parses a payload; nullopt with `why` set when a field is missing or malformed.
std::optional<Checkpoint> checkpoint_from_payload(std::string_view payload, std::string* why);

// True for the events that change a masterplan's status (submit, review, approve, reopen):
// each gets its own checkpoint.
bool is_status_change(std::string_view event_type);

}  // namespace rembuk::audit
