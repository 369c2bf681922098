// The budget view: totals per year × source × dimension, with marginal totals.
#include <boost/json.hpp>

#include "pillar_layout.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

json::value budget_view(const model::MasterplanState& state, const ViewContext& context) {
  const auto pillars = detail::layout_pillars(state, context);
  const auto sources = detail::budget_sources(state);
  // (year, source, dimension) → amount; years include any budget year outside the period.
  std::map<std::tuple<int, std::string, std::string>, model::Rupiah> cells;
  std::map<int, model::Rupiah> by_year;
  std::map<std::string, model::Rupiah> by_source;
  std::map<std::string, model::Rupiah> by_dimension;
  model::Rupiah total = 0;
  for (int year : detail::period_years(state)) by_year[year] = 0;
  for (const auto& [id, program] : state.programs) {
    for (const auto& [key, amount] : program.budget) {
      cells[{key.first, key.second, program.dimension}] += amount;
      by_year[key.first] += amount;
      by_source[key.second] += amount;
      by_dimension[program.dimension] += amount;
      total += amount;
    }
  }
  json::array cell_rows;
  for (const auto& [year, year_total] : by_year) {
    for (const auto& source : sources) {
      for (const auto& pillar : pillars) {
        auto it = cells.find({year, source, pillar.id});
        if (it == cells.end()) continue;
        cell_rows.push_back(json::object{{"year", year},
                                         {"source", source},
                                         {"dimension", pillar.id},
                                         {"amount", it->second}});
      }
    }
  }
  json::array years;
  for (const auto& [year, amount] : by_year) {
    years.push_back(json::object{{"year", year}, {"amount", amount}});
  }
  json::array source_rows;
  for (const auto& source : sources) {
    auto it = by_source.find(source);
    source_rows.push_back(
        json::object{{"source", source}, {"amount", it == by_source.end() ? 0 : it->second}});
  }
  json::array dimension_rows;
  for (const auto& pillar : pillars) {
    auto it = by_dimension.find(pillar.id);
    dimension_rows.push_back(json::object{
        {"dimension", pillar.id}, {"amount", it == by_dimension.end() ? 0 : it->second}});
  }
  return json::object{{"masterplan", state.id},      {"version", state.version},
                      {"byYear", std::move(years)},  {"bySource", std::move(source_rows)},
                      {"byDimension", std::move(dimension_rows)},
                      {"cells", std::move(cell_rows)}, {"total", total}};
}

}  // namespace rembuk::projections
