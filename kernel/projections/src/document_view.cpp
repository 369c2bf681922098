// The document view: the whole masterplan in the order of a Kominfo masterplan.
#include <boost/json.hpp>

#include "pillar_layout.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

namespace {

json::object identity(const model::MasterplanState& state) {
  json::object object;
  object["cityName"] = state.city_name;
  object["regionCode"] = state.region_code;
  object["period"] = json::object{{"startYear", state.start_year},
                                  {"endYear", state.end_year},
                                  {"years", detail::period_years(state).size()}};
  object["rpjmd"] = detail::rpjmd_json(state);
  object["status"] = model::to_string(state.status);
  object["createdBy"] = state.created_by;
  return object;
}

json::object readiness(const model::MasterplanState& state) {
  json::object axes{{"struktur", json::array()},
                    {"infrastruktur", json::array()},
                    {"suprastruktur", json::array()}};
  for (const auto& [id, entry] : state.readiness) {
    auto& axis = axes[entry.axis];  // an axis outside the three is kept, after them
    if (!axis.is_array()) axis = json::array();
    axis.as_array().push_back(*entity_json(state, "readiness/" + id));
  }
  return axes;
}

json::array strategic_issues(const model::MasterplanState& state,
                             const std::vector<model::Pillar>& pillars) {
  json::array result;
  for (const auto& pillar : pillars) {
    json::array issues;
    for (const auto& [id, issue] : state.strategic_issues) {
      if (issue.dimension == pillar.id) {
        issues.push_back(json::object{{"issueId", id}, {"text", issue.text}});
      }
    }
    if (issues.empty()) continue;
    json::object group = detail::pillar_heading(pillar);
    group["issues"] = std::move(issues);
    result.push_back(std::move(group));
  }
  return result;
}

json::array dimensions(const model::MasterplanState& state,
                       const std::vector<model::Pillar>& pillars) {
  json::array result;
  for (const auto& pillar : pillars) {
    json::object dimension = detail::pillar_heading(pillar);
    json::array elements;
    for (const auto& element : pillar.elements) {
      json::array programs;
      for (const auto& [id, program] : state.programs) {
        if (program.dimension == pillar.id && program.element == element.id) {
          programs.push_back(model::to_json(program));
        }
      }
      elements.push_back(json::object{{"element", element.id},
                                      {"nameId", element.name_id},
                                      {"nameEn", element.name_en},
                                      {"programs", std::move(programs)}});
    }
    dimension["elements"] = std::move(elements);
    result.push_back(std::move(dimension));
  }
  return result;
}

}  // namespace

json::value document_view(const model::MasterplanState& state, const ViewContext& context) {
  const auto pillars = detail::layout_pillars(state, context);
  json::object document;
  document["masterplan"] = state.id;
  document["version"] = state.version;
  document["identity"] = identity(state);
  document["readiness"] = readiness(state);
  document["strategicIssues"] = strategic_issues(state, pillars);
  document["vision"] = state.vision;
  json::array missions;
  for (const auto& mission : state.missions) {
    missions.push_back(json::object{{"missionId", mission.id}, {"text", mission.text}});
  }
  document["missions"] = std::move(missions);
  document["dimensions"] = dimensions(state, pillars);
  json::array quick_wins;
  for (const auto& [id, program] : state.programs) {
    if (program.quick_win) quick_wins.push_back(detail::program_summary(program));
  }
  document["quickWins"] = std::move(quick_wins);
  document["roadmap"] = roadmap_view(state, context);
  document["budget"] = budget_view(state, context);
  json::array opds;
  for (const auto& [id, opd] : state.opds) opds.push_back(*entity_json(state, "opd/" + id));
  document["opds"] = std::move(opds);
  json::array members;
  for (const auto& [id, member] : state.members) {
    members.push_back(*entity_json(state, "member/" + id));
  }
  document["members"] = std::move(members);
  json::array plugins;
  for (const auto& [name, use] : state.plugins) {
    plugins.push_back(
        json::object{{"name", use.name}, {"version", use.version}, {"sha256", use.sha256}});
  }
  document["plugins"] = std::move(plugins);
  return document;
}

}  // namespace rembuk::projections
