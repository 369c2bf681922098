#include "bimtek_json.hpp"

#include "json_access.hpp"

namespace rembuk::model {

namespace json = boost::json;
namespace ja = json_access;

json::object to_json(const Gap& gap) {
  return json::object{{"gapId", gap.id},
                      {"axis", gap.axis},
                      {"current", gap.current},
                      {"expected", gap.expected},
                      {"action", ja::opt_string_value(gap.action)}};
}

Gap gap_from_json(const json::object& o) {
  return Gap{ja::str(o, "gapId"), ja::str(o, "axis"), ja::str(o, "current"),
             ja::str(o, "expected"), ja::str(o, "action")};
}

json::object to_json(const Strategy& strategy) {
  return json::object{
      {"strategyId", strategy.id}, {"dimension", strategy.dimension}, {"text", strategy.text}};
}

Strategy strategy_from_json(const json::object& o) {
  return Strategy{ja::str(o, "strategyId"), ja::str(o, "dimension"), ja::str(o, "text")};
}

json::object to_json(const CommitmentLetter& letter) {
  return json::object{{"letterId", letter.id},
                      {"signatory", letter.signatory},
                      {"opdId", ja::opt_string_value(letter.opd_id)},
                      {"signatoryName", letter.signatory_name},
                      {"date", letter.date},
                      {"letterNumber", letter.letter_number}};
}

CommitmentLetter commitment_letter_from_json(const json::object& o) {
  return CommitmentLetter{ja::str(o, "letterId"),      ja::str(o, "signatory"),
                          ja::str(o, "opdId"),         ja::str(o, "signatoryName"),
                          ja::str(o, "date"),          ja::str(o, "letterNumber")};
}

json::value to_json(const std::optional<Presentation>& presentation) {
  if (!presentation) return nullptr;
  return json::object{{"date", presentation->date},
                      {"evaluators", ja::to_array(presentation->evaluators)},
                      {"notes", presentation->notes},
                      {"outcome", presentation->outcome}};
}

std::optional<Presentation> presentation_from_json(const json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  return Presentation{ja::str(o, "date"), ja::strings(o, "evaluators"), ja::str(o, "notes"),
                      ja::str(o, "outcome")};
}

json::value to_json(const std::optional<QuickWinProfile>& profile) {
  if (!profile) return nullptr;
  return json::object{{"objective", profile->objective},
                      {"location", profile->location},
                      {"beneficiaries", profile->beneficiaries},
                      {"timeline", profile->timeline}};
}

std::optional<QuickWinProfile> quick_win_profile_from_json(const json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  return QuickWinProfile{ja::str(o, "objective"), ja::str(o, "location"),
                         ja::str(o, "beneficiaries"), ja::str(o, "timeline")};
}

json::value to_json(const std::optional<Mou>& mou) {
  if (!mou) return nullptr;
  return json::object{
      {"date", mou->date}, {"signedBy", mou->signed_by}, {"notes", mou->notes}};
}

std::optional<Mou> mou_from_json(const json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  return Mou{ja::str(o, "date"), ja::str(o, "signedBy"), ja::str(o, "notes")};
}

json::object to_json(const BimtekStage& stage) {
  return json::object{
      {"stage", stage.number},
      {"scheduledDate", ja::opt_string_value(stage.scheduled_date)},
      {"heldDate", ja::opt_string_value(stage.held_date)},
      {"place", ja::opt_string_value(stage.place)},
      {"onlineLink", ja::opt_string_value(stage.online_link)},
      {"experts", ja::to_array(stage.experts)},
      {"members", ja::to_array({stage.members_present.begin(), stage.members_present.end()})},
      {"opds", ja::to_array({stage.opds_present.begin(), stage.opds_present.end()})},
      {"notes", stage.notes},
      {"closed", stage.closed}};
}

BimtekStage bimtek_stage_from_json(const json::object& o) {
  BimtekStage stage;
  stage.number = static_cast<int>(ja::opt_int(o, "stage").value_or(0));
  stage.scheduled_date = ja::str(o, "scheduledDate");
  stage.held_date = ja::str(o, "heldDate");
  stage.place = ja::str(o, "place");
  stage.online_link = ja::str(o, "onlineLink");
  stage.experts = ja::strings(o, "experts");
  for (auto& m : ja::strings(o, "members")) stage.members_present.insert(std::move(m));
  for (auto& m : ja::strings(o, "opds")) stage.opds_present.insert(std::move(m));
  stage.notes = ja::str(o, "notes");
  stage.closed = ja::boolean(o, "closed", false);
  return stage;
}

json::value bimtek_to_json(const MasterplanState& state) {
  bool any = state.mou.has_value() || !state.gaps.empty() || !state.strategies.empty() ||
             !state.commitment_letters.empty() || state.presentation.has_value();
  for (const auto& stage : state.bimtek) any = any || !stage.empty();
  if (!any) return nullptr;
  json::array stages;
  for (const auto& stage : state.bimtek) stages.push_back(to_json(stage));
  json::array gaps;
  for (const auto& [id, gap] : state.gaps) gaps.push_back(to_json(gap));
  json::array strategies;
  for (const auto& [id, strategy] : state.strategies) strategies.push_back(to_json(strategy));
  json::array letters;
  for (const auto& [id, letter] : state.commitment_letters) letters.push_back(to_json(letter));
  return json::object{{"mou", to_json(state.mou)},
                      {"stages", std::move(stages)},
                      {"gaps", std::move(gaps)},
                      {"strategies", std::move(strategies)},
                      {"commitmentLetters", std::move(letters)},
                      {"presentation", to_json(state.presentation)}};
}

void bimtek_from_json(const json::value& value, MasterplanState& state) {
  if (!value.is_object()) return;
  const auto& o = value.get_object();
  auto each = [&](std::string_view key, auto&& fn) {
    const auto* array = o.if_contains(key);
    if (array == nullptr || !array->is_array()) return;
    for (const auto& item : array->get_array()) {
      if (item.is_object()) fn(item.get_object());
    }
  };
  if (const auto* mou = o.if_contains("mou")) state.mou = mou_from_json(*mou);
  each("stages", [&](const json::object& item) {
    BimtekStage stage = bimtek_stage_from_json(item);
    if (stage.number >= 1 && stage.number <= 4) {
      state.bimtek[static_cast<std::size_t>(stage.number - 1)] = std::move(stage);
    }
  });
  each("gaps", [&](const json::object& item) {
    Gap gap = gap_from_json(item);
    state.gaps[gap.id] = std::move(gap);
  });
  each("strategies", [&](const json::object& item) {
    Strategy strategy = strategy_from_json(item);
    state.strategies[strategy.id] = std::move(strategy);
  });
  each("commitmentLetters", [&](const json::object& item) {
    CommitmentLetter letter = commitment_letter_from_json(item);
    state.commitment_letters[letter.id] = std::move(letter);
  });
  if (const auto* p = o.if_contains("presentation")) state.presentation = presentation_from_json(*p);
}

void add_program_bimtek(const Program& program, json::object& object) {
  if (!program.missions.empty()) {
    object["missions"] = ja::to_array({program.missions.begin(), program.missions.end()});
  }
  if (!program.rpjmd_program.empty()) object["rpjmdProgram"] = program.rpjmd_program;
  if (!program.renstra.empty()) object["renstra"] = program.renstra;
  if (program.quick_win_profile) object["quickWinProfile"] = to_json(program.quick_win_profile);
}

void read_program_bimtek(const json::object& object, Program& program) {
  for (auto& id : ja::strings(object, "missions")) program.missions.insert(std::move(id));
  program.rpjmd_program = ja::str(object, "rpjmdProgram");
  program.renstra = ja::str(object, "renstra");
  if (const auto* p = object.if_contains("quickWinProfile")) {
    program.quick_win_profile = quick_win_profile_from_json(*p);
  }
}

}  // namespace rembuk::model
