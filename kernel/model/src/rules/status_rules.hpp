// Rule 7: status moves only along draft → submitted → under_review → approved, or back to
// draft by reopening; an approved masterplan takes no edits until reopened.
#pragma once

#include "../decider.hpp"

namespace rembuk::model::rules {

// True for commands that an approved masterplan still accepts (comments, status moves).
bool allowed_when_approved(std::string_view command_type);

// Adds "status.locked" when the masterplan is approved and the command edits it.
void check_not_locked(Decider& d);

// The status a status command moves to, or a "status.invalid_transition" violation.
std::optional<Status> check_transition(Decider& d);

}  // namespace rembuk::model::rules
