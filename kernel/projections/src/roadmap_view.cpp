// The roadmap view: for every year of the period, the programs running, by dimension.
#include <boost/json.hpp>

#include "pillar_layout.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

json::value roadmap_view(const model::MasterplanState& state, const ViewContext& context) {
  const auto pillars = detail::layout_pillars(state, context);
  json::array years;
  for (int year : detail::period_years(state)) {
    json::array dimensions;
    std::size_t running = 0;
    std::size_t quick_wins = 0;
    for (const auto& pillar : pillars) {
      json::array programs;
      for (const auto& [id, program] : state.programs) {
        if (program.dimension != pillar.id || year < program.start_year ||
            year > program.end_year) {
          continue;
        }
        programs.push_back(json::object{{"programId", id},
                                        {"title", program.title},
                                        {"element", program.element},
                                        {"leadOpd", program.lead_opd},
                                        {"quickWin", program.quick_win},
                                        {"startsThisYear", program.start_year == year},
                                        {"endsThisYear", program.end_year == year}});
        ++running;
        if (program.quick_win) ++quick_wins;
      }
      if (programs.empty()) continue;
      dimensions.push_back(json::object{{"dimension", pillar.id},
                                        {"nameEn", pillar.name_en},
                                        {"programs", std::move(programs)}});
    }
    years.push_back(json::object{{"year", year},
                                 {"programs", running},
                                 {"quickWins", quick_wins},
                                 {"dimensions", std::move(dimensions)}});
  }
  return json::object{{"masterplan", state.id},
                      {"version", state.version},
                      {"startYear", state.start_year},
                      {"endYear", state.end_year},
                      {"years", std::move(years)}};
}

}  // namespace rembuk::projections
