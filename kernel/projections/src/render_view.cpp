// render_view: the one entry of the server and the CLI into the views.
#include <boost/json.hpp>

#include "rembuk/projections/fold.hpp"
#include "rembuk/projections/time_travel.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::projections {

namespace json = boost::json;

namespace {

constexpr std::size_t read_batch = 4096;

ProjectionResult<std::vector<store::RecordedEvent>> read_events(store::EventLog& log,
                                                                std::string_view masterplan,
                                                                model::Version to_version) {
  std::vector<store::RecordedEvent> events;
  while (events.size() < to_version) {
    const std::size_t want = std::min<std::uint64_t>(read_batch, to_version - events.size());
    auto batch = log.read_stream(masterplan, events.size() + 1, want);
    if (!batch) return fail(Error{ErrorCode::storage_error, batch.error().message});
    if (batch->empty()) break;
    for (auto& event : *batch) events.push_back(std::move(event));
  }
  return events;
}

// The version the request asks for (the last one when it names none).
ProjectionResult<model::Version> requested_version(store::EventLog& log,
                                                   std::string_view masterplan,
                                                   const ViewRequest& request) {
  auto info = log.stream_info(masterplan);
  if (!info) return fail(Error{ErrorCode::storage_error, info.error().message});
  if (!info->has_value()) {
    return fail(Error{ErrorCode::not_found, "no masterplan " + std::string(masterplan)});
  }
  const model::Version last = (*info)->revision;
  if (request.at) {
    if (*request.at == 0 || *request.at > last) {
      return fail(Error{ErrorCode::not_found, std::string(masterplan) + " has versions 1.." +
                                                  std::to_string(last) + ", not " +
                                                  std::to_string(*request.at)});
    }
    return *request.at;
  }
  if (request.at_time_us) {
    auto version = version_at_time(log, masterplan, *request.at_time_us);
    if (!version) return fail(std::move(version).error());
    if (!version->has_value()) {
      return fail(Error{ErrorCode::not_found,
                        std::string(masterplan) + " has no version at or before that time"});
    }
    return **version;
  }
  return last;
}

}  // namespace

std::string_view to_string(View view) {
  switch (view) {
    case View::document: return "document";
    case View::roadmap: return "roadmap";
    case View::opds: return "opds";
    case View::budget: return "budget";
    case View::coverage: return "coverage";
    case View::activity: return "activity";
    case View::history: return "history";
  }
  return "unknown";
}

std::optional<View> view_from_string(std::string_view name) {
  for (View view : {View::document, View::roadmap, View::opds, View::budget, View::coverage,
                    View::activity, View::history}) {
    if (to_string(view) == name) return view;
  }
  return std::nullopt;
}

json::value render_state_view(View view, const model::MasterplanState& state,
                              const ViewContext& context) {
  switch (view) {
    case View::document: return document_view(state, context);
    case View::roadmap: return roadmap_view(state, context);
    case View::opds: return opd_matrix_view(state, context);
    case View::budget: return budget_view(state, context);
    case View::coverage: return coverage_view(state, context);
    case View::activity:
    case View::history: break;
  }
  std::abort();  // REQUIRES violated: an event view has no state form
}

ProjectionResult<json::value> render_view(store::EventLog& log, std::string_view masterplan,
                                          std::string_view view_name,
                                          const ViewRequest& request) {
  auto view = view_from_string(view_name);
  if (!view) {
    return fail(Error{ErrorCode::invalid_argument,
                      "unknown view '" + std::string(view_name) +
                          "' (document, roadmap, opds, budget, coverage, activity, history)"});
  }
  if (request.at && request.at_time_us) {
    return fail(Error{ErrorCode::invalid_argument, "give a version or a time, not both"});
  }
  if (*view == View::history && request.filter.entity.empty()) {
    return fail(Error{ErrorCode::invalid_argument, "history needs an entity, e.g. program/<id>"});
  }
  auto version = requested_version(log, masterplan, request);
  if (!version) return fail(std::move(version).error());
  if (*view == View::activity || *view == View::history) {
    auto events = read_events(log, masterplan, *version);
    if (!events) return fail(std::move(events).error());
    if (*view == View::activity) return activity_view(*events, request.filter);
    return entity_history_view(*events, request.filter.entity, request.filter.actor);
  }
  auto state = state_at(log, masterplan, *version);
  if (!state) return fail(std::move(state).error());
  return render_state_view(*view, *state, request.context);
}

}  // namespace rembuk::projections
