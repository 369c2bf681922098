// Event record format (format 1). One record is the value of one `events` entry.
//
//   record        := canonical prev_hash hash
//   canonical     := format:u8(=1)
//                    position:u64 stream:string revision:u64
//                    type:string schema_version:u32 time_us:i64
//                    actor:string command_id:string payload:string
//   string        := length:u32 byte[length]
//   prev_hash     := byte[32]     the previous record's hash; 32 zero bytes at position 1
//   hash          := byte[32]     SHA-256(prev_hash ‖ canonical)
//
// Integers are fixed width and big-endian; i64 is two's complement. Nothing follows hash.
// The position is inside the canonical bytes (not only in the key) so that moving a record
// to another key breaks its hash, and the chain runs across every stream in position order.
#include "record_codec.hpp"

#include <algorithm>
#include <cstring>

#include "keys.hpp"
#include "sha256.hpp"

namespace rembuk::store::record {
namespace {

void put_string(std::string& out, std::string_view s) {
  keys::put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// Reads forward through a record; any overrun makes it fail for good.
class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }

  std::uint8_t u8() {
    if (!need(1)) return 0;
    const auto v = static_cast<std::uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return v;
  }
  std::uint32_t u32() {
    if (!need(4)) return 0;
    const auto v = keys::get_u32(in_);
    in_.remove_prefix(4);
    return v;
  }
  std::uint64_t u64() {
    if (!need(8)) return 0;
    const auto v = keys::get_u64(in_);
    in_.remove_prefix(8);
    return v;
  }
  std::string string() { return std::string(string_view()); }
  std::string_view string_view() {
    const std::uint32_t size = u32();
    if (!need(size)) return {};
    const std::string_view s = in_.substr(0, size);
    in_.remove_prefix(size);
    return s;
  }
  Hash hash() {
    Hash h{};
    if (!need(h.size())) return h;
    std::memcpy(h.data(), in_.data(), h.size());
    in_.remove_prefix(h.size());
    return h;
  }

 private:
  bool need(std::size_t n) {
    if (!ok_ || in_.size() < n) ok_ = false;
    return ok_;
  }
  std::string_view in_;
  bool ok_ = true;
};

std::string_view as_bytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

}  // namespace

RecordFields fields_of(const RecordedEvent& e) {
  return RecordFields{e.position, e.stream,     e.revision,   e.type,   e.schema_version,
                      e.time_us,  e.actor,      e.command_id, e.payload};
}

void append_hash(std::string& out, const Hash& hash) { out.append(as_bytes(hash)); }

void append_canonical(std::string& out, const RecordFields& e) {
  out.reserve(out.size() + 1 + 8 + 8 + 4 + 8 + 5 * 4 + e.stream.size() + e.type.size() +
              e.actor.size() + e.command_id.size() + e.payload.size());
  out.push_back(static_cast<char>(record_format));
  keys::put_u64(out, e.position);
  put_string(out, e.stream);
  keys::put_u64(out, e.revision);
  put_string(out, e.type);
  keys::put_u32(out, e.schema_version);
  keys::put_u64(out, static_cast<std::uint64_t>(e.time_us));
  put_string(out, e.actor);
  put_string(out, e.command_id);
  put_string(out, e.payload);
}

Hash compute_hash(const Hash& prev_hash, std::string_view canonical) {
  thread_local Sha256 sha;
  sha.update(as_bytes(prev_hash));
  sha.update(canonical);
  return sha.finish();
}

std::string encode(const RecordedEvent& event) {
  std::string out;
  append_canonical(out, fields_of(event));
  out.append(as_bytes(event.prev_hash));
  out.append(as_bytes(event.hash));
  return out;
}

std::optional<RecordedEvent> decode(std::string_view bytes) {
  Parser p(bytes);
  RecordedEvent e;
  if (p.u8() != record_format) return std::nullopt;
  e.position = p.u64();
  e.stream = p.string();
  e.revision = p.u64();
  e.type = p.string();
  e.schema_version = p.u32();
  e.time_us = static_cast<std::int64_t>(p.u64());
  e.actor = p.string();
  e.command_id = p.string();
  e.payload = p.string();
  e.prev_hash = p.hash();
  e.hash = p.hash();
  if (!p.ok() || !p.done()) return std::nullopt;
  return e;
}

std::optional<RecordView> view(std::string_view bytes) {
  Parser p(bytes);
  RecordView v;
  if (p.u8() != record_format) return std::nullopt;
  v.fields.position = p.u64();
  v.fields.stream = p.string_view();
  v.fields.revision = p.u64();
  v.fields.type = p.string_view();
  v.fields.schema_version = p.u32();
  v.fields.time_us = static_cast<std::int64_t>(p.u64());
  v.fields.actor = p.string_view();
  v.fields.command_id = p.string_view();
  v.fields.payload = p.string_view();
  v.prev_hash = p.hash();
  v.hash = p.hash();
  if (!p.ok() || !p.done()) return std::nullopt;
  return v;
}

std::string_view canonical_part(std::string_view bytes) {
  if (bytes.size() < 2 * hash_size) return {};
  return bytes.substr(0, bytes.size() - 2 * hash_size);
}

Hash stored_hash(std::string_view bytes) {
  Hash h{};
  std::memcpy(h.data(), bytes.data() + bytes.size() - hash_size, hash_size);
  return h;
}

Hash append_record(std::string& out, const RecordFields& fields, const Hash& prev_hash) {
  const std::size_t start = out.size();
  append_canonical(out, fields);
  const Hash hash = compute_hash(prev_hash, std::string_view(out).substr(start));
  append_hash(out, prev_hash);
  append_hash(out, hash);
  return hash;
}

}  // namespace rembuk::store::record
