#include "submission_gate.hpp"

#include "bimtek_rules.hpp"
#include "rembuk/model/dimensions.hpp"

namespace rembuk::model::rules {

namespace json = boost::json;

bool check_submission_gate(Decider& d) {
  const MasterplanState& s = d.state;
  const std::size_t before = d.violations.size();
  if (s.vision.empty()) {
    d.violate("submission.vision_missing", "/masterplan/vision", "Visi smart city belum diisi",
              "The smart-city vision is missing");
  }
  for (const auto& dimension : national_dimensions()) {
    bool found = false;
    for (const auto& [id, program] : s.programs) {
      if (program.dimension == dimension.id) {
        found = true;
        break;
      }
    }
    if (!found) {
      d.violate("submission.dimension_without_program", "/masterplan/programs",
                "Belum ada program pada dimensi " + dimension.name_id,
                "No program yet in the dimension " + dimension.name_en,
                json::object{{"dimension", dimension.id}});
    }
  }
  bool quick_win = false;
  for (const auto& [id, program] : s.programs) quick_win = quick_win || program.quick_win;
  if (!quick_win) {
    d.violate("submission.no_quick_win", "/masterplan/programs",
              "Belum ada program quick win", "There is no quick-win program");
  }
  for (const auto& [id, program] : s.programs) {
    if (program.indicators.empty()) {
      d.violate("submission.program_without_indicator",
                "/masterplan/programs/" + id + "/indicators",
                "Program '" + program.title + "' belum memiliki indikator",
                "Program '" + program.title + "' has no indicator",
                json::object{{"programId", id}});
    }
    const Opd* lead = s.find_opd(program.lead_opd);
    if (lead == nullptr || lead->retired) {
      d.violate("submission.program_without_lead_opd", "/masterplan/programs/" + id + "/leadOpd",
                "Program '" + program.title + "' belum memiliki OPD pengampu yang aktif",
                "Program '" + program.title + "' has no active lead OPD",
                json::object{{"programId", id}});
    }
  }
  check_bimtek_submission(d);
  if (d.violations.size() == before) return true;
  d.headline = "submission.incomplete";
  return false;
}

}  // namespace rembuk::model::rules
