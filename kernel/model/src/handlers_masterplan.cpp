// Handlers for the masterplan itself: identity, period, RPJMD, vision, missions, strategic
// issues, readiness, status and plugins.
#include <algorithm>

#include "entity_json.hpp"
#include "handlers.hpp"
#include "rembuk/model/dimensions.hpp"
#include "rules/program_rules.hpp"
#include "rules/status_rules.hpp"
#include "rules/submission_gate.hpp"

namespace rembuk::model::handlers {

namespace json = boost::json;
namespace ja = json_access;

namespace {

bool check_period(Decider& d, int start, int end) {
  const int length = end - start + 1;
  if (start <= end && length >= 5 && length <= 10) return true;
  d.violate("masterplan.period_length", Decider::path("startYear"),
            "Periode masterplan harus 5–10 tahun (" + std::to_string(start) + "–" +
                std::to_string(end) + ")",
            "The masterplan period must be 5–10 years (" + std::to_string(start) + "–" +
                std::to_string(end) + ")",
            json::object{{"startYear", start}, {"endYear", end}});
  return false;
}

bool check_rpjmd(Decider& d, const json::value& rpjmd) {
  if (!rpjmd.is_object()) return true;
  int start = ja::year(rpjmd.get_object(), "startYear");
  int end = ja::year(rpjmd.get_object(), "endYear");
  if (start <= end) return true;
  d.violate("rpjmd.years_reversed", "/command/rpjmd/startYear",
            "Tahun mulai RPJMD setelah tahun selesai", "RPJMD start year is after its end year");
  return false;
}

json::value normalised_rpjmd(const json::value* rpjmd) {
  if (rpjmd == nullptr || rpjmd->is_null()) return nullptr;
  auto decoded = rpjmd_from_json(*rpjmd);
  if (!decoded) return nullptr;
  return to_json(*decoded);
}

void not_found(Decider& d, std::string_view kind, std::string_view field, const std::string& id) {
  d.violate(std::string(kind) + ".not_found", Decider::path(field),
            "'" + id + "' tidak ditemukan", "'" + id + "' was not found",
            json::object{{std::string(field), id}});
}

const Mission* find_mission(const MasterplanState& s, const std::string& id, std::size_t* at) {
  for (std::size_t i = 0; i < s.missions.size(); ++i) {
    if (s.missions[i].id == id) {
      if (at) *at = i;
      return &s.missions[i];
    }
  }
  return nullptr;
}

}  // namespace

void create_masterplan(Decider& d) {
  if (d.state.exists) {
    d.violate("masterplan.exists", "/masterplan", "Masterplan ini sudah dibuat",
              "This masterplan already exists");
    return;
  }
  int start = d.year("startYear");
  int end = d.year("endYear");
  check_period(d, start, end);
  const json::value* rpjmd = d.body.if_contains("rpjmd");
  if (rpjmd != nullptr) check_rpjmd(d, *rpjmd);
  if (!d.ok()) return;
  d.emit("MasterplanCreated", json::object{{"cityName", d.str("cityName")},
                                           {"regionCode", d.str("regionCode")},
                                           {"startYear", start},
                                           {"endYear", end},
                                           {"rpjmd", normalised_rpjmd(rpjmd)},
                                           {"createdBy", d.actor.user}});
}

void set_masterplan_identity(Decider& d) {
  d.emit("MasterplanIdentitySet", json::object{{"cityName", d.str("cityName")},
                                               {"regionCode", d.str("regionCode")},
                                               {"previousCityName", d.state.city_name},
                                               {"previousRegionCode", d.state.region_code}});
}

void set_masterplan_period(Decider& d) {
  int start = d.year("startYear");
  int end = d.year("endYear");
  if (!check_period(d, start, end)) return;
  for (const auto& [id, program] : d.state.programs) {
    if (program.start_year < start || program.end_year > end) {
      d.violate("program.years_outside_period", Decider::path("startYear"),
                "Program '" + program.title + "' (" + std::to_string(program.start_year) + "–" +
                    std::to_string(program.end_year) + ") akan berada di luar periode baru",
                "Program '" + program.title + "' (" + std::to_string(program.start_year) + "–" +
                    std::to_string(program.end_year) + ") would lie outside the new period",
                json::object{{"programId", id}});
    } else if (program.quick_win) {
      rules::check_quick_win(d, program.start_year, program.end_year, start,
                             Decider::path("startYear"), id);
    }
  }
  if (!d.ok()) return;
  d.emit("MasterplanPeriodSet", json::object{{"startYear", start},
                                             {"endYear", end},
                                             {"previousStartYear", d.state.start_year},
                                             {"previousEndYear", d.state.end_year}});
}

void set_rpjmd_reference(Decider& d) {
  const json::value* rpjmd = d.body.if_contains("rpjmd");
  if (rpjmd != nullptr && !check_rpjmd(d, *rpjmd)) return;
  d.emit("RpjmdReferenceSet",
         json::object{{"rpjmd", normalised_rpjmd(rpjmd)}, {"previous", to_json(d.state.rpjmd)}});
}

void set_vision(Decider& d) {
  d.emit("VisionSet", json::object{{"text", d.str("text")}, {"previousText", d.state.vision}});
}

void add_mission(Decider& d) {
  std::string id = d.str("missionId");
  if (!d.id_free("mission", id, "missionId")) return;
  auto size = static_cast<std::int64_t>(d.state.missions.size());
  std::int64_t position = ja::opt_int(d.body, "position").value_or(size);
  if (position < 0 || position > size) {
    d.violate("mission.position_out_of_range", Decider::path("position"),
              "Posisi misi harus antara 0 dan " + std::to_string(size),
              "The mission position must lie between 0 and " + std::to_string(size));
    return;
  }
  d.emit("MissionAdded",
         json::object{{"missionId", id}, {"text", d.str("text")}, {"position", position}});
}

void update_mission(Decider& d) {
  std::string id = d.str("missionId");
  const Mission* mission = find_mission(d.state, id, nullptr);
  if (mission == nullptr) return not_found(d, "mission", "missionId", id);
  d.emit("MissionUpdated",
         json::object{{"missionId", id}, {"text", d.str("text")}, {"previousText", mission->text}});
}

void remove_mission(Decider& d) {
  std::string id = d.str("missionId");
  std::size_t at = 0;
  const Mission* mission = find_mission(d.state, id, &at);
  if (mission == nullptr) return not_found(d, "mission", "missionId", id);
  d.emit("MissionRemoved", json::object{{"missionId", id},
                                        {"text", mission->text},
                                        {"position", static_cast<std::int64_t>(at)}});
}

void add_strategic_issue(Decider& d) {
  std::string id = d.str("issueId");
  if (!d.id_free("strategicIssue", id, "issueId")) return;
  std::string dimension = d.str("dimension");
  if (!rules::find_pillar(d.state, d.context.extensions, dimension)) {
    d.violate("strategicIssue.unknown_dimension", Decider::path("dimension"),
              "Dimensi atau pilar '" + dimension + "' tidak dikenal",
              "Unknown dimension or pillar '" + dimension + "'");
    return;
  }
  d.emit("StrategicIssueAdded",
         json::object{{"issueId", id}, {"dimension", dimension}, {"text", d.str("text")}});
}

void update_strategic_issue(Decider& d) {
  std::string id = d.str("issueId");
  auto it = d.state.strategic_issues.find(id);
  if (it == d.state.strategic_issues.end()) {
    return not_found(d, "strategicIssue", "issueId", id);
  }
  d.emit("StrategicIssueUpdated", json::object{{"issueId", id},
                                               {"text", d.str("text")},
                                               {"previousText", it->second.text}});
}

void remove_strategic_issue(Decider& d) {
  std::string id = d.str("issueId");
  auto it = d.state.strategic_issues.find(id);
  if (it == d.state.strategic_issues.end()) {
    return not_found(d, "strategicIssue", "issueId", id);
  }
  d.emit("StrategicIssueRemoved", json::object{{"issueId", id},
                                               {"dimension", it->second.dimension},
                                               {"text", it->second.text}});
}

namespace {
// ReadinessEntryAdded/Removed v2 always carry "swot" (null when unclassified).
json::object readiness_payload(const ReadinessEntry& entry) {
  json::object payload = to_json(entry);
  payload["swot"] = ja::opt_string_value(entry.swot);
  return payload;
}

bool check_swot(Decider& d, const json::value* swot) {
  if (swot == nullptr || swot->is_null()) return true;
  std::string_view value = swot->is_string() ? std::string_view(swot->get_string()) : "";
  if (value == "strength" || value == "weakness" || value == "opportunity" || value == "threat") {
    return true;
  }
  d.violate("readiness.unknown_swot", Decider::path("swot"),
            "Kuadran SWOT harus strength, weakness, opportunity atau threat",
            "The SWOT quadrant must be strength, weakness, opportunity or threat",
            json::object{{"swot", *swot}});
  return false;
}

bool check_axis(Decider& d, const std::string& axis) {
  if (axis == "struktur" || axis == "infrastruktur" || axis == "suprastruktur") return true;
  d.violate("readiness.unknown_axis", Decider::path("axis"),
            "Sumbu kesiapan harus struktur, infrastruktur atau suprastruktur",
            "The readiness axis must be struktur, infrastruktur or suprastruktur");
  return false;
}
}  // namespace

void add_readiness_entry(Decider& d) {
  std::string id = d.str("entryId");
  if (!d.id_free("readiness", id, "entryId")) return;
  std::string axis = d.str("axis");
  if (!check_axis(d, axis) || !check_swot(d, d.body.if_contains("swot"))) return;
  ReadinessEntry entry{id,
                       axis,
                       d.str("title"),
                       d.str("description"),
                       ja::opt_number(d.body, "quantity"),
                       d.str("unit"),
                       d.str("swot")};
  d.emit("ReadinessEntryAdded", readiness_payload(entry));
}

void update_readiness_entry(Decider& d) {
  std::string id = d.str("entryId");
  auto it = d.state.readiness.find(id);
  if (it == d.state.readiness.end()) return not_found(d, "readiness", "entryId", id);
  if (!check_swot(d, d.body.if_contains("swot"))) return;
  json::object current = readiness_payload(it->second);
  json::object changes;
  json::object previous;
  for (std::string_view field : {"title", "description", "quantity", "unit", "swot"}) {
    if (const auto* value = d.body.if_contains(field)) {
      changes[field] = *value;
      previous[field] = current[field];
    }
  }
  if (changes.empty()) {
    d.violate("command.nothing_to_change", "/command", "Tidak ada isian yang diubah",
              "The command changes no field");
    return;
  }
  d.emit("ReadinessEntryUpdated",
         json::object{{"entryId", id}, {"changes", changes}, {"previous", previous}});
}

void remove_readiness_entry(Decider& d) {
  std::string id = d.str("entryId");
  auto it = d.state.readiness.find(id);
  if (it == d.state.readiness.end()) return not_found(d, "readiness", "entryId", id);
  d.emit("ReadinessEntryRemoved", readiness_payload(it->second));
}

void submit_masterplan(Decider& d) {
  if (!rules::check_transition(d)) return;
  if (!rules::check_submission_gate(d)) return;
  d.emit("MasterplanSubmitted", json::object{{"previousStatus", to_string(d.state.status)}});
}

void start_review(Decider& d) {
  if (!rules::check_transition(d)) return;
  d.emit("ReviewStarted", json::object{{"previousStatus", to_string(d.state.status)}});
}

void approve_masterplan(Decider& d) {
  if (!rules::check_transition(d)) return;
  d.emit("MasterplanApproved", json::object{{"previousStatus", to_string(d.state.status)}});
}

void reopen_masterplan(Decider& d) {
  if (!rules::check_transition(d)) return;
  d.emit("MasterplanReopened", json::object{{"reason", d.str("reason")},
                                            {"previousStatus", to_string(d.state.status)}});
}

void enable_plugin(Decider& d) {
  std::string name = d.str("plugin");
  if (d.state.plugins.count(name) > 0) {
    d.violate("plugin.already_enabled", Decider::path("plugin"),
              "Plugin '" + name + "' sudah diaktifkan", "Plugin '" + name + "' is already enabled");
    return;
  }
  std::optional<PluginIdentity> identity;
  if (d.context.extensions != nullptr) identity = d.context.extensions->find_plugin(name);
  if (!identity) {
    d.violate("plugin.not_loaded", Decider::path("plugin"),
              "Plugin '" + name + "' tidak dimuat di server ini",
              "Plugin '" + name + "' is not loaded on this server");
    return;
  }
  d.emit("PluginEnabled", json::object{{"name", identity->name},
                                       {"version", identity->version},
                                       {"sha256", identity->sha256}});
}

void disable_plugin(Decider& d) {
  std::string name = d.str("plugin");
  auto it = d.state.plugins.find(name);
  if (it == d.state.plugins.end()) {
    d.violate("plugin.not_enabled", Decider::path("plugin"),
              "Plugin '" + name + "' tidak aktif pada masterplan ini",
              "Plugin '" + name + "' is not enabled on this masterplan");
    return;
  }
  std::vector<std::string> pillar_ids;
  if (d.context.extensions != nullptr) {
    for (const auto& pillar : d.context.extensions->pillars_of(name)) pillar_ids.push_back(pillar.id);
  }
  auto used = [&](const std::string& dimension) {
    if (find_national_dimension(dimension) != nullptr) return false;
    if (d.context.extensions == nullptr) return true;  // cannot tell: be safe
    return std::find(pillar_ids.begin(), pillar_ids.end(), dimension) != pillar_ids.end();
  };
  for (const auto& [id, program] : d.state.programs) {
    if (used(program.dimension)) {
      d.violate("plugin.in_use", Decider::path("plugin"),
                "Program '" + program.title + "' memakai pilar plugin ini",
                "Program '" + program.title + "' uses a pillar of this plugin",
                json::object{{"programId", id}, {"pillar", program.dimension}});
    }
  }
  for (const auto& [id, issue] : d.state.strategic_issues) {
    if (used(issue.dimension)) {
      d.violate("plugin.in_use", Decider::path("plugin"),
                "Isu strategis '" + id + "' memakai pilar plugin ini",
                "Strategic issue '" + id + "' uses a pillar of this plugin",
                json::object{{"issueId", id}, {"pillar", issue.dimension}});
    }
  }
  if (!d.ok()) return;
  d.emit("PluginDisabled", json::object{{"name", name},
                                        {"version", it->second.version},
                                        {"sha256", it->second.sha256}});
}

}  // namespace rembuk::model::handlers
