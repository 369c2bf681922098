// Events as the model sees them: a type, a schema version and a JSON payload object.
//
// `NewEvent` is what `decide` produces; `EventRecord` is an event as read back from the
// log (with the revision it got, who caused it and the command that produced it), which
// is what `apply` folds. The store's record header carries type, schema version, actor and
// command id, so the payload does not repeat them (docs/commands.md).
#pragma once

#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include "rembuk/model/state.hpp"

namespace rembuk::model {

struct NewEvent {
  std::string type;
  std::uint32_t schema_version = 1;
  boost::json::object payload;
};

struct EventRecord {
  std::string type;
  std::uint32_t schema_version = 1;
  boost::json::object payload;
  Version revision = 0;  // stream revision
  std::string actor;     // user id
  std::string command_id;
  std::int64_t time_us = 0;
};

}  // namespace rembuk::model
