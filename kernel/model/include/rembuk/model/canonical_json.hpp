// Canonical JSON of a masterplan state: deterministic (same state → same bytes), used for
// determinism tests, snapshots (with bookkeeping) and the read-only view given to plugin
// validators and projections (without bookkeeping).
//
// Grammar (keys always in this order, maps sorted by id, absent optionals as null):
//   {"masterplan", "version", "exists", "cityName", "regionCode", "startYear", "endYear",
//    "rpjmd", "status", "createdBy", "vision", "missions":[…], "strategicIssues":[…],
//    "readiness":[…], "opds":[…], "programs":[…], "members":[…], "comments":[…],
//    "plugins":[…] [, "bimtek": {…}] [, "bookkeeping": {"usedIds", "subtreeChanges", "structuralChanges",
//    "commands"}]}
// Entities use the field names of docs/commands.md. The Bimtek additions ("bimtek", a
// readiness entry's "swot", a program's "missions", "rpjmdProgram", "renstra",
// "quickWinProfile") appear only when set, so a masterplan without them keeps its bytes.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "rembuk/common/result.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

enum class Bookkeeping { omit, include };

boost::json::object to_json(const MasterplanState& state, Bookkeeping bookkeeping);
std::string canonical_json(const MasterplanState& state,
                           Bookkeeping bookkeeping = Bookkeeping::include);

// One program as in ProgramRemoved/ProgramRestored and in the state.
boost::json::object to_json(const Program& program);
// Never throws; an error names the first malformed field.
Result<Program, std::string> program_from_json(const boost::json::value& json);

// Entities as in the state's "opds", "members" and "rpjmd" (plugins read them one at a time).
boost::json::object to_json(const Opd& opd);
boost::json::object to_json(const Member& member);
boost::json::value to_json(const std::optional<Rpjmd>& rpjmd);

// The inverse of canonical_json (with bookkeeping): loads a snapshot. Never throws.
Result<MasterplanState, std::string> state_from_json(std::string_view json_text);

}  // namespace rembuk::model
