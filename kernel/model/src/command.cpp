// Decoding commands and actors from untrusted JSON, without exceptions.
#include "rembuk/model/command.hpp"

#include <boost/json.hpp>

#include "rembuk/model/schema_registry.hpp"

namespace rembuk::model {

namespace json = boost::json;

namespace {

Rejection schema_rejection(std::string path, std::string message_id, std::string message_en) {
  Rejection rejection;
  rejection.code = "schema";
  rejection.message = message_id + " / " + message_en;
  rejection.violations.push_back(
      Violation{"schema", std::move(path), std::move(message_id), std::move(message_en), nullptr});
  return rejection;
}

}  // namespace

const std::vector<std::string>& command_types() {
  static const std::vector<std::string> types = {
      "CreateMasterplan",   "SetMasterplanIdentity", "SetMasterplanPeriod",
      "SetRpjmdReference",  "SetVision",             "AddMission",
      "UpdateMission",      "RemoveMission",         "AddStrategicIssue",
      "UpdateStrategicIssue", "RemoveStrategicIssue", "AddReadinessEntry",
      "UpdateReadinessEntry", "RemoveReadinessEntry", "RegisterOpd",
      "RenameOpd",          "RetireOpd",             "ReinstateOpd",
      "AddProgram",         "UpdateProgram",         "RemoveProgram",
      "SetProgramYears",    "SetProgramLeadOpd",     "AddSupportingOpd",
      "RemoveSupportingOpd", "SetQuickWin",          "SetProgramBudget",
      "RemoveProgramBudget", "AddIndicator",         "UpdateIndicator",
      "RemoveIndicator",    "SetIndicatorTarget",    "RemoveIndicatorTarget",
      "AddMember",          "ChangeMemberRole",      "RemoveMember",
      "AddComment",         "ResolveComment",        "SubmitMasterplan",
      "StartReview",        "ApproveMasterplan",     "ReopenMasterplan",
      "EnablePlugin",       "DisablePlugin",         "EditText",      "Undo",
      // The Bimtek track.
      "RecordMou",
      "ScheduleBimtekStage",
      "RecordBimtekStageHeld",
      "SetBimtekExperts",
      "RecordBimtekAttendance",
      "SetBimtekStageNotes",
      "CloseBimtekStage",
      "ReopenBimtekStage",
      "AddGap",
      "RemoveGap",
      "AddStrategy",
      "UpdateStrategy",
      "RemoveStrategy",
      "SetProgramMissions",
      "SetProgramPlanReference",
      "SetQuickWinProfile",
      "RecordCommitmentLetter",
      "WithdrawCommitmentLetter",
      "RecordPresentation"};
  return types;
}

Result<Command, Rejection> decode_command(const json::value& value,
                                          const SchemaRegistry& schemas) {
  if (!value.is_object()) {
    return fail(schema_rejection("/command", "Perintah harus berupa objek JSON",
                                 "A command must be a JSON object"));
  }
  const auto& object = value.get_object();
  const auto* type = object.if_contains("type");
  if (type == nullptr || !type->is_string()) {
    return fail(schema_rejection("/command/type", "Perintah tanpa 'type'",
                                 "The command has no 'type'"));
  }
  std::string type_name(type->get_string());
  if (!schemas.has_command(type_name)) {
    Rejection rejection;
    rejection.code = "command.unknown_type";
    rejection.message = "Jenis perintah '" + type_name + "' tidak dikenal / Unknown command type '" +
                        type_name + "'";
    rejection.violations.push_back(Violation{"command.unknown_type", "/command/type",
                                             "Jenis perintah '" + type_name + "' tidak dikenal",
                                             "Unknown command type '" + type_name + "'", nullptr});
    return fail(std::move(rejection));
  }
  auto violations = schemas.check_command(type_name, value, "/command");
  if (!violations.empty()) {
    Rejection rejection;
    rejection.code = "schema";
    rejection.message = "Perintah " + type_name + " tidak sesuai skemanya / The " + type_name +
                        " command does not match its schema";
    rejection.violations = std::move(violations);
    return fail(std::move(rejection));
  }
  Command command;
  command.type = std::move(type_name);
  command.body = object;
  return command;
}

Result<Actor, Rejection> decode_actor(const json::value& value) {
  if (!value.is_object()) {
    return fail(schema_rejection("/actor", "Pelaku harus berupa objek {user, roles, opd}",
                                 "The actor must be an object {user, roles, opd}"));
  }
  const auto& object = value.get_object();
  Actor actor;
  const auto* user = object.if_contains("user");
  if (user == nullptr || !user->is_string() || user->get_string().empty() ||
      user->get_string().size() > 256) {
    return fail(schema_rejection("/actor/user", "Pelaku tanpa 'user' (1..256 byte)",
                                 "The actor has no 'user' (1..256 bytes)"));
  }
  actor.user = std::string(user->get_string());
  if (const auto* roles = object.if_contains("roles"); roles != nullptr) {
    if (!roles->is_array()) {
      return fail(schema_rejection("/actor/roles", "'roles' harus berupa larik teks",
                                   "'roles' must be an array of strings"));
    }
    for (const auto& role : roles->get_array()) {
      if (!role.is_string()) {
        return fail(schema_rejection("/actor/roles", "'roles' harus berupa larik teks",
                                     "'roles' must be an array of strings"));
      }
      actor.roles.emplace_back(role.get_string());
    }
  }
  if (const auto* opd = object.if_contains("opd"); opd != nullptr && !opd->is_null()) {
    if (!opd->is_string()) {
      return fail(schema_rejection("/actor/opd", "'opd' harus berupa teks",
                                   "'opd' must be a string"));
    }
    actor.opd = std::string(opd->get_string());
  }
  return actor;
}

}  // namespace rembuk::model
