#include "rembuk/plugins/state_source.hpp"

#include <iterator>

#include <boost/json/serialize.hpp>

#include "rembuk/model/canonical_json.hpp"

namespace rembuk::plugins {

namespace json = boost::json;

namespace {

// The identity keys of the canonical state (the rest are sections of entities).
constexpr std::string_view identity_keys[] = {
    "masterplan", "version", "exists",    "cityName", "regionCode", "startYear",
    "endYear",    "rpjmd",   "status",    "createdBy", "vision",    "plugins"};

json::array plugins_json(const model::MasterplanState& state) {
  json::array plugins;
  for (const auto& [name, use] : state.plugins) {
    plugins.push_back(
        json::object{{"name", use.name}, {"version", use.version}, {"sha256", use.sha256}});
  }
  return plugins;
}

}  // namespace

std::string ModelStateSource::masterplan() const {
  json::object o;
  o["masterplan"] = state_.id;
  o["version"] = state_.version;
  o["exists"] = state_.exists;
  o["cityName"] = state_.city_name;
  o["regionCode"] = state_.region_code;
  o["startYear"] = state_.start_year;
  o["endYear"] = state_.end_year;
  o["rpjmd"] = model::to_json(state_.rpjmd);
  o["status"] = model::to_string(state_.status);
  o["createdBy"] = state_.created_by;
  o["vision"] = state_.vision;
  o["plugins"] = plugins_json(state_);
  return json::serialize(o);
}

std::size_t ModelStateSource::program_count() const { return state_.programs.size(); }

std::optional<std::pair<std::string, std::size_t>> ModelStateSource::find_program(
    std::string_view id) const {
  const auto it = state_.programs.find(std::string(id));
  if (it == state_.programs.end()) return std::nullopt;
  // Only the program asked for is encoded.
  const auto index = order_ != nullptr
                         ? order_->index_of(state_, it)
                         : static_cast<std::size_t>(std::distance(state_.programs.begin(), it));
  return std::pair{json::serialize(model::to_json(it->second)), index};
}

bool ModelStateSource::each_program(
    std::string_view dimension,
    const std::function<bool(std::string_view, std::size_t)>& fn) const {
  std::size_t index = 0;
  for (const auto& [id, program] : state_.programs) {
    if (dimension.empty() || program.dimension == dimension) {
      if (!fn(json::serialize(model::to_json(program)), index)) return false;
    }
    ++index;
  }
  return true;
}

std::optional<std::string> ModelStateSource::find_opd(std::string_view id) const {
  const auto it = state_.opds.find(std::string(id));
  if (it == state_.opds.end()) return std::nullopt;
  return json::serialize(model::to_json(it->second));
}

std::optional<std::string> ModelStateSource::find_member(std::string_view user_id) const {
  const auto it = state_.members.find(std::string(user_id));
  if (it == state_.members.end()) return std::nullopt;
  return json::serialize(model::to_json(it->second));
}

std::optional<std::string> ModelStateSource::section(std::string_view name) const {
  const json::object whole = model::to_json(state_, model::Bookkeeping::omit);
  if (name.empty()) return json::serialize(whole);
  const auto* v = whole.if_contains(name);
  if (v == nullptr) return std::nullopt;
  return json::serialize(*v);
}

std::string JsonStateSource::masterplan() const {
  json::object o;
  for (const std::string_view key : identity_keys) {
    if (const auto* v = state_.if_contains(key)) o[key] = *v;
  }
  return json::serialize(o);
}

namespace {

const json::array& array_of(const json::object& state, std::string_view key) {
  static const json::array empty;
  const auto* v = state.if_contains(key);
  return v != nullptr && v->is_array() ? v->get_array() : empty;
}

bool has_string(const json::value& v, std::string_view key, std::string_view value) {
  if (!v.is_object()) return false;
  const auto* s = v.get_object().if_contains(key);
  return s != nullptr && s->is_string() && s->get_string() == value;
}

std::optional<std::string> find_in(const json::object& state, std::string_view section,
                                   std::string_view key, std::string_view id) {
  for (const auto& item : array_of(state, section)) {
    if (has_string(item, key, id)) return json::serialize(item);
  }
  return std::nullopt;
}

}  // namespace

std::size_t JsonStateSource::program_count() const { return array_of(state_, "programs").size(); }

std::optional<std::pair<std::string, std::size_t>> JsonStateSource::find_program(
    std::string_view id) const {
  const auto& programs = array_of(state_, "programs");
  for (std::size_t i = 0; i < programs.size(); ++i) {
    if (has_string(programs[i], "programId", id)) return std::pair{json::serialize(programs[i]), i};
  }
  return std::nullopt;
}

bool JsonStateSource::each_program(
    std::string_view dimension,
    const std::function<bool(std::string_view, std::size_t)>& fn) const {
  const auto& programs = array_of(state_, "programs");
  for (std::size_t i = 0; i < programs.size(); ++i) {
    if (!dimension.empty() && !has_string(programs[i], "dimension", dimension)) continue;
    if (!fn(json::serialize(programs[i]), i)) return false;
  }
  return true;
}

std::optional<std::string> JsonStateSource::find_opd(std::string_view id) const {
  return find_in(state_, "opds", "opdId", id);
}

std::optional<std::string> JsonStateSource::find_member(std::string_view user_id) const {
  return find_in(state_, "members", "userId", user_id);
}

std::optional<std::string> JsonStateSource::section(std::string_view name) const {
  if (name.empty()) return json::serialize(state_);
  const auto* v = state_.if_contains(name);
  if (v == nullptr) return std::nullopt;
  return json::serialize(*v);
}

}  // namespace rembuk::plugins
