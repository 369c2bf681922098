#include "text_fields.hpp"

#include <algorithm>

#include "json_access.hpp"
#include "rembuk/model/narrative_fields.hpp"

namespace rembuk::model {

namespace json = boost::json;
namespace ja = json_access;

namespace {

constexpr std::size_t kProseLength = 20000;  // the setters' schemas: vision, missions, …
constexpr std::size_t kListItemLength = 2000;  // UpdateProgram: each output and outcome

std::vector<std::string_view> split(std::string_view key) {
  std::vector<std::string_view> parts;
  while (true) {
    auto slash = key.find('/');
    parts.push_back(key.substr(0, slash));
    if (slash == std::string_view::npos) break;
    key.remove_prefix(slash + 1);
  }
  return parts;
}

// A list index as written in a key: decimal, no leading zero, below 100 (maxItems).
std::optional<std::size_t> index_of(std::string_view text) {
  if (text.empty() || text.size() > 2 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::size_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

bool is_list_key(std::string_view key) {
  auto parts = split(key);
  return parts.size() == 3 && parts[0] == "program" && !parts[1].empty() &&
         (parts[2] == "outputs" || parts[2] == "outcomes");
}

template <typename State>
auto text_in(State& state, const TextField& field) -> decltype(&state.vision) {
  auto parts = split(field.key);
  const std::string id = parts.size() > 1 ? std::string(parts[1]) : std::string();
  if (parts[0] == "masterplan") return &state.vision;
  if (parts[0] == "mission") {
    for (auto& mission : state.missions) {
      if (mission.id == id) return &mission.text;
    }
    return nullptr;
  }
  if (parts[0] == "strategicIssue") {
    auto it = state.strategic_issues.find(id);
    return it == state.strategic_issues.end() ? nullptr : &it->second.text;
  }
  if (parts[0] == "readiness") {
    auto it = state.readiness.find(id);
    return it == state.readiness.end() ? nullptr : &it->second.description;
  }
  auto it = state.programs.find(id);
  if (it == state.programs.end()) return nullptr;
  if (parts[2] == "description") return &it->second.description;
  auto& list = parts[2] == "outputs" ? it->second.outputs : it->second.outcomes;
  const std::size_t index = index_of(parts[3]).value_or(list.size());
  return index < list.size() ? &list[index] : nullptr;
}

void push(TextHistory& history, TextRevision revision) {
  history.revisions.push_back(std::move(revision));
  while (history.revisions.size() > kTextHistoryLength) {
    history.complete_since = history.revisions.front().version;
    history.revisions.pop_front();
  }
}

bool at_or_under(std::string_view key, std::string_view changed) {
  return key == changed ||
         (key.size() > changed.size() && key.starts_with(changed) && key[changed.size()] == '/');
}

// What a recorded event did to `field`: an operation, a barrier, or nothing (nullopt).
std::optional<TextRevision> revision_of(const EventRecord& event, const TextField& field) {
  if (event.type == "TextEdited") {
    if (ja::str_view(event.payload, "field") != field.key) return std::nullopt;
    return TextRevision{event.revision, event.actor, text_edit_op(event.payload)};
  }
  for (const auto& changed : event_keys(event.type, event.payload)) {
    if (at_or_under(field.key, changed.key) || (!field.list.empty() && field.list == changed.key)) {
      return TextRevision{event.revision, event.actor, std::nullopt};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<TextField> parse_text_field(std::string_view key) {
  auto parts = split(key);
  if (parts.size() == 2 && key == "masterplan/vision") {
    return TextField{std::string(key), {}, {}, kProseLength};
  }
  if (parts.size() < 3 || parts[1].empty()) return std::nullopt;
  if (parts.size() == 3 && ((parts[0] == "mission" && parts[2] == "text") ||
                            (parts[0] == "strategicIssue" && parts[2] == "text") ||
                            (parts[0] == "readiness" && parts[2] == "description"))) {
    return TextField{std::string(key), {}, {}, kProseLength};
  }
  if (parts[0] != "program") return std::nullopt;
  if (parts.size() == 3 && parts[2] == "description") {
    return TextField{std::string(key), {}, std::string(parts[1]), kProseLength};
  }
  if (parts.size() == 4 && (parts[2] == "outputs" || parts[2] == "outcomes") &&
      index_of(parts[3])) {
    std::string list(key.substr(0, key.rfind('/')));
    return TextField{std::string(key), std::move(list), std::string(parts[1]), kListItemLength};
  }
  return std::nullopt;
}

const std::string* text_of(const MasterplanState& state, const TextField& field) {
  return text_in(state, field);
}

std::string* text_of(MasterplanState& state, const TextField& field) {
  return text_in(state, field);
}

std::optional<text::Operation> text_edit_op(const json::object& payload) {
  const auto* ops = payload.if_contains("ops");
  if (ops == nullptr) return std::nullopt;
  auto decoded = text::decode(*ops);
  if (!decoded) return std::nullopt;
  return std::move(decoded.value());
}

void record_text_history(MasterplanState& state, const EventRecord& event,
                         const std::vector<FieldKey>& keys) {
  auto& histories = state.text_histories;
  if (event.type == "TextEdited") {
    const std::string field = ja::str(event.payload, "field");
    // A malformed operation (never written by decide) becomes a barrier: nothing crosses it.
    push(histories[field], TextRevision{event.revision, event.actor, text_edit_op(event.payload)});
    return;
  }
  for (const auto& changed : keys) {
    const std::string& key = changed.key;
    if (parse_text_field(key) || is_list_key(key)) {
      push(histories[key], TextRevision{event.revision, event.actor, std::nullopt});
    }
    const std::string under = key + "/";
    for (auto it = histories.lower_bound(under);
         it != histories.end() && it->first.starts_with(under); ++it) {
      push(it->second, TextRevision{event.revision, event.actor, std::nullopt});
    }
  }
}

namespace {

Version covered_after(const MasterplanState& state, const TextField& field) {
  Version cover = state.text_history_since;
  if (auto it = state.text_histories.find(field.key); it != state.text_histories.end()) {
    cover = std::max(cover, it->second.complete_since);
  }
  if (!field.list.empty()) {
    if (auto it = state.text_histories.find(field.list); it != state.text_histories.end()) {
      cover = std::max(cover, it->second.complete_since);
    }
  }
  return cover;
}

}  // namespace

std::optional<std::pair<Version, Version>> text_log_range(const MasterplanState& state,
                                                          const TextField& field, Version since) {
  const Version cover = covered_after(state, field);
  if (since >= cover) return std::nullopt;
  return std::make_pair(since + 1, cover);
}

std::optional<std::vector<TextRevision>> text_changes_since(const MasterplanState& state,
                                                            const TextField& field, Version since,
                                                            std::span<const EventRecord> from_log) {
  std::vector<TextRevision> changes;
  Version after = since;
  if (auto range = text_log_range(state, field, since)) {
    Version expected = range->first;
    for (const auto& event : from_log) {
      if (event.revision < range->first || event.revision > range->second) continue;
      if (event.revision != expected) return std::nullopt;
      ++expected;
      if (auto revision = revision_of(event, field)) changes.push_back(std::move(*revision));
    }
    if (expected != range->second + 1) return std::nullopt;
    after = range->second;
  }
  std::vector<TextRevision> recent;
  for (const std::string* key : {&field.key, &field.list}) {
    if (key->empty()) continue;
    auto it = state.text_histories.find(*key);
    if (it == state.text_histories.end()) continue;
    for (const auto& revision : it->second.revisions) {
      if (revision.version > after) recent.push_back(revision);
    }
  }
  std::stable_sort(recent.begin(), recent.end(), [](const TextRevision& a, const TextRevision& b) {
    return a.version < b.version;
  });
  for (auto& revision : recent) changes.push_back(std::move(revision));
  return changes;
}

bool is_narrative_field(std::string_view key) { return parse_text_field(key).has_value(); }

std::optional<std::string> narrative_text(const MasterplanState& state, std::string_view key) {
  auto field = parse_text_field(key);
  if (!field) return std::nullopt;
  const std::string* text = text_of(state, *field);
  if (text == nullptr) return std::nullopt;
  return *text;
}

}  // namespace rembuk::model
