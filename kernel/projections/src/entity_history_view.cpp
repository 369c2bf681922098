// The entity history: every change to one entity, with actor, time, before and after. It
// folds the whole stream, so before/after are exactly what the state held, whatever the
// event (including Undo's compensations and whole-program removal and restoration).
#include <boost/json.hpp>

#include "rembuk/model/apply.hpp"
#include "rembuk/projections/fold.hpp"
#include "rembuk/projections/time_format.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

ProjectionResult<json::value> entity_history_view(std::span<const store::RecordedEvent> events,
                                                  std::string_view entity,
                                                  std::string_view actor) {
  if (entity.empty()) {
    return fail(Error{ErrorCode::invalid_argument, "history needs an entity, e.g. program/<id>"});
  }
  model::MasterplanState state =
      empty_state(events.empty() ? std::string_view() : std::string_view(events.front().stream));
  json::array changes;
  for (const auto& event : events) {
    if (event.revision != state.version + 1) {
      return fail(Error{ErrorCode::corrupt, "history needs the stream from revision 1 without gaps"});
    }
    json::monotonic_resource arena;
    auto record = to_event_record(event, &arena);
    if (!record) return fail(std::move(record).error());
    std::string ref = entity_of(record->type, record->payload);
    const bool wanted =
        entity_matches(ref, entity) && (actor.empty() || event.actor == actor);
    std::optional<json::value> before;
    if (wanted) before = entity_json(state, entity);
    model::apply_in_place(state, *record);
    if (!wanted) continue;
    std::optional<json::value> after = entity_json(state, entity);
    changes.push_back(json::object{{"version", event.revision},
                                   {"time", format_iso8601(event.time_us)},
                                   {"timeUs", event.time_us},
                                   {"actor", event.actor},
                                   {"commandId", event.command_id},
                                   {"type", event.type},
                                   {"entity", std::move(ref)},
                                   {"before", before ? std::move(*before) : json::value()},
                                   {"after", after ? std::move(*after) : json::value()}});
  }
  json::object view;
  view["masterplan"] = state.id;
  view["version"] = state.version;
  view["entity"] = entity;
  view["changes"] = std::move(changes);
  return json::value(std::move(view));
}

}  // namespace rembuk::projections
