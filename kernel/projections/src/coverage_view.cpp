// The coverage view: programs per dimension and element, and what the submission gate
// (rule 6) still misses. The gate's items mirror kernel/model/src/rules/submission_gate.cpp
// (same codes, same paths, same order), computed here from the state because the model
// keeps its rule private; the coverage test pins the two together on the same states.
#include <boost/json.hpp>

#include "pillar_layout.hpp"
#include "rembuk/model/dimensions.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

namespace {

json::array missing_for_submission(const model::MasterplanState& state) {
  json::array missing;
  auto add = [&](std::string_view code, std::string path, json::object detail = {}) {
    missing.push_back(json::object{{"code", code}, {"path", path}, {"detail", std::move(detail)}});
  };
  if (state.vision.empty()) add("submission.vision_missing", "/masterplan/vision");
  for (const auto& dimension : model::national_dimensions()) {
    bool found = false;
    for (const auto& [id, program] : state.programs) found = found || program.dimension == dimension.id;
    if (!found) {
      add("submission.dimension_without_program", "/masterplan/programs",
          json::object{{"dimension", dimension.id}});
    }
  }
  bool quick_win = false;
  for (const auto& [id, program] : state.programs) quick_win = quick_win || program.quick_win;
  if (!quick_win) add("submission.no_quick_win", "/masterplan/programs");
  for (const auto& [id, program] : state.programs) {
    if (program.indicators.empty()) {
      add("submission.program_without_indicator", "/masterplan/programs/" + id + "/indicators",
          json::object{{"programId", id}});
    }
    const model::Opd* lead = state.find_opd(program.lead_opd);
    if (lead == nullptr || lead->retired) {
      add("submission.program_without_lead_opd", "/masterplan/programs/" + id + "/leadOpd",
          json::object{{"programId", id}});
    }
  }
  return missing;
}

}  // namespace

json::value coverage_view(const model::MasterplanState& state, const ViewContext& context) {
  json::array dimensions;
  for (const auto& pillar : detail::layout_pillars(state, context)) {
    json::array elements;
    json::array uncovered;
    std::size_t programs = 0;
    std::size_t quick_wins = 0;
    for (const auto& element : pillar.elements) {
      json::array ids;
      for (const auto& [id, program] : state.programs) {
        if (program.dimension != pillar.id || program.element != element.id) continue;
        ids.push_back(json::value(id));
        ++programs;
        if (program.quick_win) ++quick_wins;
      }
      if (ids.empty()) uncovered.push_back(json::value(element.id));
      elements.push_back(json::object{
          {"element", element.id}, {"programs", ids.size()}, {"programIds", std::move(ids)}});
    }
    json::object row = detail::pillar_heading(pillar);
    row["programs"] = programs;
    row["quickWins"] = quick_wins;
    row["elements"] = std::move(elements);
    row["elementsWithoutProgram"] = std::move(uncovered);
    dimensions.push_back(std::move(row));
  }
  json::array missing = missing_for_submission(state);
  const bool ready = missing.empty();
  return json::object{{"masterplan", state.id},
                      {"version", state.version},
                      {"status", model::to_string(state.status)},
                      {"dimensions", std::move(dimensions)},
                      {"submission", json::object{{"ready", ready}, {"missing", std::move(missing)}}}};
}

}  // namespace rembuk::projections
