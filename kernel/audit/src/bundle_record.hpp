// One record line of a bundle (docs/audit.md, "Bundle format"): a stored event as a JSON
// object with its hashes in lower-case hex.
//   {"kind", "position", "stream", "revision", "type", "schemaVersion", "timeUs", "actor",
//    "commandId", "payload" (the stored JSON text, as a string), "prevHash", "hash"}
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "rembuk/store/event_log.hpp"

namespace rembuk::audit::detail {

boost::json::object record_to_json(std::string_view kind, const store::RecordedEvent& event);

// nullopt with `why` naming the field that is missing or malformed.
std::optional<store::RecordedEvent> record_from_json(const boost::json::object& line,
                                                     std::string* why);

}  // namespace rembuk::audit::detail
