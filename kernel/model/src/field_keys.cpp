#include "field_keys.hpp"

#include <unordered_map>

#include "bimtek_json.hpp"
#include "entity_json.hpp"
#include "json_access.hpp"
#include "rembuk/model/canonical_json.hpp"

namespace rembuk::model {

namespace json = boost::json;
namespace ja = json_access;

namespace {

std::string int_text(const json::object& o, std::string_view key) {
  auto value = ja::opt_int(o, key);
  return value ? std::to_string(*value) : std::string("?");
}

// Keys of an "update" whose changed fields are the members of `fields` except the ids.
void update_keys(std::vector<FieldKey>& keys, const std::string& prefix,
                 const json::object& fields) {
  for (const auto& member : fields) {
    std::string_view name = member.key();
    if (name == "type" || name == "programId" || name == "indicatorId" || name == "entryId") {
      continue;
    }
    keys.push_back({prefix + "/" + std::string(name), false});
  }
}

const json::object& changes_or_self(const json::object& payload) {
  const auto* changes = ja::obj(payload, "changes");
  return changes != nullptr ? *changes : payload;
}

const std::unordered_map<std::string_view, std::string_view>& command_to_event() {
  static const std::unordered_map<std::string_view, std::string_view> map = {
      {"CreateMasterplan", "MasterplanCreated"},
      {"SetMasterplanIdentity", "MasterplanIdentitySet"},
      {"SetMasterplanPeriod", "MasterplanPeriodSet"},
      {"SetRpjmdReference", "RpjmdReferenceSet"},
      {"SetVision", "VisionSet"},
      {"AddMission", "MissionAdded"},
      {"UpdateMission", "MissionUpdated"},
      {"RemoveMission", "MissionRemoved"},
      {"AddStrategicIssue", "StrategicIssueAdded"},
      {"UpdateStrategicIssue", "StrategicIssueUpdated"},
      {"RemoveStrategicIssue", "StrategicIssueRemoved"},
      {"AddReadinessEntry", "ReadinessEntryAdded"},
      {"UpdateReadinessEntry", "ReadinessEntryUpdated"},
      {"RemoveReadinessEntry", "ReadinessEntryRemoved"},
      {"RegisterOpd", "OpdRegistered"},
      {"RenameOpd", "OpdRenamed"},
      {"RetireOpd", "OpdRetired"},
      {"ReinstateOpd", "OpdReinstated"},
      {"AddProgram", "ProgramAdded"},
      {"UpdateProgram", "ProgramUpdated"},
      {"RemoveProgram", "ProgramRemoved"},
      {"SetProgramYears", "ProgramYearsSet"},
      {"SetProgramLeadOpd", "ProgramLeadOpdSet"},
      {"AddSupportingOpd", "SupportingOpdAdded"},
      {"RemoveSupportingOpd", "SupportingOpdRemoved"},
      {"SetQuickWin", "ProgramQuickWinSet"},
      {"SetProgramBudget", "ProgramBudgetSet"},
      {"RemoveProgramBudget", "ProgramBudgetRemoved"},
      {"AddIndicator", "IndicatorAdded"},
      {"UpdateIndicator", "IndicatorUpdated"},
      {"RemoveIndicator", "IndicatorRemoved"},
      {"SetIndicatorTarget", "IndicatorTargetSet"},
      {"RemoveIndicatorTarget", "IndicatorTargetRemoved"},
      {"AddMember", "MemberAdded"},
      {"ChangeMemberRole", "MemberRoleChanged"},
      {"RemoveMember", "MemberRemoved"},
      {"AddComment", "CommentAdded"},
      {"ResolveComment", "CommentResolved"},
      {"RecordMou", "MouRecorded"},
      {"ScheduleBimtekStage", "BimtekStageScheduled"},
      {"RecordBimtekStageHeld", "BimtekStageHeld"},
      {"SetBimtekExperts", "BimtekExpertsSet"},
      {"RecordBimtekAttendance", "BimtekAttendanceRecorded"},
      {"SetBimtekStageNotes", "BimtekStageNotesSet"},
      {"CloseBimtekStage", "BimtekStageClosed"},
      {"ReopenBimtekStage", "BimtekStageReopened"},
      {"AddGap", "GapAdded"},
      {"RemoveGap", "GapRemoved"},
      {"AddStrategy", "StrategyAdded"},
      {"UpdateStrategy", "StrategyUpdated"},
      {"RemoveStrategy", "StrategyRemoved"},
      {"SetProgramMissions", "ProgramMissionsSet"},
      {"SetProgramPlanReference", "ProgramPlanReferenceSet"},
      {"SetQuickWinProfile", "QuickWinProfileSet"},
      {"RecordCommitmentLetter", "CommitmentLetterRecorded"},
      {"WithdrawCommitmentLetter", "CommitmentLetterWithdrawn"},
      {"RecordPresentation", "PresentationRecorded"},
  };
  return map;
}

}  // namespace

namespace {

// The keys of the Bimtek track's events (none for any other type).
void bimtek_event_keys(std::string_view type, const json::object& p,
                       std::vector<FieldKey>& keys) {
  auto stage = [&](std::string_view field) {
    return "bimtek/" + int_text(p, "stage") + "/" + std::string(field);
  };
  auto program = [&](std::string_view field) {
    return "program/" + ja::str(p, "programId") + "/" + std::string(field);
  };
  if (type == "BimtekStageScheduled") {
    keys.push_back({stage("schedule"), false});
  } else if (type == "BimtekStageHeld") {
    keys.push_back({stage("held"), false});
  } else if (type == "BimtekExpertsSet") {
    keys.push_back({stage("experts"), false});
  } else if (type == "BimtekAttendanceRecorded") {
    keys.push_back({stage("attendance"), false});
  } else if (type == "BimtekStageNotesSet") {
    keys.push_back({stage("notes"), false});
  } else if (type == "BimtekStageClosed" || type == "BimtekStageReopened") {
    keys.push_back({stage("closed"), false});
  } else if (type == "GapAdded" || type == "GapRemoved") {
    keys.push_back({"gap/" + ja::str(p, "gapId"), true});
  } else if (type == "StrategyAdded" || type == "StrategyRemoved") {
    keys.push_back({"strategy/" + ja::str(p, "strategyId"), true});
  } else if (type == "StrategyUpdated") {
    keys.push_back({"strategy/" + ja::str(p, "strategyId") + "/text", false});
  } else if (type == "ProgramMissionsSet") {
    keys.push_back({program("missions"), false});
  } else if (type == "ProgramPlanReferenceSet") {
    keys.push_back({program("planReference"), false});
  } else if (type == "QuickWinProfileSet") {
    keys.push_back({program("quickWinProfile"), false});
  } else if (type == "CommitmentLetterRecorded" || type == "CommitmentLetterWithdrawn") {
    keys.push_back({"commitmentLetter/" + ja::str(p, "letterId"), true});
  } else if (type == "PresentationRecorded") {
    keys.push_back({"masterplan/presentation", false});
  } else if (type == "MouRecorded") {
    keys.push_back({"masterplan/mou", false});
  }
}

}  // namespace

std::vector<FieldKey> event_keys(std::string_view type, const json::object& p) {
  std::vector<FieldKey> keys;
  auto program = [&] { return "program/" + ja::str(p, "programId"); };
  auto indicator = [&] { return program() + "/indicator/" + ja::str(p, "indicatorId"); };
  if (type == "MasterplanIdentitySet") {
    keys.push_back({"masterplan/identity", false});
  } else if (type == "MasterplanPeriodSet") {
    keys.push_back({"masterplan/period", false});
  } else if (type == "RpjmdReferenceSet") {
    keys.push_back({"masterplan/rpjmd", false});
  } else if (type == "VisionSet") {
    keys.push_back({"masterplan/vision", false});
  } else if (type == "MissionAdded" || type == "MissionRemoved") {
    keys.push_back({"mission/" + ja::str(p, "missionId"), true});
  } else if (type == "MissionUpdated") {
    keys.push_back({"mission/" + ja::str(p, "missionId") + "/text", false});
  } else if (type == "StrategicIssueAdded" || type == "StrategicIssueRemoved") {
    keys.push_back({"strategicIssue/" + ja::str(p, "issueId"), true});
  } else if (type == "StrategicIssueUpdated") {
    keys.push_back({"strategicIssue/" + ja::str(p, "issueId") + "/text", false});
  } else if (type == "ReadinessEntryAdded" || type == "ReadinessEntryRemoved") {
    keys.push_back({"readiness/" + ja::str(p, "entryId"), true});
  } else if (type == "ReadinessEntryUpdated") {
    update_keys(keys, "readiness/" + ja::str(p, "entryId"), changes_or_self(p));
  } else if (type == "OpdRegistered" || type == "OpdRetired" || type == "OpdReinstated") {
    keys.push_back({"opd/" + ja::str(p, "opdId"), true});
  } else if (type == "OpdRenamed") {
    keys.push_back({"opd/" + ja::str(p, "opdId") + "/name", false});
  } else if (type == "ProgramAdded" || type == "ProgramRemoved" || type == "ProgramRestored") {
    keys.push_back({program(), true});
  } else if (type == "ProgramUpdated") {
    update_keys(keys, program(), changes_or_self(p));
  } else if (type == "ProgramYearsSet") {
    keys.push_back({program() + "/years", false});
  } else if (type == "ProgramLeadOpdSet") {
    keys.push_back({program() + "/leadOpd", false});
  } else if (type == "SupportingOpdAdded" || type == "SupportingOpdRemoved") {
    keys.push_back({program() + "/supportingOpds/" + ja::str(p, "opdId"), false});
  } else if (type == "ProgramQuickWinSet") {
    keys.push_back({program() + "/quickWin", false});
  } else if (type == "ProgramBudgetSet" || type == "ProgramBudgetRemoved") {
    keys.push_back(
        {program() + "/budget/" + int_text(p, "year") + "/" + ja::str(p, "source"), false});
  } else if (type == "IndicatorAdded" || type == "IndicatorRemoved") {
    keys.push_back({indicator(), true});
  } else if (type == "IndicatorUpdated") {
    update_keys(keys, indicator(), changes_or_self(p));
  } else if (type == "IndicatorTargetSet" || type == "IndicatorTargetRemoved") {
    keys.push_back({indicator() + "/target/" + int_text(p, "year"), false});
  } else if (type == "MemberAdded" || type == "MemberRemoved") {
    keys.push_back({"member/" + ja::str(p, "userId"), true});
  } else if (type == "MemberRoleChanged") {
    keys.push_back({"member/" + ja::str(p, "userId") + "/role", false});
  } else if (type == "CommentAdded" || type == "CommentWithdrawn") {
    keys.push_back({"comment/" + ja::str(p, "commentId"), true});
  } else if (type == "CommentResolved" || type == "CommentReopened") {
    keys.push_back({"comment/" + ja::str(p, "commentId") + "/resolved", false});
  } else if (type == "MasterplanSubmitted" || type == "ReviewStarted" ||
             type == "MasterplanApproved" || type == "MasterplanReopened") {
    keys.push_back({"masterplan/status", false});
  } else if (type == "TextEdited") {
    keys.push_back({ja::str(p, "field"), false});
  } else if (type == "PluginEnabled" || type == "PluginDisabled") {
    keys.push_back({"plugin/" + ja::str(p, "name"), true});
  } else {
    bimtek_event_keys(type, p, keys);
  }
  return keys;
}

std::vector<FieldKey> command_keys(std::string_view type, const json::object& body) {
  if (type == "SubmitMasterplan" || type == "StartReview" || type == "ApproveMasterplan" ||
      type == "ReopenMasterplan") {
    return {{"", false}};
  }
  if (type == "EnablePlugin" || type == "DisablePlugin") {
    return {{"plugin/" + ja::str(body, "plugin"), true}};
  }
  const auto& map = command_to_event();
  auto it = map.find(type);
  if (it == map.end()) return {};
  return event_keys(it->second, body);
}

void record_changes(MasterplanState& state, const std::vector<FieldKey>& keys, Version version,
                    const std::string& actor) {
  for (const auto& field : keys) {
    const std::string& key = field.key;
    // The key first, so that its ancestors below name it as their leaf by reference
    // (FieldChanges::record).
    state.subtree_changes.record(key, version, actor, key);
    // Every prefix ("" and each ancestor) learns that something under it changed.
    state.subtree_changes.record("", version, actor, key);
    for (std::size_t slash = key.find('/'); slash != std::string::npos;
         slash = key.find('/', slash + 1)) {
      state.subtree_changes.record(std::string_view(key).substr(0, slash), version, actor, key);
    }
    if (field.structural) state.structural_changes.record(key, version, actor, key);
  }
}

Violation conflict_violation(const MasterplanState& state, const std::string& touched,
                             const FieldChange& change, Version since) {
  const std::string field = change.key.empty() ? touched : std::string(change.key);
  const std::string actor(change.actor);
  Violation v;
  v.code = "conflict";
  v.path = "/command";
  v.message_id = "Isian " + field + " telah diubah oleh " + actor + " pada versi " +
                 std::to_string(change.version) + ", setelah versi " + std::to_string(since) +
                 " yang Anda lihat";
  v.message_en = "Field " + field + " was changed by " + actor + " at version " +
                 std::to_string(change.version) + ", after the version " +
                 std::to_string(since) + " you saw";
  v.detail = json::object{{"field", field},
                          {"touched", touched},
                          {"currentValue", field_value(state, field)},
                          {"changedBy", actor},
                          {"changedAtVersion", change.version},
                          {"baseVersion", since}};
  return v;
}

std::optional<Violation> entity_conflict(const MasterplanState& state, const std::string& key,
                                         Version since) {
  for (std::size_t slash = key.find('/'); slash != std::string::npos;
       slash = key.find('/', slash + 1)) {
    auto change = state.structural_changes.find(std::string_view(key).substr(0, slash));
    if (change && change->version > since) return conflict_violation(state, key, *change, since);
  }
  return std::nullopt;
}

std::vector<Violation> find_conflicts(const MasterplanState& state,
                                      const std::vector<FieldKey>& keys, Version since) {
  std::vector<Violation> violations;
  if (since >= state.version) return violations;
  for (const auto& field : keys) {
    const std::string& key = field.key;
    if (auto change = state.subtree_changes.find(key); change && change->version > since) {
      violations.push_back(conflict_violation(state, key, *change, since));
      continue;
    }
    // An ancestor entity added/removed after `since` (e.g. the program was removed).
    if (auto conflict = entity_conflict(state, key, since)) {
      violations.push_back(std::move(*conflict));
    }
  }
  return violations;
}

namespace {

std::vector<std::string_view> split(std::string_view key) {
  std::vector<std::string_view> parts;
  while (true) {
    auto slash = key.find('/');
    parts.push_back(key.substr(0, slash));
    if (slash == std::string_view::npos) break;
    key.remove_prefix(slash + 1);
  }
  return parts;
}

json::value member_of(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value == nullptr ? json::value(nullptr) : *value;
}

}  // namespace

json::value field_value(const MasterplanState& state, std::string_view key) {
  if (key.empty()) return json::value(state.version);
  auto parts = split(key);
  const std::string id = parts.size() > 1 ? std::string(parts[1]) : std::string();
  if (parts[0] == "masterplan" && parts.size() == 2) {
    if (parts[1] == "vision") return json::value(state.vision);
    if (parts[1] == "status") return json::value(to_string(state.status));
    if (parts[1] == "rpjmd") return to_json(state.rpjmd);
    if (parts[1] == "presentation") return to_json(state.presentation);
    if (parts[1] == "mou") return to_json(state.mou);
    if (parts[1] == "period") {
      return json::object{{"startYear", state.start_year}, {"endYear", state.end_year}};
    }
    if (parts[1] == "identity") {
      return json::object{{"cityName", state.city_name}, {"regionCode", state.region_code}};
    }
    return nullptr;
  }
  if (parts[0] == "mission") {
    for (const auto& mission : state.missions) {
      if (mission.id == id) return json::value(mission.text);
    }
    return nullptr;
  }
  if (parts[0] == "strategicIssue") {
    auto it = state.strategic_issues.find(id);
    return it == state.strategic_issues.end() ? json::value(nullptr)
                                              : json::value(it->second.text);
  }
  if (parts[0] == "readiness") {
    auto it = state.readiness.find(id);
    if (it == state.readiness.end()) return nullptr;
    auto object = to_json(it->second);
    return parts.size() > 2 ? member_of(object, parts[2]) : json::value(object);
  }
  if (parts[0] == "opd") {
    auto it = state.opds.find(id);
    if (it == state.opds.end()) return nullptr;
    auto object = to_json(it->second);
    return parts.size() > 2 ? member_of(object, parts[2]) : json::value(object);
  }
  if (parts[0] == "member") {
    auto it = state.members.find(id);
    if (it == state.members.end()) return nullptr;
    auto object = to_json(it->second);
    return parts.size() > 2 ? member_of(object, parts[2]) : json::value(object);
  }
  if (parts[0] == "comment") {
    auto it = state.comments.find(id);
    if (it == state.comments.end()) return nullptr;
    auto object = to_json(it->second);
    return parts.size() > 2 ? member_of(object, parts[2]) : json::value(object);
  }
  if (parts[0] == "bimtek") {
    const BimtekStage* stage = state.find_stage(std::atoi(id.c_str()));
    if (stage == nullptr) return nullptr;
    auto object = to_json(*stage);
    return parts.size() > 2 ? member_of(object, parts[2]) : json::value(object);
  }
  if (parts[0] == "gap") {
    auto it = state.gaps.find(id);
    return it == state.gaps.end() ? json::value(nullptr) : json::value(to_json(it->second));
  }
  if (parts[0] == "strategy") {
    auto it = state.strategies.find(id);
    return it == state.strategies.end() ? json::value(nullptr) : json::value(it->second.text);
  }
  if (parts[0] == "commitmentLetter") {
    auto it = state.commitment_letters.find(id);
    return it == state.commitment_letters.end() ? json::value(nullptr)
                                                : json::value(to_json(it->second));
  }
  if (parts[0] == "plugin") {
    auto it = state.plugins.find(id);
    if (it == state.plugins.end()) return nullptr;
    return json::value(it->second.version);
  }
  if (parts[0] == "program") {
    const Program* program = state.find_program(id);
    if (program == nullptr) return nullptr;
    if (parts.size() == 2) return to_json(*program);
    std::string_view field = parts[2];
    if (field == "years") {
      return json::object{{"startYear", program->start_year}, {"endYear", program->end_year}};
    }
    if (field == "supportingOpds" && parts.size() == 4) {
      return json::value(program->supporting_opds.count(std::string(parts[3])) > 0);
    }
    if (field == "budget" && parts.size() == 5) {
      int year = std::atoi(std::string(parts[3]).c_str());
      auto it = program->budget.find({year, std::string(parts[4])});
      return it == program->budget.end() ? json::value(nullptr) : json::value(it->second);
    }
    if (field == "indicator" && parts.size() >= 4) {
      auto it = program->indicators.find(std::string(parts[3]));
      if (it == program->indicators.end()) return nullptr;
      if (parts.size() == 4) return to_json(it->second);
      if (parts[4] == "target" && parts.size() == 6) {
        int year = std::atoi(std::string(parts[5]).c_str());
        auto target = it->second.targets.find(year);
        return target == it->second.targets.end() ? json::value(nullptr)
                                                  : json::value(target->second);
      }
      return member_of(to_json(it->second), parts[4]);
    }
    return member_of(to_json(*program), field);
  }
  return nullptr;
}

}  // namespace rembuk::model
