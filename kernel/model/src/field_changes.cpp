#include "rembuk/model/field_changes.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace rembuk::model {

namespace {

std::size_t hash_of(std::string_view key) { return std::hash<std::string_view>{}(key); }

// Slots are kept at most this full (in tenths), so that a probe run stays short.
constexpr std::size_t kMaxLoadTenths = 7;

}  // namespace

FieldChanges::Text FieldChanges::append(std::string_view text) {
  // 4 GiB of change keys in one masterplan would be a broken state, not an input to refuse.
  if (text_.size() + text.size() > UINT32_MAX) {
    std::fprintf(stderr, "rembuk: field change index over 4 GiB\n");
    std::abort();
  }
  Text run{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(text.size())};
  // By an eighth rather than twice: a loaded masterplan's index grows by a few keys an edit,
  // and doubling would leave it holding up to twice its text for good.
  if (text_.size() + text.size() > text_.capacity()) {
    text_.reserve(text_.size() + text.size() + text_.size() / 8 + 64);
  }
  text_.append(text);
  return run;
}

std::uint32_t FieldChanges::actor_index(std::string_view actor) {
  // Few actors edit one masterplan, and the newest is the likeliest to edit again.
  for (std::size_t i = actors_.size(); i-- > 0;) {
    if (actors_[i] == actor) return static_cast<std::uint32_t>(i);
  }
  actors_.emplace_back(actor);
  return static_cast<std::uint32_t>(actors_.size() - 1);
}

std::size_t FieldChanges::slot_of(std::string_view key, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = hash & mask;
  while (slots_[slot] != kNoEntry && view(entries_[slots_[slot]].key) != key) {
    slot = (slot + 1) & mask;
  }
  return slot;
}

void FieldChanges::grow_slots(std::size_t entries) {
  std::size_t capacity = std::max<std::size_t>(16, slots_.size());
  while (entries * 10 > capacity * kMaxLoadTenths) capacity *= 2;
  if (capacity == slots_.size()) return;
  slots_.assign(capacity, kNoEntry);
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    const auto key = view(entries_[i].key);
    slots_[slot_of(key, hash_of(key))] = i;
  }
}

void FieldChanges::reserve(std::size_t entries) {
  entries_.reserve(entries);
  grow_slots(entries);
}

void FieldChanges::shrink_to_fit() {
  text_.shrink_to_fit();
  entries_.shrink_to_fit();
  actors_.shrink_to_fit();
}

std::uint32_t FieldChanges::entry_of(std::string_view key) const {
  if (entries_.empty()) return kNoEntry;
  return slots_[slot_of(key, hash_of(key))];
}

FieldChanges::Text FieldChanges::leaf_text(std::string_view key, Text key_text,
                                           std::string_view leaf) {
  if (leaf == key) return key_text;
  // A leaf recorded before (its own key here): the same run of text.
  if (auto at = entry_of(leaf); at != kNoEntry) return entries_[at].key;
  return append(leaf);
}

void FieldChanges::record(std::string_view key, Version version, std::string_view actor,
                          std::string_view leaf) {
  if ((entries_.size() + 1) * 10 > slots_.size() * kMaxLoadTenths) {
    grow_slots(entries_.size() + 1);
  }
  const std::size_t slot = slot_of(key, hash_of(key));
  const std::uint32_t actor_at = actor_index(actor);
  if (slots_[slot] != kNoEntry) {
    // Most keys were changed before, most often by the same leaf: nothing to store but the
    // version and the actor.
    Entry& entry = entries_[slots_[slot]];
    entry.version = version;
    entry.actor = actor_at;
    if (view(entry.leaf) != leaf) entry.leaf = leaf_text(key, entry.key, leaf);
    return;
  }
  if (entries_.size() >= kNoEntry) {
    std::fprintf(stderr, "rembuk: field change index over 4 G entries\n");
    std::abort();
  }
  Entry entry;
  entry.version = version;
  entry.actor = actor_at;
  const std::uint32_t leaf_at = leaf == key ? kNoEntry : entry_of(leaf);
  if (leaf_at != kNoEntry && leaf.starts_with(key)) {
    // An ancestor ("program/p7" of "program/p7/title"): its text is the start of its leaf's.
    entry.leaf = entries_[leaf_at].key;
    entry.key = Text{entry.leaf.at, static_cast<std::uint32_t>(key.size())};
  } else {
    entry.key = append(key);
    entry.leaf = leaf_text(key, entry.key, leaf);
  }
  if (entries_.size() == entries_.capacity()) {
    entries_.reserve(entries_.size() + entries_.size() / 8 + 16);  // as for text_
  }
  slots_[slot] = static_cast<std::uint32_t>(entries_.size());
  entries_.push_back(entry);
}

std::optional<FieldChange> FieldChanges::find(std::string_view key) const {
  const std::uint32_t at = entry_of(key);
  if (at == kNoEntry) return std::nullopt;
  const Entry& entry = entries_[at];
  return FieldChange{entry.version, actors_[entry.actor], view(entry.leaf)};
}

std::vector<std::pair<std::string_view, FieldChange>> FieldChanges::in_key_order() const {
  std::vector<std::pair<std::string_view, FieldChange>> rows;
  rows.reserve(entries_.size());
  for (const Entry& entry : entries_) {
    rows.emplace_back(view(entry.key),
                      FieldChange{entry.version, actors_[entry.actor], view(entry.leaf)});
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return rows;
}

bool operator==(const FieldChanges& a, const FieldChanges& b) {
  if (a.size() != b.size()) return false;
  for (const auto& entry : a.entries_) {
    auto other = b.find(a.view(entry.key));
    if (!other || other->version != entry.version || other->actor != a.actors_[entry.actor] ||
        other->key != a.view(entry.leaf)) {
      return false;
    }
  }
  return true;
}

}  // namespace rembuk::model
