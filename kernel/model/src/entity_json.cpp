#include "entity_json.hpp"

#include "bimtek_json.hpp"
#include "json_access.hpp"
#include "rembuk/model/canonical_json.hpp"

namespace rembuk::model {

namespace ja = json_access;
namespace json = boost::json;

namespace {

Result<std::string, std::string> need_string(const json::object& object, std::string_view key,
                                             bool required = true) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) {
    if (required) return fail("missing " + std::string(key));
    return std::string();
  }
  if (!value->is_string()) return fail(std::string(key) + " is not a string");
  return std::string(value->get_string());
}

Result<int, std::string> need_year(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return fail("missing " + std::string(key));
  auto number = ja::to_int(*value);
  if (!number || *number < -100000 || *number > 100000) {
    return fail(std::string(key) + " is not a year");
  }
  return static_cast<int>(*number);
}

Result<std::vector<std::string>, std::string> need_strings(const json::object& object,
                                                           std::string_view key) {
  std::vector<std::string> result;
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return result;
  if (!value->is_array()) return fail(std::string(key) + " is not an array");
  for (const auto& item : value->get_array()) {
    if (!item.is_string()) return fail(std::string(key) + " holds a non-string");
    result.emplace_back(item.get_string());
  }
  return result;
}

}  // namespace

json::value to_json(const std::optional<Baseline>& baseline) {
  if (!baseline) return nullptr;
  json::object object;
  object["value"] = baseline->value;
  object["year"] = baseline->year ? json::value(*baseline->year) : json::value(nullptr);
  return object;
}

Result<std::optional<Baseline>, std::string> baseline_from_json(const json::value& json) {
  if (json.is_null()) return std::optional<Baseline>{};
  if (!json.is_object()) return fail(std::string("baseline is not an object"));
  const auto& object = json.get_object();
  const auto* value = object.if_contains("value");
  if (value == nullptr || !value->is_number()) return fail(std::string("baseline.value"));
  Baseline baseline;
  baseline.value = value->to_number<double>();
  if (const auto* year = object.if_contains("year"); year != nullptr && !year->is_null()) {
    auto number = ja::to_int(*year);
    if (!number) return fail(std::string("baseline.year"));
    baseline.year = static_cast<int>(*number);
  }
  return std::optional<Baseline>{baseline};
}

json::object to_json(const Indicator& indicator) {
  json::object object;
  object["indicatorId"] = indicator.id;
  object["name"] = indicator.name;
  object["unit"] = indicator.unit;
  object["baseline"] = to_json(indicator.baseline);
  json::array targets;
  for (const auto& [year, value] : indicator.targets) {
    targets.push_back(json::object{{"year", year}, {"value", value}});
  }
  object["targets"] = std::move(targets);
  return object;
}

Result<Indicator, std::string> indicator_from_json(const json::value& json) {
  if (!json.is_object()) return fail(std::string("indicator is not an object"));
  const auto& object = json.get_object();
  Indicator indicator;
  auto id = need_string(object, "indicatorId");
  if (!id) return fail(id.error());
  indicator.id = *id;
  auto name = need_string(object, "name");
  if (!name) return fail(name.error());
  indicator.name = *name;
  auto unit = need_string(object, "unit", false);
  if (!unit) return fail(unit.error());
  indicator.unit = *unit;
  if (const auto* baseline = object.if_contains("baseline")) {
    auto decoded = baseline_from_json(*baseline);
    if (!decoded) return fail(decoded.error());
    indicator.baseline = *decoded;
  }
  if (const auto* targets = object.if_contains("targets"); targets != nullptr) {
    if (!targets->is_array()) return fail(std::string("targets is not an array"));
    for (const auto& target : targets->get_array()) {
      if (!target.is_object()) return fail(std::string("target is not an object"));
      auto year = need_year(target.get_object(), "year");
      if (!year) return fail(year.error());
      const auto* value = target.get_object().if_contains("value");
      if (value == nullptr || !value->is_number()) return fail(std::string("target.value"));
      indicator.targets[*year] = value->to_number<double>();
    }
  }
  return indicator;
}

json::object to_json(const Member& member) {
  return json::object{{"userId", member.user_id},
                      {"name", member.name},
                      {"role", member.role},
                      {"opdId", ja::opt_string_value(member.opd_id)},
                      {"title", ja::opt_string_value(member.title)}};
}

Result<Member, std::string> member_from_json(const json::value& json) {
  if (!json.is_object()) return fail(std::string("member is not an object"));
  const auto& object = json.get_object();
  Member member;
  auto user = need_string(object, "userId");
  if (!user) return fail(user.error());
  member.user_id = *user;
  auto name = need_string(object, "name", false);
  auto role = need_string(object, "role");
  auto opd = need_string(object, "opdId", false);
  auto title = need_string(object, "title", false);
  if (!name || !role || !opd || !title) return fail(std::string("member fields"));
  member.name = *name;
  member.role = *role;
  member.opd_id = *opd;
  member.title = *title;
  return member;
}

json::value to_json(const std::optional<Rpjmd>& rpjmd) {
  if (!rpjmd) return nullptr;
  return json::object{{"title", rpjmd->title},
                      {"startYear", rpjmd->start_year},
                      {"endYear", rpjmd->end_year},
                      {"regulation", ja::opt_string_value(rpjmd->regulation)}};
}

Result<std::optional<Rpjmd>, std::string> rpjmd_from_json(const json::value& json) {
  if (json.is_null()) return std::optional<Rpjmd>{};
  if (!json.is_object()) return fail(std::string("rpjmd is not an object"));
  const auto& object = json.get_object();
  Rpjmd rpjmd;
  auto title = need_string(object, "title");
  auto start = need_year(object, "startYear");
  auto end = need_year(object, "endYear");
  auto regulation = need_string(object, "regulation", false);
  if (!title || !start || !end || !regulation) return fail(std::string("rpjmd fields"));
  rpjmd.title = *title;
  rpjmd.start_year = *start;
  rpjmd.end_year = *end;
  rpjmd.regulation = *regulation;
  return std::optional<Rpjmd>{rpjmd};
}

json::object to_json(const ReadinessEntry& entry) {
  json::object object{
      {"entryId", entry.id},
      {"axis", entry.axis},
      {"title", entry.title},
      {"description", ja::opt_string_value(entry.description)},
      {"quantity", entry.quantity ? json::value(*entry.quantity) : json::value(nullptr)},
      {"unit", ja::opt_string_value(entry.unit)}};
  // "swot" only when classified: entries without it keep their canonical bytes.
  if (!entry.swot.empty()) object["swot"] = entry.swot;
  return object;
}

json::object to_json(const Opd& opd) {
  return json::object{{"opdId", opd.id},
                      {"name", opd.name},
                      {"shortName", ja::opt_string_value(opd.short_name)},
                      {"retired", opd.retired}};
}

json::object to_json(const Comment& comment) {
  return json::object{{"commentId", comment.id},
                      {"target", comment.target},
                      {"text", comment.text},
                      {"author", comment.author},
                      {"replyTo", ja::opt_string_value(comment.reply_to)},
                      {"resolved", comment.resolved},
                      {"withdrawn", comment.withdrawn},
                      {"version", comment.version}};
}

json::object to_json(const Program& program) {
  json::object object;
  object["programId"] = program.id;
  object["title"] = program.title;
  object["description"] = program.description;
  object["dimension"] = program.dimension;
  object["element"] = program.element;
  object["leadOpd"] = ja::opt_string_value(program.lead_opd);
  json::array supporting;
  for (const auto& opd : program.supporting_opds) supporting.emplace_back(opd);
  object["supportingOpds"] = std::move(supporting);
  object["startYear"] = program.start_year;
  object["endYear"] = program.end_year;
  object["quickWin"] = program.quick_win;
  json::array budget;
  for (const auto& [key, amount] : program.budget) {
    budget.push_back(json::object{{"year", key.first}, {"source", key.second}, {"amount", amount}});
  }
  object["budget"] = std::move(budget);
  json::array indicators;
  for (const auto& [id, indicator] : program.indicators) indicators.push_back(to_json(indicator));
  object["indicators"] = std::move(indicators);
  object["outputs"] = ja::to_array(program.outputs);
  object["outcomes"] = ja::to_array(program.outcomes);
  add_program_bimtek(program, object);
  return object;
}

Result<Program, std::string> program_from_json(const json::value& json) {
  if (!json.is_object()) return fail(std::string("program is not an object"));
  const auto& object = json.get_object();
  Program program;
  auto id = need_string(object, "programId");
  auto title = need_string(object, "title");
  auto description = need_string(object, "description", false);
  auto dimension = need_string(object, "dimension");
  auto element = need_string(object, "element");
  auto lead = need_string(object, "leadOpd", false);
  auto start = need_year(object, "startYear");
  auto end = need_year(object, "endYear");
  for (const auto* r : {&id, &title, &description, &dimension, &element, &lead}) {
    if (!*r) return fail(r->error());
  }
  if (!start) return fail(start.error());
  if (!end) return fail(end.error());
  program.id = *id;
  program.title = *title;
  program.description = *description;
  program.dimension = *dimension;
  program.element = *element;
  program.lead_opd = *lead;
  program.start_year = *start;
  program.end_year = *end;
  program.quick_win = ja::boolean(object, "quickWin", false);
  auto supporting = need_strings(object, "supportingOpds");
  if (!supporting) return fail(supporting.error());
  program.supporting_opds.insert(supporting->begin(), supporting->end());
  auto outputs = need_strings(object, "outputs");
  auto outcomes = need_strings(object, "outcomes");
  if (!outputs) return fail(outputs.error());
  if (!outcomes) return fail(outcomes.error());
  program.outputs = std::move(*outputs);
  program.outcomes = std::move(*outcomes);
  if (const auto* budget = object.if_contains("budget"); budget != nullptr && !budget->is_null()) {
    if (!budget->is_array()) return fail(std::string("budget is not an array"));
    for (const auto& line : budget->get_array()) {
      if (!line.is_object()) return fail(std::string("budget line is not an object"));
      auto year = need_year(line.get_object(), "year");
      auto source = need_string(line.get_object(), "source");
      auto amount = ja::opt_int(line.get_object(), "amount");
      if (!year || !source || !amount) return fail(std::string("budget line fields"));
      program.budget[{*year, *source}] = *amount;
    }
  }
  if (const auto* indicators = object.if_contains("indicators");
      indicators != nullptr && !indicators->is_null()) {
    if (!indicators->is_array()) return fail(std::string("indicators is not an array"));
    for (const auto& item : indicators->get_array()) {
      auto indicator = indicator_from_json(item);
      if (!indicator) return fail(indicator.error());
      program.indicators[indicator->id] = std::move(*indicator);
    }
  }
  read_program_bimtek(object, program);
  return program;
}

}  // namespace rembuk::model
