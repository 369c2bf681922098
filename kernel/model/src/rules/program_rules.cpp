#include "program_rules.hpp"

#include "rembuk/model/dimensions.hpp"

namespace rembuk::model::rules {

namespace json = boost::json;

std::optional<Pillar> find_pillar(const MasterplanState& state, const Extensions* extensions,
                                  const std::string& id) {
  if (const Pillar* national = find_national_dimension(id)) return *national;
  if (extensions == nullptr) return std::nullopt;
  for (const auto& [name, use] : state.plugins) {
    for (auto& pillar : extensions->pillars_of(name)) {
      if (pillar.id == id) {
        pillar.plugin = name;
        return pillar;
      }
    }
  }
  return std::nullopt;
}

bool check_classification(Decider& d, const std::string& dimension, const std::string& element,
                          const std::string& dimension_path, const std::string& element_path) {
  // The national dimensions need no copy; plugin pillars are looked up only when needed.
  const Pillar* national = find_national_dimension(dimension);
  std::optional<Pillar> plugin_pillar;
  if (national == nullptr) plugin_pillar = find_pillar(d.state, d.context.extensions, dimension);
  const Pillar* pillar = national != nullptr ? national : (plugin_pillar ? &*plugin_pillar : nullptr);
  if (pillar == nullptr) {
    d.violate("program.unknown_dimension", dimension_path,
              "Dimensi atau pilar '" + dimension + "' tidak dikenal",
              "Unknown dimension or pillar '" + dimension + "'",
              json::object{{"dimension", dimension}});
    return false;
  }
  for (const auto& e : pillar->elements) {
    if (e.id == element) return true;
  }
  json::array known;
  for (const auto& e : pillar->elements) known.emplace_back(e.id);
  d.violate("program.unknown_element", element_path,
            "Elemen '" + element + "' bukan bagian dari " + pillar->name_id,
            "Element '" + element + "' is not part of " + pillar->name_en,
            json::object{{"dimension", dimension}, {"element", element}, {"known", known}});
  return false;
}

bool check_lead_opd(Decider& d, const std::string& opd, const std::string& path) {
  const Opd* found = d.state.find_opd(opd);
  if (found == nullptr) {
    d.violate("program.lead_opd_unknown", path,
              "OPD pengampu '" + opd + "' tidak ada dalam daftar OPD kota",
              "Lead OPD '" + opd + "' is not in the city's OPD list",
              json::object{{"opdId", opd}});
    return false;
  }
  if (found->retired) {
    d.violate("program.lead_opd_retired", path,
              "OPD pengampu '" + found->name + "' sudah tidak aktif",
              "Lead OPD '" + found->name + "' is retired", json::object{{"opdId", opd}});
    return false;
  }
  return true;
}

bool check_years(Decider& d, int start_year, int end_year, const std::string& path,
                 const std::string& program_id) {
  if (start_year > end_year) {
    d.violate("program.years_reversed", path,
              "Tahun mulai " + std::to_string(start_year) + " setelah tahun selesai " +
                  std::to_string(end_year),
              "Start year " + std::to_string(start_year) + " is after end year " +
                  std::to_string(end_year),
              json::object{{"programId", program_id}});
    return false;
  }
  if (start_year < d.state.start_year || end_year > d.state.end_year) {
    d.violate("program.years_outside_period", path,
              "Tahun program " + std::to_string(start_year) + "–" + std::to_string(end_year) +
                  " di luar periode masterplan " + std::to_string(d.state.start_year) + "–" +
                  std::to_string(d.state.end_year),
              "Program years " + std::to_string(start_year) + "–" + std::to_string(end_year) +
                  " lie outside the masterplan period " + std::to_string(d.state.start_year) +
                  "–" + std::to_string(d.state.end_year),
              json::object{{"programId", program_id},
                           {"startYear", start_year},
                           {"endYear", end_year},
                           {"periodStart", d.state.start_year},
                           {"periodEnd", d.state.end_year}});
    return false;
  }
  return true;
}

bool check_quick_win(Decider& d, int start_year, int end_year, int period_start,
                     const std::string& path, const std::string& program_id) {
  bool ok = true;
  if (end_year - start_year + 1 > 1) {
    d.violate("program.quick_win_too_long", path,
              "Quick win berlangsung paling lama satu tahun (program ini " +
                  std::to_string(end_year - start_year + 1) + " tahun)",
              "A quick win lasts at most one year (this program: " +
                  std::to_string(end_year - start_year + 1) + " years)",
              json::object{{"programId", program_id}});
    ok = false;
  }
  if (start_year > period_start + 1) {
    d.violate("program.quick_win_too_late", path,
              "Quick win harus dimulai pada dua tahun pertama periode (" +
                  std::to_string(period_start) + "–" + std::to_string(period_start + 1) + ")",
              "A quick win must start in the first two years of the period (" +
                  std::to_string(period_start) + "–" + std::to_string(period_start + 1) + ")",
              json::object{{"programId", program_id}, {"startYear", start_year}});
    ok = false;
  }
  return ok;
}

bool check_supporting_opd(Decider& d, const std::string& opd, const std::string& lead,
                          const std::string& path) {
  const Opd* found = d.state.find_opd(opd);
  if (found == nullptr) {
    d.violate("opd.unknown", path, "OPD '" + opd + "' tidak ada dalam daftar OPD kota",
              "OPD '" + opd + "' is not in the city's OPD list", json::object{{"opdId", opd}});
    return false;
  }
  if (found->retired) {
    d.violate("opd.retired", path, "OPD '" + found->name + "' sudah tidak aktif",
              "OPD '" + found->name + "' is retired", json::object{{"opdId", opd}});
    return false;
  }
  if (opd == lead) {
    d.violate("program.supporting_is_lead", path,
              "OPD pengampu tidak dapat sekaligus menjadi OPD pendukung",
              "The lead OPD cannot also be a supporting OPD", json::object{{"opdId", opd}});
    return false;
  }
  return true;
}

}  // namespace rembuk::model::rules
