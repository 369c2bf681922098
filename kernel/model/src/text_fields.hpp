// Narrative fields: the text fields that text operations (EditText, TextEdited) change, and
// the recent changes of each that a concurrent operation is moved over
// (docs/concurrency.md, "Text operations"). Internal to kernel/model.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "field_keys.hpp"
#include "rembuk/model/event.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

struct TextField {
  std::string key;          // "masterplan/vision", "program/p-1/outputs/2", …
  std::string list;         // a list item's list ("program/p-1/outputs"); empty otherwise
  std::string program_id;   // for program fields (authorization); empty otherwise
  std::size_t max_length = 0;  // code points, as the whole-value setter allows
};

// The narrative field a key names, by its shape only (the entity may not exist); nullopt for
// any other key.
std::optional<TextField> parse_text_field(std::string_view key);

// The field's text now; null when its entity (or list item) does not exist.
const std::string* text_of(const MasterplanState& state, const TextField& field);
std::string* text_of(MasterplanState& state, const TextField& field);

// Keeps the text histories: a TextEdited adds its operation to its field's history; any other
// change of a narrative field, of a list of them, or of an entity that holds them adds a
// barrier to the histories at or under the changed key. Called by apply with the event's keys.
void record_text_history(MasterplanState& state, const EventRecord& event,
                         const std::vector<FieldKey>& keys);

// The revisions of the log a decision about `field` based on `since` needs from outside the
// state (the histories start later, or were trimmed): [first, last], or nullopt.
std::optional<std::pair<Version, Version>> text_log_range(const MasterplanState& state,
                                                          const TextField& field, Version since);

// Every change of `field` (and of its list) after `since`, oldest first: the log's events
// (DecideContext::text_events, for the revisions text_log_range named) and then the
// histories. nullopt when `from_log` does not cover text_log_range.
std::optional<std::vector<TextRevision>> text_changes_since(const MasterplanState& state,
                                                            const TextField& field, Version since,
                                                            std::span<const EventRecord> from_log);

// The operation of a TextEdited payload (nullopt when malformed).
std::optional<text::Operation> text_edit_op(const boost::json::object& payload);

}  // namespace rembuk::model
