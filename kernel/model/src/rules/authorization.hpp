// Rule 8: who may do what. See the role table in docs/commands.md.
#pragma once

#include <string_view>

#include "../decider.hpp"

namespace rembuk::model::rules {

EffectiveActor effective_actor(const MasterplanState& state, const Actor& actor);

// Adds an "auth.forbidden" violation to `d` when the actor may not issue the command.
void authorize(Decider& d);

}  // namespace rembuk::model::rules
