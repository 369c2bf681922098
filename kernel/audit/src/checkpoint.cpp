#include "rembuk/audit/checkpoint.hpp"

#include <boost/json.hpp>

#include "rembuk/audit/record_hash.hpp"
#include "rembuk/projections/time_format.hpp"

namespace rembuk::audit {
namespace {

namespace json = boost::json;

std::string_view bytes_of(const store::Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

}  // namespace

std::optional<std::string> checkpoint_stream_of(std::string_view masterplan) {
  std::string stream(checkpoint_stream_prefix);
  stream += masterplan;
  if (stream.size() > store::max_stream_bytes) return std::nullopt;
  return stream;
}

bool is_system_stream(std::string_view stream) { return !stream.empty() && stream[0] == '$'; }

bool is_status_change(std::string_view type) {
  return type == "MasterplanSubmitted" || type == "ReviewStarted" ||
         type == "MasterplanApproved" || type == "MasterplanReopened";
}

std::string Checkpoint::signed_message() const {
  std::string m = "rembuk-checkpoint/1";
  auto field = [&m](std::string_view text) {
    m.push_back('\0');
    m.append(text);
  };
  field(masterplan);
  field(std::to_string(revision));
  field(hex(bytes_of(stream_digest)));
  field(std::to_string(position));
  field(hex(bytes_of(head_hash)));
  field(std::to_string(signed_at_us));
  field(reason);
  field(key_id);
  return m;
}

void Checkpoint::sign_with(const SigningKey& key) {
  key_id = key.key_id();
  signature = key.sign(signed_message());
}

std::string Checkpoint::to_payload() const {
  json::object o;
  o["masterplan"] = masterplan;
  o["revision"] = revision;
  o["streamDigest"] = hex(bytes_of(stream_digest));
  o["position"] = position;
  o["headHash"] = hex(bytes_of(head_hash));
  o["signedAtUs"] = signed_at_us;
  o["signedAt"] = projections::format_iso8601(signed_at_us);
  o["reason"] = reason;
  o["algorithm"] = "Ed25519";
  o["keyId"] = key_id;
  o["signature"] = hex(signature);
  return json::serialize(o);
}

std::optional<Checkpoint> checkpoint_from_payload(std::string_view payload, std::string* why) {
  auto set_why = [why](std::string text) {
    if (why != nullptr) *why = std::move(text);
    return std::nullopt;
  };
  boost::system::error_code ec;
  const json::value value = json::parse(payload, ec);
  if (ec || !value.is_object()) return set_why("the checkpoint payload is not a JSON object");
  const auto& o = value.as_object();
  auto str = [&o](std::string_view key) -> const json::string* {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
  };
  auto uint = [&o](std::string_view key) -> std::optional<std::uint64_t> {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_uint64()) return v->as_uint64();
    if (v->is_int64() && v->as_int64() >= 0) return static_cast<std::uint64_t>(v->as_int64());
    return std::nullopt;
  };
  Checkpoint c;
  const auto* masterplan = str("masterplan");
  const auto revision = uint("revision");
  const auto* digest = str("streamDigest");
  const auto position = uint("position");
  const auto* head = str("headHash");
  const auto* signed_at = o.if_contains("signedAtUs");
  const auto* reason = str("reason");
  const auto* algorithm = str("algorithm");
  const auto* key_id = str("keyId");
  const auto* signature = str("signature");
  if (masterplan == nullptr) return set_why("checkpoint field 'masterplan' is missing");
  if (!revision) return set_why("checkpoint field 'revision' is missing or not a number");
  if (!position) return set_why("checkpoint field 'position' is missing or not a number");
  if (signed_at == nullptr || !signed_at->is_int64()) {
    return set_why("checkpoint field 'signedAtUs' is missing or not a number");
  }
  if (reason == nullptr) return set_why("checkpoint field 'reason' is missing");
  if (algorithm == nullptr || *algorithm != "Ed25519") {
    return set_why("checkpoint field 'algorithm' is not Ed25519");
  }
  if (key_id == nullptr) return set_why("checkpoint field 'keyId' is missing");
  auto d = digest ? parse_hash_hex(*digest) : std::nullopt;
  auto h = head ? parse_hash_hex(*head) : std::nullopt;
  auto s = signature ? parse_hex(*signature) : std::nullopt;
  if (!d) return set_why("checkpoint field 'streamDigest' is not 64 lower-case hex digits");
  if (!h) return set_why("checkpoint field 'headHash' is not 64 lower-case hex digits");
  if (!s || s->size() != 64) {
    return set_why("checkpoint field 'signature' is not 128 lower-case hex digits");
  }
  c.masterplan = std::string(*masterplan);
  c.revision = *revision;
  c.stream_digest = *d;
  c.position = *position;
  c.head_hash = *h;
  c.signed_at_us = signed_at->as_int64();
  c.reason = std::string(*reason);
  c.key_id = std::string(*key_id);
  c.signature = std::move(*s);
  // The payload must be exactly what to_payload() writes, so that no byte of it is free
  // (e.g. a different 'signedAt' text next to the signed 'signedAtUs').
  if (c.to_payload() != payload) return set_why("the checkpoint payload is not in canonical form");
  return c;
}

}  // namespace rembuk::audit
