// Random but mostly valid commands for one masterplan, chosen by looking at its state (so
// they name programs, OPDs and indicators that exist): the property tests use it to get
// varied histories, the replay benchmark to get realistic ones. Rejections are expected
// now and then (a quick win too long, an OPD in use, …) and simply store nothing.
// Deterministic for a given seed and state sequence.
#pragma once

#include <cstdint>
#include <iterator>
#include <random>
#include <string>

#include <boost/json.hpp>

#include "rembuk/model/dimensions.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::projections::testing {

class CommandGenerator {
 public:
  explicit CommandGenerator(std::uint64_t seed, int start_year = 2019)
      : random_(seed), start_year_(start_year) {}

  // The next command for `state` (CreateMasterplan when it does not exist yet).
  boost::json::object next(const model::MasterplanState& state) {
    namespace json = boost::json;
    ++serial_;
    if (!state.exists) {
      return json::object{{"type", "CreateMasterplan"}, {"cityName", "Kota " + state.id},
                          {"regionCode", "13.71"},      {"startYear", start_year_},
                          {"endYear", start_year_ + 4}};
    }
    if (state.opds.size() < 3 || pick(40) == 0) {
      return json::object{{"type", "RegisterOpd"}, {"opdId", "opd-" + std::to_string(serial_)},
                          {"name", "Dinas " + std::to_string(serial_)}};
    }
    if (state.programs.size() < 2 || pick(12) == 0) return add_program(state);
    const model::Program& program = any(state.programs);
    switch (pick(20)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5: {
        const int year = program.start_year + pick(program.end_year - program.start_year + 1);
        static const char* sources[] = {"APBD", "APBD_PROVINSI", "APBN", "KPBU", "CSR", "SWASTA"};
        return json::object{{"type", "SetProgramBudget"}, {"programId", program.id},
                            {"year", year},               {"source", sources[pick(6)]},
                            {"amount", (1 + pick(500)) * 10'000'000LL}};
      }
      case 6:
      case 7:
        if (program.indicators.size() < 3) {
          return json::object{{"type", "AddIndicator"}, {"programId", program.id},
                              {"indicatorId", "i-" + std::to_string(serial_)},
                              {"name", "Indikator " + std::to_string(serial_)}, {"unit", "unit"},
                              {"baseline", json::object{{"value", pick(100)}, {"year", nullptr}}}};
        }
        [[fallthrough]];
      case 8:
      case 9:
        if (!program.indicators.empty()) {
          const int year = program.start_year + pick(program.end_year - program.start_year + 1);
          return json::object{{"type", "SetIndicatorTarget"}, {"programId", program.id},
                              {"indicatorId", any(program.indicators).id}, {"year", year},
                              {"value", pick(1000)}};
        }
        [[fallthrough]];
      case 10:
        return json::object{{"type", "UpdateProgram"}, {"programId", program.id},
                            {"title", "Program " + std::to_string(serial_)},
                            {"description", "Revisi " + std::to_string(serial_)}};
      case 11: {
        const auto& opd = any(state.opds);
        if (opd.retired) break;
        return json::object{{"type", opd.id == program.lead_opd || pick(2) == 0
                                         ? "RemoveSupportingOpd" : "AddSupportingOpd"},
                            {"programId", program.id}, {"opdId", opd.id}};
      }
      case 12:
        if (!program.budget.empty()) {
          auto it = program.budget.begin();
          std::advance(it, pick(static_cast<int>(program.budget.size())));
          return json::object{{"type", "RemoveProgramBudget"}, {"programId", program.id},
                              {"year", it->first.first}, {"source", it->first.second}};
        }
        break;
      case 13:
        if (pick(4) == 0) return json::object{{"type", "RemoveProgram"}, {"programId", program.id}};
        break;
      case 14:
        return json::object{{"type", "AddComment"}, {"commentId", "c-" + std::to_string(serial_)},
                            {"target", "program/" + program.id},
                            {"text", "Mohon dicek " + std::to_string(serial_)}};
      case 15:
        if (state.missions.size() < 5) {
          return json::object{{"type", "AddMission"}, {"missionId", "m-" + std::to_string(serial_)},
                              {"text", "Misi " + std::to_string(serial_)}};
        }
        return json::object{{"type", "RemoveMission"}, {"missionId", state.missions.front().id}};
      case 16:
        return json::object{{"type", "SetVision"}, {"text", "Visi " + std::to_string(serial_)}};
      case 17:
        if (!last_command_id_.empty() && pick(2) == 0) {
          return json::object{{"type", "Undo"}, {"commandId", last_command_id_}};
        }
        return json::object{{"type", "SetQuickWin"}, {"programId", program.id},
                            {"quickWin", !program.quick_win}};
      case 18: {
        const int start = start_year_ + pick(3);
        return json::object{{"type", "SetProgramYears"}, {"programId", program.id},
                            {"startYear", start}, {"endYear", start + pick(start_year_ + 5 - start)}};
      }
      default:
        return json::object{{"type", "AddStrategicIssue"},
                            {"issueId", "iss-" + std::to_string(serial_)},
                            {"dimension", model::national_dimensions()[static_cast<std::size_t>(pick(6))].id},
                            {"text", "Isu " + std::to_string(serial_)}};
    }
    return json::object{{"type", "SetVision"}, {"text", "Visi " + std::to_string(serial_)}};
  }

  // Tell the generator which command was accepted last (Undo targets it).
  void accepted(std::string command_id) { last_command_id_ = std::move(command_id); }

 private:
  int pick(int n) { return n <= 1 ? 0 : std::uniform_int_distribution<int>(0, n - 1)(random_); }

  template <typename Map>
  const typename Map::mapped_type& any(const Map& map) {
    auto it = map.begin();
    std::advance(it, pick(static_cast<int>(map.size())));
    return it->second;
  }

  boost::json::object add_program(const model::MasterplanState& state) {
    namespace json = boost::json;
    const auto& dimension = model::national_dimensions()[static_cast<std::size_t>(pick(6))];
    const auto& element = dimension.elements[static_cast<std::size_t>(pick(3))];
    std::string lead;
    for (int tries = 0; tries < 4 && lead.empty(); ++tries) {
      const auto& opd = any(state.opds);
      if (!opd.retired) lead = opd.id;
    }
    const bool quick_win = pick(6) == 0;
    const int start = start_year_ + (quick_win ? pick(2) : pick(3));
    const int end = quick_win ? start : start + pick(start_year_ + 5 - start);
    return json::object{{"type", "AddProgram"},      {"programId", "p-" + std::to_string(serial_)},
                        {"title", "Program " + std::to_string(serial_)},
                        {"dimension", dimension.id}, {"element", element.id},
                        {"leadOpd", lead},           {"startYear", start},
                        {"endYear", end},            {"quickWin", quick_win},
                        {"description", "Program kota pintar nomor " + std::to_string(serial_)}};
  }

  std::mt19937_64 random_;
  int start_year_;
  std::uint64_t serial_ = 0;
  std::string last_command_id_;
};

}  // namespace rembuk::projections::testing
