// A stored event as the model folds it: the payload parsed (an unparsable one folds as an
// empty object, as model::apply treats a malformed payload) and upcast to its current schema
// version. The error names the revision.
#pragma once

#include <string>

#include <boost/json/parse.hpp>

#include "rembuk/common/result.hpp"
#include "rembuk/model/event.hpp"
#include "rembuk/model/upcaster.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::server {

inline Result<model::EventRecord, std::string> folded_event(const store::RecordedEvent& recorded) {
  model::EventRecord event;
  event.type = recorded.type;
  event.schema_version = recorded.schema_version;
  event.revision = recorded.revision;
  event.actor = recorded.actor;
  event.command_id = recorded.command_id;
  event.time_us = recorded.time_us;
  boost::system::error_code ec;
  auto payload = boost::json::parse(recorded.payload, ec);
  if (!ec && payload.is_object()) event.payload = std::move(payload.as_object());
  if (auto up = model::upcast(event); !up) {
    return fail("event " + std::to_string(recorded.revision) + ": " + up.error());
  }
  return event;
}

}  // namespace rembuk::server
