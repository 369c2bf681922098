// Narrative fields by key (docs/concurrency.md, "Text operations"): the prose of a masterplan
// that text operations (EditText) change. For the read side (history, blame, exports).
//
// Pure functions of a state; safe from any thread on a const state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rembuk/model/state.hpp"

namespace rembuk::model {

// True when `key` has the shape of a narrative field's key (its entity may not exist).
bool is_narrative_field(std::string_view key);

// The field's text in `state`; nullopt when the key is not a narrative field or its entity
// (or list item) does not exist.
std::optional<std::string> narrative_text(const MasterplanState& state, std::string_view key);

}  // namespace rembuk::model
