// The two halves of a state's canonical JSON, shared by canonical_json.cpp and the snapshot
// codec: the content (what views show) and the bookkeeping (what decide needs).
// Decoders never throw; an error names the first malformed field.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "rembuk/common/result.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

// {"usedIds", "subtreeChanges", "structuralChanges", "commands"}, maps sorted by key.
boost::json::object bookkeeping_to_json(const MasterplanState& state);

// Fills the content fields of `state` from a canonical object (a "bookkeeping" member, if
// any, is ignored).
Result<Unit, std::string> content_from_json(const boost::json::object& object,
                                            MasterplanState& state);

// Fills the bookkeeping of `state` from the object bookkeeping_to_json made.
Result<Unit, std::string> bookkeeping_from_json(const boost::json::object& books,
                                                MasterplanState& state);

}  // namespace rembuk::model
