// Handlers for programs: the fields, OPDs, years, quick-win flag, budget and indicators.
#include "entity_json.hpp"
#include "handlers.hpp"
#include "rules/budget_rules.hpp"
#include "rules/program_rules.hpp"

namespace rembuk::model::handlers {

namespace json = boost::json;
namespace ja = json_access;

void add_program(Decider& d) {
  std::string id = d.str("programId");
  if (!d.id_free("program", id, "programId")) return;
  Program p;
  p.id = id;
  p.title = d.str("title");
  p.description = d.str("description");
  p.dimension = d.str("dimension");
  p.element = d.str("element");
  p.lead_opd = d.str("leadOpd");
  p.start_year = d.year("startYear");
  p.end_year = d.year("endYear");
  p.quick_win = ja::boolean(d.body, "quickWin", false);
  p.outputs = ja::strings(d.body, "outputs");
  p.outcomes = ja::strings(d.body, "outcomes");
  rules::check_classification(d, p.dimension, p.element, Decider::path("dimension"),
                              Decider::path("element"));
  rules::check_lead_opd(d, p.lead_opd, Decider::path("leadOpd"));
  if (rules::check_years(d, p.start_year, p.end_year, Decider::path("startYear"), id) &&
      p.quick_win) {
    rules::check_quick_win(d, p.start_year, p.end_year, d.state.start_year,
                           Decider::path("quickWin"), id);
  }
  auto supporting = ja::strings(d.body, "supportingOpds");
  for (std::size_t i = 0; i < supporting.size(); ++i) {
    if (rules::check_supporting_opd(d, supporting[i], p.lead_opd,
                                    "/command/supportingOpds/" + std::to_string(i))) {
      p.supporting_opds.insert(supporting[i]);
    }
  }
  if (!d.ok()) return;
  json::object payload = to_json(p);
  payload.erase("budget");
  payload.erase("indicators");
  d.emit("ProgramAdded", std::move(payload));
}

void update_program(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  json::object changes;
  json::object previous;
  auto text_field = [&](std::string_view name, const std::string& current) {
    if (const auto* value = d.body.if_contains(name)) {
      changes[name] = *value;
      previous[name] = current;
    }
  };
  auto list_field = [&](std::string_view name, const std::vector<std::string>& current) {
    if (const auto* value = d.body.if_contains(name)) {
      changes[name] = *value;
      previous[name] = ja::to_array(current);
    }
  };
  text_field("title", p->title);
  text_field("description", p->description);
  text_field("dimension", p->dimension);
  text_field("element", p->element);
  list_field("outputs", p->outputs);
  list_field("outcomes", p->outcomes);
  if (changes.empty()) {
    d.violate("command.nothing_to_change", "/command", "Tidak ada isian yang diubah",
              "The command changes no field");
    return;
  }
  if (changes.contains("dimension") || changes.contains("element")) {
    std::string dimension = changes.contains("dimension") ? ja::str(changes, "dimension")
                                                          : p->dimension;
    std::string element = changes.contains("element") ? ja::str(changes, "element") : p->element;
    rules::check_classification(d, dimension, element, Decider::path("dimension"),
                                Decider::path("element"));
  }
  if (!d.ok()) return;
  d.emit("ProgramUpdated",
         json::object{{"programId", p->id}, {"changes", changes}, {"previous", previous}});
}

void remove_program(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  d.emit("ProgramRemoved", json::object{{"programId", p->id}, {"program", to_json(*p)}});
}

void set_program_years(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  int start = d.year("startYear");
  int end = d.year("endYear");
  if (!rules::check_years(d, start, end, Decider::path("startYear"), p->id)) return;
  if (p->quick_win) {
    rules::check_quick_win(d, start, end, d.state.start_year, Decider::path("startYear"), p->id);
  }
  for (const auto& [key, amount] : p->budget) {
    if (key.first < start || key.first > end) {
      d.violate("budget.year_outside_program", Decider::path("startYear"),
                "Anggaran " + key.second + " tahun " + std::to_string(key.first) +
                    " akan berada di luar tahun program; hapus dahulu",
                "The " + key.second + " budget of " + std::to_string(key.first) +
                    " would lie outside the program's years; remove it first",
                json::object{{"programId", p->id}, {"year", key.first}, {"source", key.second}});
    }
  }
  for (const auto& [indicator_id, indicator] : p->indicators) {
    for (const auto& [year, value] : indicator.targets) {
      if (year < start || year > end) {
        d.violate("indicator.target_year_outside_program", Decider::path("startYear"),
                  "Target indikator '" + indicator.name + "' tahun " + std::to_string(year) +
                      " akan berada di luar tahun program",
                  "The target of indicator '" + indicator.name + "' for " +
                      std::to_string(year) + " would lie outside the program's years",
                  json::object{{"indicatorId", indicator_id}, {"year", year}});
      }
    }
  }
  if (!d.ok()) return;
  d.emit("ProgramYearsSet", json::object{{"programId", p->id},
                                         {"startYear", start},
                                         {"endYear", end},
                                         {"previousStartYear", p->start_year},
                                         {"previousEndYear", p->end_year}});
}

void set_program_lead_opd(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  std::string lead = d.str("leadOpd");
  if (!rules::check_lead_opd(d, lead, Decider::path("leadOpd"))) return;
  if (p->supporting_opds.count(lead) > 0) {
    d.violate("program.supporting_is_lead", Decider::path("leadOpd"),
              "OPD ini sudah menjadi OPD pendukung; hapus dahulu dari pendukung",
              "This OPD is a supporting OPD; remove it from the supporting OPDs first",
              json::object{{"opdId", lead}});
    return;
  }
  d.emit("ProgramLeadOpdSet", json::object{{"programId", p->id},
                                           {"leadOpd", lead},
                                           {"previousLeadOpd", p->lead_opd}});
}

void add_supporting_opd(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  std::string opd = d.str("opdId");
  if (!rules::check_supporting_opd(d, opd, p->lead_opd, Decider::path("opdId"))) return;
  if (p->supporting_opds.count(opd) > 0) {
    d.violate("program.supporting_opd_exists", Decider::path("opdId"),
              "OPD ini sudah menjadi OPD pendukung", "This OPD already supports the program");
    return;
  }
  d.emit("SupportingOpdAdded", json::object{{"programId", p->id}, {"opdId", opd}});
}

void remove_supporting_opd(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  std::string opd = d.str("opdId");
  if (p->supporting_opds.count(opd) == 0) {
    d.violate("program.supporting_opd_not_found", Decider::path("opdId"),
              "OPD ini bukan OPD pendukung program", "This OPD does not support the program");
    return;
  }
  d.emit("SupportingOpdRemoved", json::object{{"programId", p->id}, {"opdId", opd}});
}

void set_quick_win(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  bool quick_win = ja::boolean(d.body, "quickWin", false);
  if (quick_win &&
      !rules::check_quick_win(d, p->start_year, p->end_year, d.state.start_year,
                              Decider::path("quickWin"), p->id)) {
    return;
  }
  d.emit("ProgramQuickWinSet", json::object{{"programId", p->id},
                                            {"quickWin", quick_win},
                                            {"previousQuickWin", p->quick_win}});
}

void set_program_budget(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  int year = d.year("year");
  std::string source = d.str("source");
  const json::value* amount = d.body.if_contains("amount");
  static const json::value zero(0);
  auto rupiah = rules::check_budget_line(d, *p, year, source, amount ? *amount : zero);
  if (!rupiah) return;
  auto it = p->budget.find({year, source});
  d.emit("ProgramBudgetSet",
         json::object{{"programId", p->id},
                      {"year", year},
                      {"source", source},
                      {"amount", *rupiah},
                      {"previousAmount",
                       it == p->budget.end() ? json::value(nullptr) : json::value(it->second)}});
}

void remove_program_budget(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  int year = d.year("year");
  std::string source = d.str("source");
  auto it = p->budget.find({year, source});
  if (it == p->budget.end()) {
    d.violate("budget.not_found", Decider::path("year"),
              "Tidak ada anggaran " + source + " untuk tahun " + std::to_string(year),
              "No " + source + " budget for " + std::to_string(year));
    return;
  }
  d.emit("ProgramBudgetRemoved", json::object{{"programId", p->id},
                                              {"year", year},
                                              {"source", source},
                                              {"previousAmount", it->second}});
}

void add_indicator(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  std::string id = d.str("indicatorId");
  if (!d.id_free("indicator", p->id + "/" + id, "indicatorId")) return;
  json::value baseline = nullptr;
  if (const auto* b = d.body.if_contains("baseline")) {
    auto decoded = baseline_from_json(*b);
    if (decoded) baseline = to_json(*decoded);
  }
  d.emit("IndicatorAdded", json::object{{"programId", p->id},
                                        {"indicatorId", id},
                                        {"name", d.str("name")},
                                        {"unit", d.str("unit")},
                                        {"baseline", baseline}});
}

void update_indicator(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  const Indicator* indicator = d.need_indicator(*p);
  if (indicator == nullptr) return;
  json::object changes;
  json::object previous;
  if (const auto* v = d.body.if_contains("name")) {
    changes["name"] = *v;
    previous["name"] = indicator->name;
  }
  if (const auto* v = d.body.if_contains("unit")) {
    changes["unit"] = *v;
    previous["unit"] = indicator->unit;
  }
  if (const auto* v = d.body.if_contains("baseline")) {
    auto decoded = baseline_from_json(*v);
    changes["baseline"] = decoded ? to_json(*decoded) : json::value(nullptr);
    previous["baseline"] = to_json(indicator->baseline);
  }
  if (changes.empty()) {
    d.violate("command.nothing_to_change", "/command", "Tidak ada isian yang diubah",
              "The command changes no field");
    return;
  }
  d.emit("IndicatorUpdated", json::object{{"programId", p->id},
                                          {"indicatorId", indicator->id},
                                          {"changes", changes},
                                          {"previous", previous}});
}

void remove_indicator(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  const Indicator* indicator = d.need_indicator(*p);
  if (indicator == nullptr) return;
  d.emit("IndicatorRemoved", json::object{{"programId", p->id},
                                          {"indicatorId", indicator->id},
                                          {"indicator", to_json(*indicator)}});
}

void set_indicator_target(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  const Indicator* indicator = d.need_indicator(*p);
  if (indicator == nullptr) return;
  int year = d.year("year");
  if (year < p->start_year || year > p->end_year) {
    d.violate("indicator.target_year_outside_program", Decider::path("year"),
              "Tahun target " + std::to_string(year) + " di luar tahun program " +
                  std::to_string(p->start_year) + "–" + std::to_string(p->end_year),
              "Target year " + std::to_string(year) + " lies outside the program's years " +
                  std::to_string(p->start_year) + "–" + std::to_string(p->end_year),
              json::object{{"year", year}});
    return;
  }
  auto it = indicator->targets.find(year);
  d.emit("IndicatorTargetSet",
         json::object{{"programId", p->id},
                      {"indicatorId", indicator->id},
                      {"year", year},
                      {"value", ja::opt_number(d.body, "value").value_or(0)},
                      {"previousValue", it == indicator->targets.end()
                                            ? json::value(nullptr)
                                            : json::value(it->second)}});
}

void remove_indicator_target(Decider& d) {
  const Program* p = d.need_program();
  if (p == nullptr) return;
  const Indicator* indicator = d.need_indicator(*p);
  if (indicator == nullptr) return;
  int year = d.year("year");
  auto it = indicator->targets.find(year);
  if (it == indicator->targets.end()) {
    d.violate("indicator.target_not_found", Decider::path("year"),
              "Tidak ada target untuk tahun " + std::to_string(year),
              "No target for " + std::to_string(year));
    return;
  }
  d.emit("IndicatorTargetRemoved", json::object{{"programId", p->id},
                                                {"indicatorId", indicator->id},
                                                {"year", year},
                                                {"previousValue", it->second}});
}

}  // namespace rembuk::model::handlers
