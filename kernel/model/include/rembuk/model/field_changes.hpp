// FieldChanges: field key → its last change (version, actor, the leaf key that changed), the
// index decide's field-level rebase reads (docs/concurrency.md).
//
// A long-lived masterplan has tens of thousands of keys here: every field ever changed and
// every ancestor of it ("", "program", "program/p7", "program/p7/title"), each ancestor
// naming the leaf under it that changed last. Held as a hash map of strings, that was about
// 220 bytes an entry (a node, a bucket, the key, the leaf and the actor as strings of their
// own), most of a loaded masterplan's heap, and every copy of the state copied it node by
// node. Here an entry is 32 bytes in one vector; the keys sit back to back in one string, an
// ancestor's leaf and (when it is first recorded after its leaf) the ancestor's own key
// pointing into the leaf's text rather than copying it; the actors sit in a small table (a
// masterplan has a few tens of them), and the lookup is an open-addressing table of entry
// numbers. A copy is a few contiguous buffers.
//
// Entries are never removed (a key's last change stays known for as long as the masterplan
// lives), so the storage only grows, by what an event adds.
//
// Thread safety: a value; const members may be called from many threads at once, anything
// else needs exclusive access (as for MasterplanState).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rembuk::model {

using Version = std::uint64_t;

// The last change of a field key (or of anything under it). The views point into the
// FieldChanges that returned it: valid until that is changed or destroyed.
struct FieldChange {
  Version version = 0;
  std::string_view actor;
  std::string_view key;  // the leaf key that changed (for the subtree index)
};

class FieldChanges {
 public:
  // Records that `key` changed at `version` by `actor`, `leaf` being the key that changed
  // (`key` itself or one under it). A later record of a key replaces its change.
  // `leaf` is stored as a reference to its own entry when it has one: record a leaf before
  // its ancestors (record_changes does; so does reading a snapshot's rows backwards) or its
  // text is stored a second time.
  void record(std::string_view key, Version version, std::string_view actor,
              std::string_view leaf);

  // The last change of `key`, or nullopt when it never changed.
  std::optional<FieldChange> find(std::string_view key) const;

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // Every (key, change), ordered by key (byte order): how snapshots list them.
  std::vector<std::pair<std::string_view, FieldChange>> in_key_order() const;

  // Room for `entries` keys, so that reading a snapshot grows the index once.
  void reserve(std::size_t entries);
  // Gives back what the buffers hold beyond their contents (after reading a snapshot: they
  // grew by doubling, and a masterplan's index then grows by a few entries an edit).
  void shrink_to_fit();

  // Content equality: the same keys with the same changes (however stored).
  friend bool operator==(const FieldChanges& a, const FieldChanges& b);

 private:
  // A run of text_: [at, at + size).
  struct Text {
    std::uint32_t at = 0;
    std::uint32_t size = 0;
  };
  struct Entry {
    Text key;
    Text leaf;
    Version version = 0;
    std::uint32_t actor = 0;  // index in actors_
  };
  static constexpr std::uint32_t kNoEntry = UINT32_MAX;

  std::string_view view(Text text) const { return {text_.data() + text.at, text.size}; }
  Text append(std::string_view text);
  std::uint32_t actor_index(std::string_view actor);
  // The number of `key`'s entry, or kNoEntry.
  std::uint32_t entry_of(std::string_view key) const;
  // The text `leaf` is stored as for the entry of `key` (whose text is `key_text`).
  Text leaf_text(std::string_view key, Text key_text, std::string_view leaf);
  // The slot holding `key`'s entry, or the empty slot where it would go.
  std::size_t slot_of(std::string_view key, std::size_t hash) const;
  // Makes the slots room for `entries` entries within the load limit.
  void grow_slots(std::size_t entries);

  std::string text_;                 // keys and leaves, each stored once (see above)
  std::vector<Entry> entries_;       // in the order they were first recorded
  std::vector<std::uint32_t> slots_; // open addressing, linear probing: entry number or kNoEntry
  std::vector<std::string> actors_;  // distinct actors, first seen first
};

}  // namespace rembuk::model
