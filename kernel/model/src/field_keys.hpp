// Field keys: the unit of field-level rebase (docs/concurrency.md).
//
// A key is a '/'-separated path naming one field of one entity, e.g. "masterplan/vision",
// "program/p7/title", "program/p7/budget/2021/APBD". A structural key names a whole entity
// ("program/p7") and is touched when the entity is added, removed or restored.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "rembuk/model/extensions.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

struct FieldKey {
  std::string key;
  bool structural = false;
};

// The keys an event changes (recorded by apply).
std::vector<FieldKey> event_keys(std::string_view type, const boost::json::object& payload);

// The keys a command touches (checked by decide). Status commands touch the root "" (the
// whole masterplan). Undo is handled by decide from the compensating events.
std::vector<FieldKey> command_keys(std::string_view type, const boost::json::object& body);

// Records that `keys` changed at `version` by `actor`.
void record_changes(MasterplanState& state, const std::vector<FieldKey>& keys, Version version,
                    const std::string& actor);

// One violation with code "conflict" per touched key that changed after `since`.
std::vector<Violation> find_conflicts(const MasterplanState& state,
                                      const std::vector<FieldKey>& keys, Version since);

// A "conflict" violation: `touched` (the command's key) met `change` after `since`.
Violation conflict_violation(const MasterplanState& state, const std::string& touched,
                             const FieldChange& change, Version since);

// The conflict of `key` with its entity (or an entity above it) added or removed after
// `since`, if any: the second half of find_conflicts' rule.
std::optional<Violation> entity_conflict(const MasterplanState& state, const std::string& key,
                                         Version since);

// The current value under a key, for the conflict detail (null when absent).
boost::json::value field_value(const MasterplanState& state, std::string_view key);

}  // namespace rembuk::model
