// Blame of a narrative field: its text now (or at a version) as runs of characters, each with
// the author and the version that wrote it (`rembuk history --entity … --field … --blame`).
//
// Folds the masterplan's stream from the first event: a TextEdited of the field attributes
// what it inserts to its author; any other change of the field (its whole value set, its
// entity added) attributes the whole new text to that change.
//
// Thread safety: a free function; the EventLog must be safe for concurrent reads (it is).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "rembuk/model/text/blame.hpp"
#include "rembuk/projections/errors.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::projections {

struct TextBlame {
  std::string field;
  std::uint64_t version = 0;  // the masterplan version the text is at
  std::vector<model::text::AttributedRun> runs;
};

// `not_found` when the masterplan does not exist or `field` is not a narrative field of it
// at `to_version` (0: now); `invalid_argument` for a key that is no narrative field's.
ProjectionResult<TextBlame> blame_text(store::EventLog& log, std::string_view masterplan,
                                       std::string_view field, std::uint64_t to_version = 0);

// {"field", "version", "text", "runs": [{"text", "author", "version"}]}.
boost::json::object to_json(const TextBlame& blame);

// One line per run: version, author, the run's text quoted (newlines as \n).
std::string render_text(const TextBlame& blame);

}  // namespace rembuk::projections
