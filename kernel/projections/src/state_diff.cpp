// Entity-by-entity difference of two states; see state_diff.hpp.
#include "rembuk/projections/state_diff.hpp"

#include <map>
#include <string>

#include <boost/json.hpp>

#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

namespace {

// Every entity of a state by reference (indicators stay inside their programs).
std::map<std::string, json::value> entities(const model::MasterplanState& state) {
  std::map<std::string, json::value> out;
  auto put = [&](std::string ref) {
    if (auto json = entity_json(state, ref)) out.emplace(std::move(ref), std::move(*json));
  };
  put("masterplan");
  for (const auto& mission : state.missions) put("mission/" + mission.id);
  for (const auto& [id, issue] : state.strategic_issues) put("strategicIssue/" + id);
  for (const auto& [id, entry] : state.readiness) put("readiness/" + id);
  for (const auto& [id, opd] : state.opds) put("opd/" + id);
  for (const auto& [id, program] : state.programs) put("program/" + id);
  for (const auto& [id, member] : state.members) put("member/" + id);
  for (const auto& [id, comment] : state.comments) put("comment/" + id);
  return out;
}

json::array changed_fields(const json::value& before, const json::value& after) {
  json::array fields;
  if (!before.is_object() || !after.is_object()) return fields;
  for (const auto& [key, value] : after.get_object()) {
    const auto* old = before.get_object().if_contains(key);
    if (old == nullptr || *old != value) fields.push_back(json::value(key));
  }
  for (const auto& [key, value] : before.get_object()) {
    if (!after.get_object().contains(key)) fields.push_back(json::value(key));
  }
  return fields;
}

}  // namespace

json::value diff_states(const model::MasterplanState& from, const model::MasterplanState& to) {
  const auto before = entities(from);
  const auto after = entities(to);
  json::array changes;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      changes.push_back(json::object{
          {"entity", b->first}, {"change", "removed"}, {"before", b->second}, {"after", nullptr}});
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      changes.push_back(json::object{
          {"entity", a->first}, {"change", "added"}, {"before", nullptr}, {"after", a->second}});
      ++a;
    } else {
      if (b->second != a->second) {
        changes.push_back(json::object{{"entity", a->first},
                                       {"change", "changed"},
                                       {"fields", changed_fields(b->second, a->second)},
                                       {"before", b->second},
                                       {"after", a->second}});
      }
      ++a;
      ++b;
    }
  }
  return json::object{{"masterplan", to.id},
                      {"from", from.version},
                      {"to", to.version},
                      {"changes", std::move(changes)}};
}

}  // namespace rembuk::projections
