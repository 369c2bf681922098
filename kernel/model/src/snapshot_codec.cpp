// Snapshot bytes: a content section and a bookkeeping section; see snapshot_codec.hpp.
#include "rembuk/model/snapshot_codec.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "state_json.hpp"

namespace rembuk::model {

namespace json = boost::json;

namespace {

constexpr std::string_view magic = "rembuk-snapshot 2\n";
constexpr std::size_t max_length_digits = 19;

// Parses one JSON object of a section into an arena that dies with the call.
template <typename Fill>
Result<Unit, std::string> with_object(std::string_view text, std::string_view section,
                                      Fill&& fill) {
  // Sized for the section so the arena rarely grows: every parsed value dies right after.
  json::monotonic_resource arena(text.size() + 1024);
  json::error_code ec;
  json::value value = json::parse(text, ec, json::storage_ptr(&arena));
  if (ec) return fail(std::string(section) + " is not JSON: " + ec.message());
  if (!value.is_object()) return fail(std::string(section) + " is not an object");
  return fill(value.get_object());
}

// The header of a version 2 snapshot: its length and the content section's.
struct Header {
  std::size_t bytes = 0;
  std::size_t content = 0;
};
Result<Header, std::string> parse_header(std::string_view bytes) {
  if (!bytes.starts_with(magic)) return fail(std::string("not a rembuk snapshot"));
  const std::string_view rest = bytes.substr(magic.size());
  const auto newline = rest.find('\n');
  if (newline == std::string_view::npos || newline == 0 || newline > max_length_digits) {
    return fail(std::string("snapshot header: bad content length"));
  }
  std::size_t length = 0;
  for (char c : rest.substr(0, newline)) {
    if (c < '0' || c > '9') return fail(std::string("snapshot header: bad content length"));
    length = length * 10 + static_cast<std::size_t>(c - '0');
  }
  return Header{magic.size() + newline + 1, length};
}

}  // namespace

std::size_t snapshot_content_end(std::string_view bytes) {
  const auto header = parse_header(bytes);
  if (!header || header.value().content > bytes.size() - header.value().bytes) return bytes.size();
  return header.value().bytes + header.value().content;
}

bool snapshot_has_bookkeeping(std::string_view bytes) {
  return snapshot_content_end(bytes) < bytes.size() || (!bytes.empty() && bytes.front() == '{');
}

std::string encode_state_snapshot(const MasterplanState& state) {
  const std::string content = canonical_json(state, Bookkeeping::omit);
  const std::string books = json::serialize(bookkeeping_to_json(state));
  const std::string length = std::to_string(content.size());
  std::string out;
  out.reserve(magic.size() + length.size() + 1 + content.size() + books.size());
  out.append(magic).append(length).append(1, '\n').append(content).append(books);
  return out;
}

Result<MasterplanState, std::string> decode_state_snapshot(std::string_view bytes,
                                                     Bookkeeping bookkeeping) {
  if (!bytes.empty() && bytes.front() == '{') {
    // Version 1: the whole canonical JSON. Bookkeeping is in it either way.
    return state_from_json(bytes);
  }
  const auto header = parse_header(bytes);
  if (!header) return fail(header.error());
  bytes.remove_prefix(header.value().bytes);
  const std::size_t length = header.value().content;
  if (length > bytes.size()) return fail(std::string("snapshot is truncated"));
  MasterplanState state;
  auto content = with_object(bytes.substr(0, length), "content", [&](const json::object& o) {
    return content_from_json(o, state);
  });
  if (!content) return fail(content.error());
  if (bookkeeping == Bookkeeping::omit) {
    state.has_bookkeeping = false;
    return state;
  }
  auto books = with_object(bytes.substr(length), "bookkeeping", [&](const json::object& o) {
    return bookkeeping_from_json(o, state);
  });
  if (!books) return fail(books.error());
  // The narrative fields' recent changes are not in snapshots (they would grow every one).
  state.text_history_since = state.version;
  return state;
}

}  // namespace rembuk::model
