#include "pillar_layout.hpp"

#include <algorithm>
#include <set>

#include "rembuk/model/dimensions.hpp"

namespace rembuk::projections::detail {

namespace json = boost::json;

namespace {

model::Pillar* find(std::vector<model::Pillar>& pillars, std::string_view id) {
  for (auto& pillar : pillars) {
    if (pillar.id == id) return &pillar;
  }
  return nullptr;
}

}  // namespace

std::vector<model::Pillar> layout_pillars(const model::MasterplanState& state,
                                          const ViewContext& context) {
  std::vector<model::Pillar> pillars = model::national_dimensions();
  if (context.extensions != nullptr) {
    for (const auto& [name, use] : state.plugins) {
      for (auto& pillar : context.extensions->pillars_of(name)) {
        if (find(pillars, pillar.id) == nullptr) pillars.push_back(std::move(pillar));
      }
    }
  }
  std::set<std::string> unknown;
  for (const auto& [id, program] : state.programs) {
    if (find(pillars, program.dimension) == nullptr) unknown.insert(program.dimension);
  }
  for (const auto& [id, issue] : state.strategic_issues) {
    if (find(pillars, issue.dimension) == nullptr) unknown.insert(issue.dimension);
  }
  for (const auto& id : unknown) pillars.push_back(model::Pillar{id, id, id, "", {}, ""});
  for (const auto& [id, program] : state.programs) {
    model::Pillar* pillar = find(pillars, program.dimension);
    const bool listed = std::any_of(pillar->elements.begin(), pillar->elements.end(),
                                    [&](const auto& e) { return e.id == program.element; });
    if (!listed) pillar->elements.push_back({program.element, program.element, program.element});
  }
  return pillars;
}

std::vector<std::string> budget_sources(const model::MasterplanState& state) {
  std::vector<std::string> sources = {"APBD", "APBD_PROVINSI", "APBN", "KPBU", "CSR", "SWASTA"};
  std::set<std::string> others;
  for (const auto& [id, program] : state.programs) {
    for (const auto& [key, amount] : program.budget) {
      if (std::find(sources.begin(), sources.end(), key.second) == sources.end()) {
        others.insert(key.second);
      }
    }
  }
  sources.insert(sources.end(), others.begin(), others.end());
  return sources;
}

std::vector<int> period_years(const model::MasterplanState& state) {
  std::vector<int> years;
  if (state.start_year == 0 || state.end_year < state.start_year) return years;
  // The model keeps periods at 5–10 years; a wider range would be a broken invariant, but a
  // view must not loop for long on it.
  const int last = std::min(state.end_year, state.start_year + 100);
  for (int year = state.start_year; year <= last; ++year) years.push_back(year);
  return years;
}

json::object program_summary(const model::Program& program) {
  return json::object{{"programId", program.id},          {"title", program.title},
                      {"dimension", program.dimension},   {"element", program.element},
                      {"leadOpd", program.lead_opd},      {"startYear", program.start_year},
                      {"endYear", program.end_year},      {"quickWin", program.quick_win}};
}

json::value rpjmd_json(const model::MasterplanState& state) {
  if (!state.rpjmd) return nullptr;
  const auto& r = *state.rpjmd;
  return json::object{{"title", r.title},
                      {"startYear", r.start_year},
                      {"endYear", r.end_year},
                      {"regulation", r.regulation.empty() ? json::value() : json::value(r.regulation)}};
}

json::object pillar_heading(const model::Pillar& pillar) {
  json::object heading;
  heading["dimension"] = pillar.id;
  heading["nameId"] = pillar.name_id;
  heading["nameEn"] = pillar.name_en;
  heading["plugin"] = pillar.plugin.empty() ? json::value(nullptr) : json::value(pillar.plugin);
  return heading;
}

}  // namespace rembuk::projections::detail
