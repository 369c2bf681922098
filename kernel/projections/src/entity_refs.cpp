// Entity references ("program/p1", "program/p1/indicator/i1", …) and the JSON of one entity,
// shared by the activity view, the entity history and the state diff.
#include <boost/json.hpp>

#include "pillar_layout.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

namespace {

std::string_view str(const json::object& payload, std::string_view key) {
  const auto* value = payload.if_contains(key);
  return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                : std::string_view();
}

std::string join(std::string_view kind, std::string_view id) {
  std::string ref;
  ref.reserve(kind.size() + 1 + id.size());
  ref.append(kind).append("/").append(id);
  return ref;
}

json::value text_or_null(const std::string& text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

// Splits "kind/id[/rest]" into kind, id and rest.
void split(std::string_view ref, std::string_view& kind, std::string_view& id,
           std::string_view& rest) {
  auto slash = ref.find('/');
  kind = ref.substr(0, slash);
  id = {};
  rest = {};
  if (slash == std::string_view::npos) return;
  auto tail = ref.substr(slash + 1);
  auto next = tail.find('/');
  id = tail.substr(0, next);
  if (next != std::string_view::npos) rest = tail.substr(next + 1);
}

}  // namespace

std::string entity_of(std::string_view type, const json::object& payload) {
  if (type == "TextEdited") {
    // The field's key names its entity: "mission/m-1/text" → "mission/m-1",
    // "program/p-1/outputs/0" → "program/p-1", "masterplan/vision" → "masterplan".
    std::string_view kind, id, rest;
    split(str(payload, "field"), kind, id, rest);
    if (kind == "masterplan" || rest.empty()) return "masterplan";
    return join(kind, id);
  }
  if (auto program = str(payload, "programId"); !program.empty()) {
    if (auto indicator = str(payload, "indicatorId"); !indicator.empty()) {
      return join("program", program) + "/" + join("indicator", indicator);
    }
    return join("program", program);
  }
  if (auto id = str(payload, "opdId"); !id.empty() && type.starts_with("Opd")) {
    return join("opd", id);
  }
  if (auto id = str(payload, "missionId"); !id.empty()) return join("mission", id);
  if (auto id = str(payload, "issueId"); !id.empty()) return join("strategicIssue", id);
  if (auto id = str(payload, "entryId"); !id.empty()) return join("readiness", id);
  if (auto id = str(payload, "commentId"); !id.empty() && type.starts_with("Comment")) {
    return join("comment", id);
  }
  if (auto id = str(payload, "userId"); !id.empty()) return join("member", id);
  return "masterplan";
}

bool entity_matches(std::string_view ref, std::string_view entity) {
  if (entity.empty()) return true;
  if (!ref.starts_with(entity)) return false;
  return ref.size() == entity.size() || ref[entity.size()] == '/';
}

std::optional<json::value> entity_json(const model::MasterplanState& state, std::string_view ref) {
  std::string_view kind, id, rest;
  split(ref, kind, id, rest);
  if (kind == "masterplan" && id.empty()) {
    if (!state.exists) return std::nullopt;
    json::array plugins;
    for (const auto& [name, use] : state.plugins) {
      plugins.push_back(
          json::object{{"name", use.name}, {"version", use.version}, {"sha256", use.sha256}});
    }
    return json::object{{"cityName", state.city_name},   {"regionCode", state.region_code},
                        {"startYear", state.start_year}, {"endYear", state.end_year},
                        {"rpjmd", detail::rpjmd_json(state)},        {"status", model::to_string(state.status)},
                        {"createdBy", state.created_by}, {"vision", state.vision},
                        {"plugins", std::move(plugins)}};
  }
  const std::string key(id);
  if (kind == "mission" && rest.empty()) {
    for (std::size_t i = 0; i < state.missions.size(); ++i) {
      if (state.missions[i].id == key) {
        return json::object{{"missionId", key}, {"text", state.missions[i].text},
                            {"position", i}};
      }
    }
    return std::nullopt;
  }
  if (kind == "strategicIssue" && rest.empty()) {
    auto it = state.strategic_issues.find(key);
    if (it == state.strategic_issues.end()) return std::nullopt;
    return json::object{
        {"issueId", key}, {"dimension", it->second.dimension}, {"text", it->second.text}};
  }
  if (kind == "readiness" && rest.empty()) {
    auto it = state.readiness.find(key);
    if (it == state.readiness.end()) return std::nullopt;
    const auto& e = it->second;
    return json::object{{"entryId", key},
                        {"axis", e.axis},
                        {"title", e.title},
                        {"description", text_or_null(e.description)},
                        {"quantity", e.quantity ? json::value(*e.quantity) : json::value()},
                        {"unit", text_or_null(e.unit)}};
  }
  if (kind == "opd" && rest.empty()) {
    auto it = state.opds.find(key);
    if (it == state.opds.end()) return std::nullopt;
    return json::object{{"opdId", key},
                        {"name", it->second.name},
                        {"shortName", text_or_null(it->second.short_name)},
                        {"retired", it->second.retired}};
  }
  if (kind == "program") {
    auto it = state.programs.find(key);
    if (it == state.programs.end()) return std::nullopt;
    json::object program = model::to_json(it->second);
    if (rest.empty()) return program;
    std::string_view sub_kind, sub_id, sub_rest;
    split(rest, sub_kind, sub_id, sub_rest);
    if (sub_kind != "indicator" || !sub_rest.empty()) return std::nullopt;
    for (auto& indicator : program["indicators"].as_array()) {
      if (indicator.as_object()["indicatorId"].as_string() == sub_id) return indicator;
    }
    return std::nullopt;
  }
  if (kind == "member" && rest.empty()) {
    auto it = state.members.find(key);
    if (it == state.members.end()) return std::nullopt;
    const auto& m = it->second;
    return json::object{{"userId", key},
                        {"name", m.name},
                        {"role", m.role},
                        {"opdId", text_or_null(m.opd_id)},
                        {"title", text_or_null(m.title)}};
  }
  if (kind == "comment" && rest.empty()) {
    auto it = state.comments.find(key);
    if (it == state.comments.end()) return std::nullopt;
    const auto& c = it->second;
    return json::object{{"commentId", key},         {"target", c.target},
                        {"text", c.text},           {"author", c.author},
                        {"replyTo", text_or_null(c.reply_to)},
                        {"resolved", c.resolved},   {"withdrawn", c.withdrawn},
                        {"version", c.version}};
  }
  return std::nullopt;
}

}  // namespace rembuk::projections
