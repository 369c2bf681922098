// decide: the pure heart of the model. Given the current state of a masterplan, a command
// and who asks, return the events that record it, or why it is refused.
//
// Order of checks (each stops at its first failing stage, but lists every violation of
// that stage): existence → status lock (rule 7) → authorization (rule 8) → field-level
// conflict (docs/concurrency.md) → national rules 1–6 → plugin validators (only for
// masterplans that enabled them, only when the national rules pass).
//
// Thread safety: decide only reads its arguments; any number of threads may call it on
// shared const states. It does no I/O except through `DecideContext::extensions`.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <span>
#include <vector>

#include "rembuk/common/result.hpp"
#include "rembuk/model/command.hpp"
#include "rembuk/model/event.hpp"
#include "rembuk/model/extensions.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

struct DecideContext {
  const Extensions* extensions = nullptr;  // may be null: no plugin is loaded
  std::int64_t now_us = 0;                 // the time of the decision (injectable)
  // For Undo only: the recorded events of the command being undone (undo_target()), in
  // revision order, as this masterplan's stream holds them; empty when the stream holds no
  // event of that command (unknown here). The engine reads them from the log's commands
  // index and the stream. Ignored for other commands.
  std::span<const EventRecord> undo_events;
  // For EditText and the Undo of a text edit only: the stream's events with the revisions
  // text_events_needed() names (the changes of the field older than the state's own record
  // of them, docs/concurrency.md), in revision order. Ignored for other commands.
  std::span<const EventRecord> text_events;
};

using Decision = Result<std::vector<NewEvent>, Rejection>;

Decision decide(const MasterplanState& state, const Command& command, const Actor& actor,
                const DecideContext& context);

// For an Undo command: the id of the command it undoes, whose events decide() needs in
// DecideContext::undo_events. Empty for any other command.
std::string undo_target(const Command& command);

// For an EditText (or an Undo of a text edit, given its undo_events): the revisions
// [first, last] of the stream whose events decide() needs in DecideContext::text_events, or
// nullopt when the state's own record of the field's recent changes suffices (the usual case:
// it holds the last kTextHistoryLength changes of each narrative field since the state was
// loaded). The revisions are never after the state's text_history_since, so always committed.
std::optional<std::pair<Version, Version>> text_events_needed(
    const MasterplanState& state, const Command& command,
    std::span<const EventRecord> undo_events);

}  // namespace rembuk::model
