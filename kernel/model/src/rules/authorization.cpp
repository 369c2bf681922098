#include "authorization.hpp"

#include "../text_fields.hpp"

namespace rembuk::model::rules {

namespace ja = json_access;

EffectiveActor effective_actor(const MasterplanState& state, const Actor& actor) {
  EffectiveActor effective{actor.user, actor.roles, actor.opd};
  if (auto it = state.members.find(actor.user); it != state.members.end()) {
    const Member& member = it->second;
    if (!effective.has(member.role)) effective.roles.push_back(member.role);
    if (member.role == "opd_editor" && !member.opd_id.empty()) effective.opd = member.opd_id;
  }
  return effective;
}

namespace {

enum class Permission {
  edit_masterplan,  // TP, A
  edit_program,     // TP, A, OE on programs its OPD leads
  change_lead,      // TP, A
  comment,          // any role but viewer
  resolve_comment,  // author, TP, R, A
  submit,           // TP, A
  start_review,     // R, A
  approve,          // D
  reopen,           // TP, D, A
  undo,             // original author, TP, A
  edit_text,        // as the whole-value setter of the field
  presentation,     // TP, A, R, K: the ministry's evaluators record what they concluded
};

bool may_edit_program(const EffectiveActor& a, const MasterplanState& state,
                      const std::string& program_id) {
  if (a.any_of({"tim_pelaksana", "admin"})) return true;
  if (!a.has("opd_editor") || a.opd.empty()) return false;
  const Program* program = state.find_program(program_id);
  // An unknown program is reported as not found by the handler.
  return program == nullptr || program->lead_opd == a.opd;
}

Permission permission_of(std::string_view type) {
  static constexpr std::string_view program_commands[] = {
      "AddProgram",        "UpdateProgram",       "RemoveProgram",      "SetProgramYears",
      "AddSupportingOpd",  "RemoveSupportingOpd", "SetQuickWin",        "SetProgramBudget",
      "RemoveProgramBudget", "AddIndicator",      "UpdateIndicator",    "RemoveIndicator",
      "SetIndicatorTarget", "RemoveIndicatorTarget", "SetProgramMissions",
      "SetProgramPlanReference", "SetQuickWinProfile"};
  for (auto t : program_commands) {
    if (t == type) return Permission::edit_program;
  }
  if (type == "SetProgramLeadOpd") return Permission::change_lead;
  if (type == "AddComment") return Permission::comment;
  if (type == "ResolveComment") return Permission::resolve_comment;
  if (type == "SubmitMasterplan") return Permission::submit;
  if (type == "StartReview") return Permission::start_review;
  if (type == "ApproveMasterplan") return Permission::approve;
  if (type == "ReopenMasterplan") return Permission::reopen;
  if (type == "Undo") return Permission::undo;
  if (type == "EditText") return Permission::edit_text;
  if (type == "RecordPresentation") return Permission::presentation;
  return Permission::edit_masterplan;
}

bool allowed(const Decider& d) {
  const EffectiveActor& a = d.actor;
  switch (permission_of(d.command.type)) {
    case Permission::edit_masterplan:
    case Permission::change_lead:
    case Permission::submit:
      return a.any_of({"tim_pelaksana", "admin"});
    case Permission::edit_program:
      if (d.command.type == "AddProgram") {
        return a.any_of({"tim_pelaksana", "admin"}) ||
               (a.has("opd_editor") && !a.opd.empty() && ja::str_view(d.body, "leadOpd") == a.opd);
      }
      return may_edit_program(a, d.state, ja::str(d.body, "programId"));
    case Permission::edit_text: {
      // As the whole-value setter of the field: a program's text as UpdateProgram, the rest
      // as SetVision and the mission, issue and readiness commands.
      auto field = parse_text_field(ja::str_view(d.body, "field"));
      if (field && !field->program_id.empty()) {
        return may_edit_program(a, d.state, field->program_id);
      }
      return a.any_of({"tim_pelaksana", "admin"});
    }
    case Permission::comment:
      return a.any_of({"opd_editor", "tim_pelaksana", "dewan", "reviewer", "kementerian", "admin"});
    case Permission::resolve_comment: {
      if (a.any_of({"tim_pelaksana", "reviewer", "kementerian", "admin"})) return true;
      auto it = d.state.comments.find(ja::str(d.body, "commentId"));
      return it != d.state.comments.end() && it->second.author == a.user &&
             a.any_of({"opd_editor", "dewan"});
    }
    case Permission::start_review:
      return a.any_of({"reviewer", "kementerian", "admin"});
    case Permission::presentation:
      return a.any_of({"tim_pelaksana", "reviewer", "kementerian", "admin"});
    case Permission::approve:
      return a.has("dewan");
    case Permission::reopen:
      return a.any_of({"tim_pelaksana", "dewan", "admin"});
    case Permission::undo: {
      if (a.any_of({"tim_pelaksana", "admin"})) return true;
      // The author of the undone command: its events say who (DecideContext::undo_events).
      const auto& undone = d.context.undo_events;
      return !undone.empty() && undone.front().actor == a.user &&
             a.any_of({"opd_editor", "dewan", "reviewer", "kementerian"});
    }
  }
  return false;
}

}  // namespace

void authorize(Decider& d) {
  if (allowed(d)) return;
  std::string roles;
  for (const auto& role : d.actor.roles) {
    if (!roles.empty()) roles.push_back(',');
    roles.append(role);
  }
  if (roles.empty()) roles.push_back('-');
  d.violate("auth.forbidden", "/actor",
            "Pengguna " + d.actor.user + " (peran: " + roles + ") tidak berwenang untuk " +
                d.command.type,
            "User " + d.actor.user + " (roles: " + roles + ") may not issue " + d.command.type,
            boost::json::object{{"user", d.actor.user}, {"command", d.command.type}});
}

}  // namespace rembuk::model::rules
