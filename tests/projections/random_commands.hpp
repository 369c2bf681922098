// Random but mostly valid commands for one masterplan, chosen by looking at its state (so
// they name programs, OPDs and indicators that exist): the property tests use it to get
// varied histories, the replay benchmark to get realistic ones. Rejections are expected
// now and then (a quick win too long, an OPD in use, …) and simply store nothing.
// Deterministic for a given seed, profile and state sequence.
//
// Without a profile the generator adds entities without bound (a masterplan of 100,000
// events ends with thousands of programs, OPDs and strategic issues): a stress history, and
// what the property tests were written against. With a CityProfile, once a cap is reached it
// edits an existing entity instead of adding one, so a long history is what a real city's
// is: the same few dozen OPDs and a few hundred programs, edited over and over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <random>
#include <string>

#include <boost/json.hpp>

#include "rembuk/model/dimensions.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::projections::testing {

// How large a real city's masterplan gets. The values of `city()`, and why:
// - OPDs 45: every OPD of the city government takes part (domain.md); a kota has some
//   30–60 perangkat daerah (secretariat, inspectorate, two dozen dinas, a handful of badan,
//   the kecamatan).
// - programs 200: "tens to a few hundred"; the ministry's 6 dimensions × 3 elements give 18
//   elements, about ten programs each.
// - strategic issues 36: "dozens", about six per dimension.
// - missions 5: a vision with a handful of missions, as an RPJMD has.
// - comments 2,000: ministry experts and the Tim Pelaksana review each program a few times
//   per Bimtek session (four) and per yearly revision: about ten per program. Past the cap a
//   comment becomes the resolution of an open one.
// - supporting OPDs 6 per program: a program is led by one OPD and supported by a few
//   (Diskominfo for the platform, Bappeda for planning, the sector's dinas), not by half the
//   city, which is where an even add/remove walk over 45 OPDs would settle.
// Indicators (3 per program), budget lines (years × sources) and targets (one per year)
// are bounded by the generator and the model in both modes.
struct CityProfile {
  std::size_t max_opds = 45;
  std::size_t max_programs = 200;
  std::size_t max_strategic_issues = 36;
  std::size_t max_missions = 5;
  std::size_t max_comments = 2000;
  std::size_t max_supporting_opds = 6;

  static CityProfile city() { return CityProfile{}; }
};

class CommandGenerator {
 public:
  // No profile: unbounded growth, the exact sequence older builds generated for a seed.
  explicit CommandGenerator(std::uint64_t seed, int start_year = 2019,
                            std::optional<CityProfile> profile = std::nullopt)
      : random_(seed), start_year_(start_year), profile_(profile) {}

  // The next command for `state` (CreateMasterplan when it does not exist yet).
  boost::json::object next(const model::MasterplanState& state) {
    namespace json = boost::json;
    ++serial_;
    if (!state.exists) {
      return json::object{{"type", "CreateMasterplan"}, {"cityName", "Kota " + state.id},
                          {"regionCode", "13.71"},      {"startYear", start_year_},
                          {"endYear", start_year_ + 4}};
    }
    // The caps below draw extra random numbers only with a profile, so the unbounded
    // sequence stays what it was.
    if (state.opds.size() < 3 || pick(40) == 0) {
      if (!capped(state.opds.size(), &CityProfile::max_opds)) {
        return json::object{{"type", "RegisterOpd"}, {"opdId", "opd-" + std::to_string(serial_)},
                            {"name", "Dinas " + std::to_string(serial_)}};
      }
      // A full OPD list changes by renaming (reorganisations), now and then.
      if (pick(4) == 0) {
        return json::object{{"type", "RenameOpd"}, {"opdId", any(state.opds).id},
                            {"name", "Dinas " + std::to_string(serial_)}};
      }
    }
    if (state.programs.size() < 2 ||
        (pick(12) == 0 && !capped(state.programs.size(), &CityProfile::max_programs))) {
      return add_program(state);
    }
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
        return update_program(program);
      case 11: {
        if (capped(program.supporting_opds.size(), &CityProfile::max_supporting_opds)) {
          auto it = program.supporting_opds.begin();
          std::advance(it, pick(static_cast<int>(program.supporting_opds.size())));
          return json::object{{"type", "RemoveSupportingOpd"}, {"programId", program.id},
                              {"opdId", *it}};
        }
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
        if (capped(state.comments.size(), &CityProfile::max_comments)) {
          const auto& comment = any(state.comments);
          if (!comment.resolved) {
            return json::object{{"type", "ResolveComment"}, {"commentId", comment.id}};
          }
          return update_program(program);
        }
        return json::object{{"type", "AddComment"}, {"commentId", "c-" + std::to_string(serial_)},
                            {"target", "program/" + program.id},
                            {"text", "Mohon dicek " + std::to_string(serial_)}};
      case 15:
        if (state.missions.size() < (profile_ ? profile_->max_missions : 5)) {
          return json::object{{"type", "AddMission"}, {"missionId", "m-" + std::to_string(serial_)},
                              {"text", "Misi " + std::to_string(serial_)}};
        }
        if (profile_ && !state.missions.empty()) {
          const auto& mission = state.missions[static_cast<std::size_t>(
              pick(static_cast<int>(state.missions.size())))];
          return json::object{{"type", "UpdateMission"}, {"missionId", mission.id},
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
        if (capped(state.strategic_issues.size(), &CityProfile::max_strategic_issues)) {
          return json::object{{"type", "UpdateStrategicIssue"},
                              {"issueId", any(state.strategic_issues).id},
                              {"text", "Isu " + std::to_string(serial_)}};
        }
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
  // True when a profile is set and `count` has reached its cap.
  bool capped(std::size_t count, std::size_t CityProfile::*cap) const {
    return profile_ && count >= (*profile_).*cap;
  }

  boost::json::object update_program(const model::Program& program) const {
    return boost::json::object{{"type", "UpdateProgram"}, {"programId", program.id},
                               {"title", "Program " + std::to_string(serial_)},
                               {"description", "Revisi " + std::to_string(serial_)}};
  }

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
  std::optional<CityProfile> profile_;
  std::uint64_t serial_ = 0;
  std::string last_command_id_;
};

}  // namespace rembuk::projections::testing
