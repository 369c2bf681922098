// The activity view: who did what and when, newest first.
#include <boost/json.hpp>

#include "rembuk/projections/fold.hpp"
#include "rembuk/projections/time_format.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

ProjectionResult<json::value> activity_view(std::span<const store::RecordedEvent> events,
                                            const ActivityFilter& filter) {
  json::array entries;
  json::monotonic_resource arena;
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (filter.limit != 0 && entries.size() >= filter.limit) break;
    if (!filter.actor.empty() && it->actor != filter.actor) continue;
    auto record = to_event_record(*it, &arena);
    if (!record) return fail(std::move(record).error());
    std::string entity = entity_of(record->type, record->payload);
    if (!entity_matches(entity, filter.entity)) continue;
    entries.push_back(json::object{{"version", it->revision},
                                   {"position", it->position},
                                   {"time", format_iso8601(it->time_us)},
                                   {"timeUs", it->time_us},
                                   {"actor", it->actor},
                                   {"commandId", it->command_id},
                                   {"type", it->type},
                                   {"entity", std::move(entity)}});
  }
  json::object view;
  view["masterplan"] = events.empty() ? json::value() : json::value(events.front().stream);
  view["version"] = events.empty() ? 0 : events.back().revision;
  view["filter"] = json::object{{"actor", filter.actor.empty() ? json::value() : json::value(filter.actor)},
                                {"entity", filter.entity.empty() ? json::value() : json::value(filter.entity)}};
  view["entries"] = std::move(entries);
  return json::value(std::move(view));
}

}  // namespace rembuk::projections
