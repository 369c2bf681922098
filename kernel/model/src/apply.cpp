// apply: one event into the state. Each branch mirrors one event of docs/commands.md.
#include "rembuk/model/apply.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "bimtek_json.hpp"
#include "entity_json.hpp"
#include "field_keys.hpp"
#include "json_access.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "text_fields.hpp"

namespace rembuk::model {

namespace json = boost::json;
namespace ja = json_access;

namespace {

using Handler = std::function<void(MasterplanState&, const EventRecord&)>;

// Adds or replaces a program; a new id gives the state's program ids a new generation.
void put_program(MasterplanState& s, Program program) {
  auto [it, added] = s.programs.try_emplace(program.id);
  it->second = std::move(program);
  if (added) s.program_ids_generation = next_program_ids_generation();
}

Program* program_of(MasterplanState& s, const json::object& p) {
  auto it = s.programs.find(ja::str(p, "programId"));
  return it == s.programs.end() ? nullptr : &it->second;
}

Indicator* indicator_of(MasterplanState& s, const json::object& p) {
  Program* program = program_of(s, p);
  if (program == nullptr) return nullptr;
  auto it = program->indicators.find(ja::str(p, "indicatorId"));
  return it == program->indicators.end() ? nullptr : &it->second;
}

const json::object& changes(const json::object& p) {
  static const json::object empty;
  const auto* c = ja::obj(p, "changes");
  return c != nullptr ? *c : empty;
}

void set_status(MasterplanState& s, Status status) { s.status = status; }

BimtekStage* stage_of(MasterplanState& s, const json::object& p) {
  auto number = ja::opt_int(p, "stage").value_or(0);
  if (number < 1 || number > 4) return nullptr;
  return &s.bimtek[static_cast<std::size_t>(number - 1)];
}

const std::unordered_map<std::string_view, Handler>& handlers() {
  static const std::unordered_map<std::string_view, Handler> map = {
      {"MasterplanCreated",
       [](MasterplanState& s, const EventRecord& e) {
         const auto& p = e.payload;
         s.exists = true;
         s.city_name = ja::str(p, "cityName");
         s.region_code = ja::str(p, "regionCode");
         s.start_year = ja::year(p, "startYear");
         s.end_year = ja::year(p, "endYear");
         if (const auto* r = p.if_contains("rpjmd")) {
           if (auto rpjmd = rpjmd_from_json(*r)) s.rpjmd = *rpjmd;
         }
         s.created_by = ja::str(p, "createdBy");
         s.status = Status::draft;
       }},
      {"MasterplanIdentitySet",
       [](MasterplanState& s, const EventRecord& e) {
         s.city_name = ja::str(e.payload, "cityName");
         s.region_code = ja::str(e.payload, "regionCode");
       }},
      {"MasterplanPeriodSet",
       [](MasterplanState& s, const EventRecord& e) {
         s.start_year = ja::year(e.payload, "startYear");
         s.end_year = ja::year(e.payload, "endYear");
       }},
      {"RpjmdReferenceSet",
       [](MasterplanState& s, const EventRecord& e) {
         const auto* r = e.payload.if_contains("rpjmd");
         if (r == nullptr) return;
         if (auto rpjmd = rpjmd_from_json(*r)) s.rpjmd = *rpjmd;
       }},
      {"VisionSet",
       [](MasterplanState& s, const EventRecord& e) { s.vision = ja::str(e.payload, "text"); }},
      {"MissionAdded",
       [](MasterplanState& s, const EventRecord& e) {
         Mission mission{ja::str(e.payload, "missionId"), ja::str(e.payload, "text")};
         auto position = ja::opt_int(e.payload, "position").value_or(
             static_cast<std::int64_t>(s.missions.size()));
         position = std::clamp<std::int64_t>(position, 0,
                                             static_cast<std::int64_t>(s.missions.size()));
         s.missions.insert(s.missions.begin() + position, std::move(mission));
       }},
      {"MissionUpdated",
       [](MasterplanState& s, const EventRecord& e) {
         for (auto& mission : s.missions) {
           if (mission.id == ja::str_view(e.payload, "missionId")) {
             mission.text = ja::str(e.payload, "text");
           }
         }
       }},
      {"MissionRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         auto id = ja::str_view(e.payload, "missionId");
         std::erase_if(s.missions, [&](const Mission& m) { return m.id == id; });
       }},
      {"StrategicIssueAdded",
       [](MasterplanState& s, const EventRecord& e) {
         StrategicIssue issue{ja::str(e.payload, "issueId"), ja::str(e.payload, "dimension"),
                              ja::str(e.payload, "text")};
         s.strategic_issues[issue.id] = std::move(issue);
       }},
      {"StrategicIssueUpdated",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.strategic_issues.find(ja::str(e.payload, "issueId"));
         if (it != s.strategic_issues.end()) it->second.text = ja::str(e.payload, "text");
       }},
      {"StrategicIssueRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         s.strategic_issues.erase(ja::str(e.payload, "issueId"));
       }},
      {"ReadinessEntryAdded",
       [](MasterplanState& s, const EventRecord& e) {
         const auto& p = e.payload;
         ReadinessEntry entry{ja::str(p, "entryId"),     ja::str(p, "axis"),
                              ja::str(p, "title"),       ja::str(p, "description"),
                              ja::opt_number(p, "quantity"), ja::str(p, "unit"),
                              ja::str(p, "swot")};
         s.readiness[entry.id] = std::move(entry);
       }},
      {"ReadinessEntryUpdated",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.readiness.find(ja::str(e.payload, "entryId"));
         if (it == s.readiness.end()) return;
         const auto& c = changes(e.payload);
         if (c.contains("title")) it->second.title = ja::str(c, "title");
         if (c.contains("description")) it->second.description = ja::str(c, "description");
         if (c.contains("quantity")) it->second.quantity = ja::opt_number(c, "quantity");
         if (c.contains("unit")) it->second.unit = ja::str(c, "unit");
         if (c.contains("swot")) it->second.swot = ja::str(c, "swot");
       }},
      {"ReadinessEntryRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         s.readiness.erase(ja::str(e.payload, "entryId"));
       }},
      {"OpdRegistered",
       [](MasterplanState& s, const EventRecord& e) {
         Opd opd{ja::str(e.payload, "opdId"), ja::str(e.payload, "name"),
                 ja::str(e.payload, "shortName"), false};
         s.opds[opd.id] = std::move(opd);
       }},
      {"OpdRenamed",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.opds.find(ja::str(e.payload, "opdId"));
         if (it == s.opds.end()) return;
         it->second.name = ja::str(e.payload, "name");
         it->second.short_name = ja::str(e.payload, "shortName");
       }},
      {"OpdRetired",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.opds.find(ja::str(e.payload, "opdId"));
         if (it != s.opds.end()) it->second.retired = true;
       }},
      {"OpdReinstated",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.opds.find(ja::str(e.payload, "opdId"));
         if (it != s.opds.end()) it->second.retired = false;
       }},
      {"ProgramAdded",
       [](MasterplanState& s, const EventRecord& e) {
         auto program = program_from_json(e.payload);
         if (program) put_program(s, std::move(*program));
       }},
      {"ProgramUpdated",
       [](MasterplanState& s, const EventRecord& e) {
         Program* program = program_of(s, e.payload);
         if (program == nullptr) return;
         const auto& c = changes(e.payload);
         if (c.contains("title")) program->title = ja::str(c, "title");
         if (c.contains("description")) program->description = ja::str(c, "description");
         if (c.contains("dimension")) program->dimension = ja::str(c, "dimension");
         if (c.contains("element")) program->element = ja::str(c, "element");
         if (c.contains("outputs")) program->outputs = ja::strings(c, "outputs");
         if (c.contains("outcomes")) program->outcomes = ja::strings(c, "outcomes");
       }},
      {"ProgramRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         if (s.programs.erase(ja::str(e.payload, "programId")) != 0) {
           s.program_ids_generation = next_program_ids_generation();
         }
       }},
      {"ProgramRestored",
       [](MasterplanState& s, const EventRecord& e) {
         const auto* p = e.payload.if_contains("program");
         if (p == nullptr) return;
         auto program = program_from_json(*p);
         if (program) put_program(s, std::move(*program));
       }},
      {"ProgramYearsSet",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           program->start_year = ja::year(e.payload, "startYear");
           program->end_year = ja::year(e.payload, "endYear");
         }
       }},
      {"ProgramLeadOpdSet",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           program->lead_opd = ja::str(e.payload, "leadOpd");
         }
       }},
      {"SupportingOpdAdded",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           program->supporting_opds.insert(ja::str(e.payload, "opdId"));
         }
       }},
      {"SupportingOpdRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           program->supporting_opds.erase(ja::str(e.payload, "opdId"));
         }
       }},
      {"ProgramQuickWinSet",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           program->quick_win = ja::boolean(e.payload, "quickWin", false);
         }
       }},
      {"ProgramBudgetSet",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           program->budget[{ja::year(e.payload, "year"), ja::str(e.payload, "source")}] =
               ja::opt_int(e.payload, "amount").value_or(0);
         }
       }},
      {"ProgramBudgetRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           program->budget.erase({ja::year(e.payload, "year"), ja::str(e.payload, "source")});
         }
       }},
      {"IndicatorAdded",
       [](MasterplanState& s, const EventRecord& e) {
         Program* program = program_of(s, e.payload);
         if (program == nullptr) return;
         auto indicator = indicator_from_json(e.payload);
         if (indicator) program->indicators[indicator->id] = std::move(*indicator);
       }},
      {"IndicatorRestored",
       [](MasterplanState& s, const EventRecord& e) {
         Program* program = program_of(s, e.payload);
         const auto* i = e.payload.if_contains("indicator");
         if (program == nullptr || i == nullptr) return;
         auto indicator = indicator_from_json(*i);
         if (indicator) program->indicators[indicator->id] = std::move(*indicator);
       }},
      {"IndicatorUpdated",
       [](MasterplanState& s, const EventRecord& e) {
         Indicator* indicator = indicator_of(s, e.payload);
         if (indicator == nullptr) return;
         const auto& c = changes(e.payload);
         if (c.contains("name")) indicator->name = ja::str(c, "name");
         if (c.contains("unit")) indicator->unit = ja::str(c, "unit");
         if (const auto* b = c.if_contains("baseline")) {
           if (auto baseline = baseline_from_json(*b)) indicator->baseline = *baseline;
         }
       }},
      {"IndicatorRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           program->indicators.erase(ja::str(e.payload, "indicatorId"));
         }
       }},
      {"IndicatorTargetSet",
       [](MasterplanState& s, const EventRecord& e) {
         if (Indicator* indicator = indicator_of(s, e.payload)) {
           indicator->targets[ja::year(e.payload, "year")] =
               ja::opt_number(e.payload, "value").value_or(0);
         }
       }},
      {"IndicatorTargetRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         if (Indicator* indicator = indicator_of(s, e.payload)) {
           indicator->targets.erase(ja::year(e.payload, "year"));
         }
       }},
      {"MemberAdded",
       [](MasterplanState& s, const EventRecord& e) {
         auto member = member_from_json(e.payload);
         if (member) s.members[member->user_id] = std::move(*member);
       }},
      {"MemberRoleChanged",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.members.find(ja::str(e.payload, "userId"));
         if (it == s.members.end()) return;
         it->second.role = ja::str(e.payload, "role");
         it->second.opd_id = ja::str(e.payload, "opdId");
       }},
      {"MemberRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         s.members.erase(ja::str(e.payload, "userId"));
       }},
      {"CommentAdded",
       [](MasterplanState& s, const EventRecord& e) {
         const auto& p = e.payload;
         Comment comment{ja::str(p, "commentId"), ja::str(p, "target"), ja::str(p, "text"),
                         ja::str(p, "author"),    ja::str(p, "replyTo"), false, false,
                         e.revision};
         s.comments[comment.id] = std::move(comment);
       }},
      {"CommentResolved",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.comments.find(ja::str(e.payload, "commentId"));
         if (it != s.comments.end()) it->second.resolved = true;
       }},
      {"CommentReopened",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.comments.find(ja::str(e.payload, "commentId"));
         if (it != s.comments.end()) it->second.resolved = false;
       }},
      {"CommentWithdrawn",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.comments.find(ja::str(e.payload, "commentId"));
         if (it != s.comments.end()) it->second.withdrawn = true;
       }},
      {"MasterplanSubmitted",
       [](MasterplanState& s, const EventRecord&) { set_status(s, Status::submitted); }},
      {"ReviewStarted",
       [](MasterplanState& s, const EventRecord&) { set_status(s, Status::under_review); }},
      {"MasterplanApproved",
       [](MasterplanState& s, const EventRecord&) { set_status(s, Status::approved); }},
      {"MasterplanReopened",
       [](MasterplanState& s, const EventRecord&) { set_status(s, Status::draft); }},
      {"PluginEnabled",
       [](MasterplanState& s, const EventRecord& e) {
         PluginUse use{ja::str(e.payload, "name"), ja::str(e.payload, "version"),
                       ja::str(e.payload, "sha256")};
         s.plugins[use.name] = std::move(use);
       }},
      {"PluginDisabled",
       [](MasterplanState& s, const EventRecord& e) {
         s.plugins.erase(ja::str(e.payload, "name"));
       }},
      {"TextEdited",
       [](MasterplanState& s, const EventRecord& e) {
         auto field = parse_text_field(ja::str_view(e.payload, "field"));
         if (!field) return;
         std::string* text = text_of(s, *field);
         auto op = text_edit_op(e.payload);
         if (text == nullptr || !op) return;
         if (auto edited = text::apply(*text, *op)) *text = std::move(edited.value());
       }},
      {"MouRecorded",
       [](MasterplanState& s, const EventRecord& e) {
         const auto* mou = e.payload.if_contains("mou");
         if (mou != nullptr) s.mou = mou_from_json(*mou);
       }},
      {"BimtekStageScheduled",
       [](MasterplanState& s, const EventRecord& e) {
         if (BimtekStage* stage = stage_of(s, e.payload)) {
           stage->scheduled_date = ja::str(e.payload, "scheduledDate");
           stage->place = ja::str(e.payload, "place");
           stage->online_link = ja::str(e.payload, "onlineLink");
         }
       }},
      {"BimtekStageHeld",
       [](MasterplanState& s, const EventRecord& e) {
         if (BimtekStage* stage = stage_of(s, e.payload)) {
           stage->held_date = ja::str(e.payload, "heldDate");
         }
       }},
      {"BimtekExpertsSet",
       [](MasterplanState& s, const EventRecord& e) {
         if (BimtekStage* stage = stage_of(s, e.payload)) {
           stage->experts = ja::strings(e.payload, "experts");
         }
       }},
      {"BimtekAttendanceRecorded",
       [](MasterplanState& s, const EventRecord& e) {
         if (BimtekStage* stage = stage_of(s, e.payload)) {
           auto members = ja::strings(e.payload, "members");
           auto opds = ja::strings(e.payload, "opds");
           stage->members_present = {members.begin(), members.end()};
           stage->opds_present = {opds.begin(), opds.end()};
         }
       }},
      {"BimtekStageNotesSet",
       [](MasterplanState& s, const EventRecord& e) {
         if (BimtekStage* stage = stage_of(s, e.payload)) {
           stage->notes = ja::str(e.payload, "notes");
         }
       }},
      {"BimtekStageClosed",
       [](MasterplanState& s, const EventRecord& e) {
         if (BimtekStage* stage = stage_of(s, e.payload)) stage->closed = true;
       }},
      {"BimtekStageReopened",
       [](MasterplanState& s, const EventRecord& e) {
         if (BimtekStage* stage = stage_of(s, e.payload)) stage->closed = false;
       }},
      {"GapAdded",
       [](MasterplanState& s, const EventRecord& e) {
         Gap gap = gap_from_json(e.payload);
         s.gaps[gap.id] = std::move(gap);
       }},
      {"GapRemoved",
       [](MasterplanState& s, const EventRecord& e) { s.gaps.erase(ja::str(e.payload, "gapId")); }},
      {"StrategyAdded",
       [](MasterplanState& s, const EventRecord& e) {
         Strategy strategy = strategy_from_json(e.payload);
         s.strategies[strategy.id] = std::move(strategy);
       }},
      {"StrategyUpdated",
       [](MasterplanState& s, const EventRecord& e) {
         auto it = s.strategies.find(ja::str(e.payload, "strategyId"));
         if (it != s.strategies.end()) it->second.text = ja::str(e.payload, "text");
       }},
      {"StrategyRemoved",
       [](MasterplanState& s, const EventRecord& e) {
         s.strategies.erase(ja::str(e.payload, "strategyId"));
       }},
      {"ProgramMissionsSet",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           auto missions = ja::strings(e.payload, "missionIds");
           program->missions = {missions.begin(), missions.end()};
         }
       }},
      {"ProgramPlanReferenceSet",
       [](MasterplanState& s, const EventRecord& e) {
         if (Program* program = program_of(s, e.payload)) {
           program->rpjmd_program = ja::str(e.payload, "rpjmdProgram");
           program->renstra = ja::str(e.payload, "renstra");
         }
       }},
      {"QuickWinProfileSet",
       [](MasterplanState& s, const EventRecord& e) {
         Program* program = program_of(s, e.payload);
         const auto* profile = e.payload.if_contains("profile");
         if (program != nullptr && profile != nullptr) {
           program->quick_win_profile = quick_win_profile_from_json(*profile);
         }
       }},
      {"CommitmentLetterRecorded",
       [](MasterplanState& s, const EventRecord& e) {
         CommitmentLetter letter = commitment_letter_from_json(e.payload);
         s.commitment_letters[letter.id] = std::move(letter);
       }},
      {"CommitmentLetterWithdrawn",
       [](MasterplanState& s, const EventRecord& e) {
         s.commitment_letters.erase(ja::str(e.payload, "letterId"));
       }},
      {"PresentationRecorded",
       [](MasterplanState& s, const EventRecord& e) {
         const auto* presentation = e.payload.if_contains("presentation");
         if (presentation != nullptr) s.presentation = presentation_from_json(*presentation);
       }},
      {"CommandUndone",
       [](MasterplanState& s, const EventRecord& e) {
         s.undone_commands.insert(ja::str(e.payload, "commandId"));
       }},
  };
  return map;
}

// The id an "added" event claims, as "<kind>/<id>", or empty.
std::string claimed_id(std::string_view type, const json::object& p) {
  if (type == "ProgramAdded") return "program/" + ja::str(p, "programId");
  if (type == "OpdRegistered") return "opd/" + ja::str(p, "opdId");
  if (type == "MissionAdded") return "mission/" + ja::str(p, "missionId");
  if (type == "StrategicIssueAdded") return "strategicIssue/" + ja::str(p, "issueId");
  if (type == "ReadinessEntryAdded") return "readiness/" + ja::str(p, "entryId");
  if (type == "IndicatorAdded") {
    return "indicator/" + ja::str(p, "programId") + "/" + ja::str(p, "indicatorId");
  }
  if (type == "CommentAdded") return "comment/" + ja::str(p, "commentId");
  if (type == "GapAdded") return "gap/" + ja::str(p, "gapId");
  if (type == "StrategyAdded") return "strategy/" + ja::str(p, "strategyId");
  if (type == "CommitmentLetterRecorded") return "commitmentLetter/" + ja::str(p, "letterId");
  return {};
}

}  // namespace

void apply_in_place(MasterplanState& state, const EventRecord& event, Bookkeeping bookkeeping) {
  const auto& map = handlers();
  if (auto it = map.find(event.type); it != map.end()) it->second(state, event);
  if (bookkeeping == Bookkeeping::omit) {
    state.has_bookkeeping = false;
    state.version = event.revision;
    return;
  }
  if (auto id = claimed_id(event.type, event.payload); !id.empty()) state.used_ids.insert(id);
  const auto keys = event_keys(event.type, event.payload);
  record_changes(state, keys, event.revision, event.actor);
  record_text_history(state, event, keys);
  state.version = event.revision;
}

}  // namespace rembuk::model
