// JSON forms of the Bimtek entities, shared by their events and the canonical state.
// Decoders read objects that passed their schema (or a snapshot this build wrote): they
// supply defaults for absent fields and never throw.
#pragma once

#include <optional>

#include <boost/json.hpp>

#include "rembuk/model/state.hpp"

namespace rembuk::model {

boost::json::object to_json(const Gap& gap);
Gap gap_from_json(const boost::json::object& json);

boost::json::object to_json(const Strategy& strategy);
Strategy strategy_from_json(const boost::json::object& json);

boost::json::object to_json(const CommitmentLetter& letter);
CommitmentLetter commitment_letter_from_json(const boost::json::object& json);

boost::json::value to_json(const std::optional<Presentation>& presentation);
std::optional<Presentation> presentation_from_json(const boost::json::value& json);

boost::json::value to_json(const std::optional<QuickWinProfile>& profile);
std::optional<QuickWinProfile> quick_win_profile_from_json(const boost::json::value& json);

boost::json::value to_json(const std::optional<Mou>& mou);
std::optional<Mou> mou_from_json(const boost::json::value& json);

boost::json::object to_json(const BimtekStage& stage);
BimtekStage bimtek_stage_from_json(const boost::json::object& json);

// The "bimtek" member of the canonical state: {"mou", "stages", "gaps", "strategies",
// "commitmentLetters", "presentation"}; null when the masterplan has none of it, so a
// masterplan without a Bimtek track keeps the canonical bytes it had before.
boost::json::value bimtek_to_json(const MasterplanState& state);
void bimtek_from_json(const boost::json::value& json, MasterplanState& state);

// The Bimtek fields of a program, added to its object only when set (same reason).
void add_program_bimtek(const Program& program, boost::json::object& object);
void read_program_bimtek(const boost::json::object& object, Program& program);

}  // namespace rembuk::model
