// decide: the pipeline of checks (see decide.hpp) and the table of handlers.
#include "rembuk/model/decide.hpp"

#include <unordered_map>

#include "field_keys.hpp"
#include "handlers.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/upcaster.hpp"
#include "rules/authorization.hpp"
#include "rules/status_rules.hpp"

namespace rembuk::model {

namespace json = boost::json;
namespace ja = json_access;

void Decider::emit(std::string type, json::object payload) {
  std::uint32_t version = current_schema_version(type);
  events.push_back(NewEvent{std::move(type), version, std::move(payload)});
}

const Program* Decider::need_program() {
  std::string id = str("programId");
  const Program* program = state.find_program(id);
  if (program == nullptr) {
    violate("program.not_found", path("programId"), "Program '" + id + "' tidak ditemukan",
            "Program '" + id + "' was not found", json::object{{"programId", id}});
  }
  return program;
}

const Indicator* Decider::need_indicator(const Program& program) {
  std::string id = str("indicatorId");
  auto it = program.indicators.find(id);
  if (it == program.indicators.end()) {
    violate("indicator.not_found", path("indicatorId"), "Indikator '" + id + "' tidak ditemukan",
            "Indicator '" + id + "' was not found", json::object{{"indicatorId", id}});
    return nullptr;
  }
  return &it->second;
}

bool Decider::id_free(std::string_view kind, const std::string& id, std::string_view field) {
  std::string key = std::string(kind) + "/" + id;
  if (state.used_ids.count(key) == 0) return true;
  violate(std::string(kind) + ".id_taken", path(field),
          "Id '" + id + "' sudah pernah dipakai di masterplan ini",
          "Id '" + id + "' was already used in this masterplan", json::object{{"id", id}});
  return false;
}

CommandHandler find_handler(std::string_view type) {
  using namespace handlers;
  static const std::unordered_map<std::string_view, CommandHandler> table = {
      {"CreateMasterplan", create_masterplan},
      {"SetMasterplanIdentity", set_masterplan_identity},
      {"SetMasterplanPeriod", set_masterplan_period},
      {"SetRpjmdReference", set_rpjmd_reference},
      {"SetVision", set_vision},
      {"AddMission", add_mission},
      {"UpdateMission", update_mission},
      {"RemoveMission", remove_mission},
      {"AddStrategicIssue", add_strategic_issue},
      {"UpdateStrategicIssue", update_strategic_issue},
      {"RemoveStrategicIssue", remove_strategic_issue},
      {"AddReadinessEntry", add_readiness_entry},
      {"UpdateReadinessEntry", update_readiness_entry},
      {"RemoveReadinessEntry", remove_readiness_entry},
      {"RegisterOpd", register_opd},
      {"RenameOpd", rename_opd},
      {"RetireOpd", retire_opd},
      {"ReinstateOpd", reinstate_opd},
      {"AddProgram", add_program},
      {"UpdateProgram", update_program},
      {"RemoveProgram", remove_program},
      {"SetProgramYears", set_program_years},
      {"SetProgramLeadOpd", set_program_lead_opd},
      {"AddSupportingOpd", add_supporting_opd},
      {"RemoveSupportingOpd", remove_supporting_opd},
      {"SetQuickWin", set_quick_win},
      {"SetProgramBudget", set_program_budget},
      {"RemoveProgramBudget", remove_program_budget},
      {"AddIndicator", add_indicator},
      {"UpdateIndicator", update_indicator},
      {"RemoveIndicator", remove_indicator},
      {"SetIndicatorTarget", set_indicator_target},
      {"RemoveIndicatorTarget", remove_indicator_target},
      {"AddMember", add_member},
      {"ChangeMemberRole", change_member_role},
      {"RemoveMember", remove_member},
      {"AddComment", add_comment},
      {"ResolveComment", resolve_comment},
      {"SubmitMasterplan", submit_masterplan},
      {"StartReview", start_review},
      {"ApproveMasterplan", approve_masterplan},
      {"ReopenMasterplan", reopen_masterplan},
      {"EnablePlugin", enable_plugin},
      {"DisablePlugin", disable_plugin},
      {"EditText", edit_text},
      {"RecordMou", record_mou},
      {"ScheduleBimtekStage", schedule_bimtek_stage},
      {"RecordBimtekStageHeld", record_bimtek_stage_held},
      {"SetBimtekExperts", set_bimtek_experts},
      {"RecordBimtekAttendance", record_bimtek_attendance},
      {"SetBimtekStageNotes", set_bimtek_stage_notes},
      {"CloseBimtekStage", close_bimtek_stage},
      {"ReopenBimtekStage", reopen_bimtek_stage},
      {"AddGap", add_gap},
      {"RemoveGap", remove_gap},
      {"AddStrategy", add_strategy},
      {"UpdateStrategy", update_strategy},
      {"RemoveStrategy", remove_strategy},
      {"SetProgramMissions", set_program_missions},
      {"SetProgramPlanReference", set_program_plan_reference},
      {"SetQuickWinProfile", set_quick_win_profile},
      {"RecordCommitmentLetter", record_commitment_letter},
      {"WithdrawCommitmentLetter", withdraw_commitment_letter},
      {"RecordPresentation", record_presentation},
      {"Undo", handle_undo},
  };
  auto it = table.find(type);
  return it == table.end() ? nullptr : it->second;
}

namespace {

Rejection reject(Decider& d, std::string_view fallback_message_en) {
  Rejection rejection;
  rejection.code = !d.headline.empty() ? d.headline : d.violations.front().code;
  if (rejection.code == "submission.incomplete") {
    rejection.message = "Masterplan belum lengkap untuk diajukan (" +
                        std::to_string(d.violations.size()) + " kekurangan) / The masterplan "
                        "is not complete enough to submit (" +
                        std::to_string(d.violations.size()) + " missing items)";
  } else if (d.violations.size() == 1) {
    rejection.message = d.violations.front().message_id + " / " + d.violations.front().message_en;
  } else {
    rejection.message = std::string(fallback_message_en) + " (" +
                        std::to_string(d.violations.size()) + " violations)";
  }
  rejection.violations = std::move(d.violations);
  return rejection;
}

void run_plugin_validators(Decider& d) {
  const Extensions* extensions = d.context.extensions;
  if (extensions == nullptr || d.state.plugins.empty()) return;
  // The state is lent, not serialised: a validator reads the entities it asks for.
  for (const auto& [name, use] : d.state.plugins) {
    ValidationOutcome outcome = extensions->validate(name, d.command.type, d.body, d.state);
    if (outcome.failure != ValidatorFailure::none) {
      bool timeout = outcome.failure == ValidatorFailure::timeout;
      d.violate(timeout ? "plugin_timeout" : "plugin_error", "/command",
                "Plugin '" + name + "' gagal memeriksa perintah: " + outcome.failure_message,
                "Plugin '" + name + "' failed to check the command: " + outcome.failure_message,
                json::object{{"plugin", name}});
      return;
    }
    for (auto& violation : outcome.violations) {
      if (violation.detail.is_null()) violation.detail = json::object{{"plugin", name}};
      d.violations.push_back(std::move(violation));
    }
  }
}

}  // namespace

Decision decide(const MasterplanState& state, const Command& command, const Actor& actor,
                const DecideContext& context) {
  const EffectiveActor effective = rules::effective_actor(state, actor);
  Decider d(state, command, effective, context);

  CommandHandler handler = find_handler(command.type);
  if (handler == nullptr) {
    d.violate("command.unknown_type", "/command/type",
              "Jenis perintah '" + command.type + "' tidak dikenal",
              "Unknown command type '" + command.type + "'");
    return fail(reject(d, "Unknown command"));
  }
  if (!state.exists && command.type != "CreateMasterplan") {
    d.violate("masterplan.not_found", "/masterplan",
              "Masterplan belum dibuat (CreateMasterplan)",
              "The masterplan does not exist yet (CreateMasterplan)");
    return fail(reject(d, "No masterplan"));
  }
  rules::check_not_locked(d);
  if (!d.ok()) return fail(reject(d, "Locked"));
  rules::authorize(d);
  if (!d.ok()) return fail(reject(d, "Forbidden"));

  // Field-level rebase (docs/concurrency.md). Undo checks its own keys in handle_undo.
  if (command.base_version && command.type != "Undo") {
    if (*command.base_version > state.version) {
      d.violate("command.base_version_ahead", "/baseVersion",
                "Versi dasar " + std::to_string(*command.base_version) +
                    " melebihi versi masterplan " + std::to_string(state.version),
                "Base version " + std::to_string(*command.base_version) +
                    " is ahead of the masterplan's version " + std::to_string(state.version));
      return fail(reject(d, "Base version ahead"));
    }
    if (*command.base_version < state.version) {
      d.violations = find_conflicts(state, command_keys(command.type, command.body),
                                    *command.base_version);
      if (!d.ok()) {
        d.headline = "conflict";
        return fail(reject(d, "Conflicting edits"));
      }
    }
  }

  handler(d);
  if (!d.ok()) return fail(reject(d, "The command breaks the rules"));
  run_plugin_validators(d);
  if (!d.ok()) return fail(reject(d, "A plugin refused the command"));
  return std::move(d.events);
}

std::string undo_target(const Command& command) {
  if (command.type != "Undo") return {};
  return ja::str(command.body, "commandId");
}

}  // namespace rembuk::model
