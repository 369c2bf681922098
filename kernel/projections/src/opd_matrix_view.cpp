// The OPD matrix: each OPD with the programs it leads and supports, and its budget per year
// (the budget of the programs it leads: the lead OPD answers for a program's money).
#include <boost/json.hpp>

#include "pillar_layout.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

json::value opd_matrix_view(const model::MasterplanState& state, const ViewContext&) {
  const auto years = detail::period_years(state);
  json::array opds;
  for (const auto& [opd_id, opd] : state.opds) {
    json::array leads;
    json::array supports;
    std::map<int, model::Rupiah> per_year;
    model::Rupiah total = 0;
    for (const auto& [id, program] : state.programs) {
      const auto entry = json::object{{"programId", id},
                                      {"title", program.title},
                                      {"dimension", program.dimension},
                                      {"startYear", program.start_year},
                                      {"endYear", program.end_year},
                                      {"quickWin", program.quick_win}};
      if (program.lead_opd == opd_id) {
        leads.push_back(entry);
        for (const auto& [key, amount] : program.budget) {
          per_year[key.first] += amount;
          total += amount;
        }
      }
      if (program.supporting_opds.contains(opd_id)) supports.push_back(entry);
    }
    json::array budget;
    for (int year : years) {
      auto it = per_year.find(year);
      budget.push_back(
          json::object{{"year", year}, {"amount", it == per_year.end() ? 0 : it->second}});
    }
    json::object row;
    row["opdId"] = opd_id;
    row["name"] = opd.name;
    row["shortName"] = opd.short_name.empty() ? json::value() : json::value(opd.short_name);
    row["retired"] = opd.retired;
    row["leads"] = std::move(leads);
    row["supports"] = std::move(supports);
    row["budget"] = std::move(budget);
    row["total"] = total;
    opds.push_back(std::move(row));
  }
  json::array year_list;
  for (int year : years) year_list.push_back(year);
  return json::object{{"masterplan", state.id},
                      {"version", state.version},
                      {"years", std::move(year_list)},
                      {"opds", std::move(opds)}};
}

}  // namespace rembuk::projections
