// A masterplan's recorded events as CloudEvents 1.0 in the JSON format, one per line
// (docs/audit.md, "cloudevents"):
//   {"specversion":"1.0", "id":"<masterplan>/<version>", "source":"/masterplans/<id, %-encoded>",
//    "type":"rembuk.masterplan.<EventType>", "time":RFC 3339, "subject":<entity reference>,
//    "datacontenttype":"application/json", "data":<the payload object>,
//    "rembukposition", "rembukrevision", "rembukhash", "rembukprevhash", "rembukactor",
//    "rembukcommandid", "rembukschemaversion"}
// The extension values are strings: CloudEvents integers are 32-bit, and positions may
// outgrow them.
#pragma once

#include <span>
#include <string>

#include "rembuk/documents/errors.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::documents::detail {

DocumentResult<std::string> cloudevents_lines(std::span<const store::RecordedEvent> events);

}  // namespace rembuk::documents::detail
