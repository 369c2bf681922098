// Undo: compensating events for the events of an earlier command.
//
// Each event maps to the event that reverses it (docs/commands.md, "Undo"). The
// compensations pass the field-level conflict rule with the undone command's last version
// as the base: if anything they touch changed after that command, the undo is a conflict.
// They also pass the national rules: they are applied to a copy of the state and every
// program is checked again (undo is rare; the copy is affordable).
#include <unordered_set>

#include "entity_json.hpp"
#include "field_keys.hpp"
#include "handlers.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/upcaster.hpp"
#include "rules/budget_rules.hpp"
#include "rules/program_rules.hpp"

namespace rembuk::model {

namespace json = boost::json;
namespace ja = json_access;

namespace {

json::value member_or_null(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v == nullptr ? json::value(nullptr) : *v;
}

// A copy of `p` with the values of each pair of fields exchanged.
json::object swapped(const json::object& p,
                     std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  json::object out = p;
  for (auto [a, b] : pairs) {
    json::value va = member_or_null(p, a);
    json::value vb = member_or_null(p, b);
    out[a] = std::move(vb);
    out[b] = std::move(va);
  }
  return out;
}

json::object keep(const json::object& p, std::initializer_list<std::string_view> fields) {
  json::object out;
  for (auto f : fields) out[f] = member_or_null(p, f);
  return out;
}

// The compensation of one event, or nullopt (with a violation) when there is none.
std::optional<NewEvent> compensate(Decider& d, const EventRecord& e) {
  const auto& p = e.payload;
  const std::string& t = e.type;
  auto make = [](std::string type, json::object payload) {
    std::uint32_t version = current_schema_version(type);
    return NewEvent{std::move(type), version, std::move(payload)};
  };
  if (t == "MasterplanIdentitySet") {
    return make(t, swapped(p, {{"cityName", "previousCityName"},
                               {"regionCode", "previousRegionCode"}}));
  }
  if (t == "MasterplanPeriodSet") {
    return make(t, swapped(p, {{"startYear", "previousStartYear"},
                               {"endYear", "previousEndYear"}}));
  }
  if (t == "RpjmdReferenceSet") return make(t, swapped(p, {{"rpjmd", "previous"}}));
  if (t == "VisionSet") return make(t, swapped(p, {{"text", "previousText"}}));
  if (t == "MissionAdded") return make("MissionRemoved", p);
  if (t == "MissionRemoved") return make("MissionAdded", p);
  if (t == "MissionUpdated" || t == "StrategicIssueUpdated") {
    return make(t, swapped(p, {{"text", "previousText"}}));
  }
  if (t == "StrategicIssueAdded") return make("StrategicIssueRemoved", p);
  if (t == "StrategicIssueRemoved") return make("StrategicIssueAdded", p);
  if (t == "ReadinessEntryAdded") return make("ReadinessEntryRemoved", p);
  if (t == "ReadinessEntryRemoved") return make("ReadinessEntryAdded", p);
  if (t == "ReadinessEntryUpdated" || t == "ProgramUpdated" || t == "IndicatorUpdated") {
    return make(t, swapped(p, {{"changes", "previous"}}));
  }
  if (t == "OpdRegistered" || t == "OpdReinstated") {
    return make("OpdRetired", keep(p, {"opdId"}));
  }
  if (t == "OpdRetired") return make("OpdReinstated", keep(p, {"opdId"}));
  if (t == "OpdRenamed") {
    return make(t, swapped(p, {{"name", "previousName"}, {"shortName", "previousShortName"}}));
  }
  if (t == "ProgramAdded" || t == "ProgramRestored") {
    const Program* program = d.state.find_program(ja::str(p, "programId"));
    if (program == nullptr) return std::nullopt;
    return make("ProgramRemoved",
                json::object{{"programId", program->id}, {"program", to_json(*program)}});
  }
  if (t == "ProgramRemoved") return make("ProgramRestored", keep(p, {"programId", "program"}));
  if (t == "ProgramYearsSet") {
    return make(t, swapped(p, {{"startYear", "previousStartYear"},
                               {"endYear", "previousEndYear"}}));
  }
  if (t == "ProgramLeadOpdSet") return make(t, swapped(p, {{"leadOpd", "previousLeadOpd"}}));
  if (t == "SupportingOpdAdded") return make("SupportingOpdRemoved", p);
  if (t == "SupportingOpdRemoved") return make("SupportingOpdAdded", p);
  if (t == "ProgramQuickWinSet") return make(t, swapped(p, {{"quickWin", "previousQuickWin"}}));
  if (t == "ProgramBudgetSet") {
    if (member_or_null(p, "previousAmount").is_null()) {
      json::object out = keep(p, {"programId", "year", "source"});
      out["previousAmount"] = member_or_null(p, "amount");
      return make("ProgramBudgetRemoved", std::move(out));
    }
    return make(t, swapped(p, {{"amount", "previousAmount"}}));
  }
  if (t == "ProgramBudgetRemoved") {
    json::object out = keep(p, {"programId", "year", "source"});
    out["amount"] = member_or_null(p, "previousAmount");
    out["previousAmount"] = nullptr;
    return make("ProgramBudgetSet", std::move(out));
  }
  if (t == "IndicatorAdded" || t == "IndicatorRestored") {
    const Program* program = d.state.find_program(ja::str(p, "programId"));
    if (program == nullptr) return std::nullopt;
    auto it = program->indicators.find(ja::str(p, "indicatorId"));
    if (it == program->indicators.end()) return std::nullopt;
    return make("IndicatorRemoved", json::object{{"programId", program->id},
                                                 {"indicatorId", it->first},
                                                 {"indicator", to_json(it->second)}});
  }
  if (t == "IndicatorRemoved") {
    return make("IndicatorRestored", keep(p, {"programId", "indicatorId", "indicator"}));
  }
  if (t == "IndicatorTargetSet") {
    if (member_or_null(p, "previousValue").is_null()) {
      json::object out = keep(p, {"programId", "indicatorId", "year"});
      out["previousValue"] = member_or_null(p, "value");
      return make("IndicatorTargetRemoved", std::move(out));
    }
    return make(t, swapped(p, {{"value", "previousValue"}}));
  }
  if (t == "IndicatorTargetRemoved") {
    json::object out = keep(p, {"programId", "indicatorId", "year"});
    out["value"] = member_or_null(p, "previousValue");
    out["previousValue"] = nullptr;
    return make("IndicatorTargetSet", std::move(out));
  }
  if (t == "MemberAdded") {
    auto it = d.state.members.find(ja::str(p, "userId"));
    if (it == d.state.members.end()) return std::nullopt;
    return make("MemberRemoved",
                json::object{{"userId", it->first}, {"member", to_json(it->second)}});
  }
  if (t == "MemberRemoved") {
    const auto* member = ja::obj(p, "member");
    if (member == nullptr) return std::nullopt;
    return make("MemberAdded", *member);
  }
  if (t == "MemberRoleChanged") {
    return make(t, swapped(p, {{"role", "previousRole"}, {"opdId", "previousOpdId"}}));
  }
  if (t == "CommentAdded") return make("CommentWithdrawn", keep(p, {"commentId"}));
  if (t == "CommentResolved") return make("CommentReopened", keep(p, {"commentId"}));
  if (t == "CommentReopened") return make("CommentResolved", keep(p, {"commentId"}));
  if (t == "BimtekStageScheduled") {
    return make(t, swapped(p, {{"scheduledDate", "previousScheduledDate"},
                               {"place", "previousPlace"},
                               {"onlineLink", "previousOnlineLink"}}));
  }
  if (t == "BimtekStageHeld") return make(t, swapped(p, {{"heldDate", "previousHeldDate"}}));
  if (t == "BimtekExpertsSet") return make(t, swapped(p, {{"experts", "previousExperts"}}));
  if (t == "BimtekAttendanceRecorded") {
    return make(t, swapped(p, {{"members", "previousMembers"}, {"opds", "previousOpds"}}));
  }
  if (t == "BimtekStageNotesSet") return make(t, swapped(p, {{"notes", "previousNotes"}}));
  if (t == "BimtekStageClosed") {
    json::object out = keep(p, {"stage"});
    out["reason"] = "undo";
    return make("BimtekStageReopened", std::move(out));
  }
  if (t == "BimtekStageReopened") return make("BimtekStageClosed", keep(p, {"stage"}));
  if (t == "GapAdded") return make("GapRemoved", p);
  if (t == "GapRemoved") return make("GapAdded", p);
  if (t == "StrategyAdded") return make("StrategyRemoved", p);
  if (t == "StrategyRemoved") return make("StrategyAdded", p);
  if (t == "StrategyUpdated") return make(t, swapped(p, {{"text", "previousText"}}));
  if (t == "ProgramMissionsSet") {
    return make(t, swapped(p, {{"missionIds", "previousMissionIds"}}));
  }
  if (t == "ProgramPlanReferenceSet") {
    return make(t, swapped(p, {{"rpjmdProgram", "previousRpjmdProgram"},
                               {"renstra", "previousRenstra"}}));
  }
  if (t == "QuickWinProfileSet" || t == "PresentationRecorded" || t == "MouRecorded") {
    const char* value = t == "QuickWinProfileSet"     ? "profile"
                        : t == "PresentationRecorded" ? "presentation"
                                                      : "mou";
    // Undoing the first profile/presentation/MoU clears it: the event carries null then.
    return make(t, swapped(p, {{value, "previous"}}));
  }
  if (t == "CommitmentLetterRecorded") return make("CommitmentLetterWithdrawn", p);
  if (t == "CommitmentLetterWithdrawn") return make("CommitmentLetterRecorded", p);
  if (t == "PluginEnabled") return make("PluginDisabled", p);
  if (t == "PluginDisabled") return make("PluginEnabled", p);
  return std::nullopt;
}

// Rules 1–5 over every program of `after`, reported into `d`.
void check_programs(Decider& d, const MasterplanState& after) {
  Decider check(after, d.command, d.actor, d.context);
  for (const auto& [id, program] : after.programs) {
    const std::string path = "/masterplan/programs/" + id;
    rules::check_classification(check, program.dimension, program.element, path + "/dimension",
                                path + "/element");
    rules::check_lead_opd(check, program.lead_opd, path + "/leadOpd");
    if (rules::check_years(check, program.start_year, program.end_year, path + "/startYear", id) &&
        program.quick_win) {
      rules::check_quick_win(check, program.start_year, program.end_year, after.start_year,
                             path + "/quickWin", id);
    }
    for (const auto& opd : program.supporting_opds) {
      rules::check_supporting_opd(check, opd, program.lead_opd, path + "/supportingOpds");
    }
    for (const auto& [key, amount] : program.budget) {
      rules::check_budget_line(check, program, key.first, key.second, json::value(amount));
    }
  }
  for (auto& v : check.violations) d.violations.push_back(std::move(v));
}

}  // namespace

void handle_undo(Decider& d) {
  const std::string target = d.str("commandId");
  const auto& originals = d.context.undo_events;
  if (originals.empty()) {
    d.violate("undo.unknown_command", Decider::path("commandId"),
              "Perintah '" + target + "' tidak dikenal pada masterplan ini",
              "Command '" + target + "' is unknown on this masterplan");
    return;
  }
  if (d.state.undone_commands.contains(target)) {
    d.violate("undo.already_undone", Decider::path("commandId"),
              "Perintah '" + target + "' sudah dibatalkan", "Command '" + target + "' was already undone");
    return;
  }
  const Version first = originals.front().revision;
  const Version last = originals.back().revision;
  bool complete = last <= d.state.version;
  for (std::size_t i = 0; complete && i < originals.size(); ++i) {
    complete = originals[i].revision == first + i && originals[i].command_id == target;
  }
  if (!complete) {
    d.violate("undo.events_unavailable", Decider::path("commandId"),
              "Peristiwa dari perintah '" + target + "' tidak tersedia",
              "The events of command '" + target + "' are not available");
    return;
  }
  if (originals.size() == 1 && originals.front().type == "TextEdited") {
    undo_text_edit(d, originals.front());
    return;
  }
  std::vector<NewEvent> compensations;
  for (auto it = originals.rbegin(); it != originals.rend(); ++it) {
    auto compensation = compensate(d, *it);
    if (!compensation) {
      d.violate("undo.not_undoable", Decider::path("commandId"),
                "Peristiwa " + it->type + " tidak dapat dibatalkan",
                "A " + it->type + " event cannot be undone",
                json::object{{"event", it->type}, {"revision", it->revision}});
      return;
    }
    compensations.push_back(std::move(*compensation));
  }

  std::vector<FieldKey> keys;
  for (const auto& event : compensations) {
    for (auto& key : event_keys(event.type, event.payload)) keys.push_back(std::move(key));
  }
  d.violations = find_conflicts(d.state, keys, last);
  if (!d.ok()) {
    d.headline = "conflict";
    return;
  }

  // The rules below read content only: copying the bookkeeping too (megabytes of change
  // keys on a long-lived masterplan) made an Undo cost milliseconds.
  MasterplanState after;
  static_cast<MasterplanContent&>(after) = d.state;
  Version revision = d.state.version;
  for (const auto& event : compensations) {
    apply_in_place(after,
                   EventRecord{event.type, event.schema_version, event.payload, ++revision,
                               d.actor.user, "", 0},
                   Bookkeeping::omit);
  }
  check_programs(d, after);
  if (!d.ok()) return;

  d.emit("CommandUndone", json::object{{"commandId", target}});
  for (auto& event : compensations) d.events.push_back(std::move(event));
}

}  // namespace rembuk::model
