// JSON forms of the entities, shared by events (ProgramRemoved.program,
// IndicatorRemoved.indicator, MemberRemoved.member, …) and the canonical state.
// Decoders never throw; an error names the first malformed field.
#pragma once

#include <string>

#include <boost/json.hpp>

#include "rembuk/common/result.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

boost::json::value to_json(const std::optional<Baseline>& baseline);
Result<std::optional<Baseline>, std::string> baseline_from_json(const boost::json::value& json);

boost::json::object to_json(const Indicator& indicator);
Result<Indicator, std::string> indicator_from_json(const boost::json::value& json);

boost::json::object to_json(const Member& member);
Result<Member, std::string> member_from_json(const boost::json::value& json);

boost::json::value to_json(const std::optional<Rpjmd>& rpjmd);
Result<std::optional<Rpjmd>, std::string> rpjmd_from_json(const boost::json::value& json);

boost::json::object to_json(const ReadinessEntry& entry);
boost::json::object to_json(const Opd& opd);
boost::json::object to_json(const Comment& comment);

}  // namespace rembuk::model
