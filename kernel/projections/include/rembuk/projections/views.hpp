// The read models of a masterplan. Each view is a pure function: of a MasterplanState
// (document, roadmap, opds, budget, coverage) or of the stream's recorded events (activity,
// history). Each returns a Boost.JSON value whose keys and arrays are in a stable order, so
// the same input always gives the same bytes (json::serialize). The JSON forms are described
// in docs/projections.md.
//
// `render_view` is the one entry the HTTP server and the CLI use: it reads the log (current
// state, or at a version / a moment: snapshot + events) and renders the named view.
//
// Thread safety: all functions only read their arguments; call them from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "rembuk/model/extensions.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/projections/errors.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::projections {

enum class View { document, roadmap, opds, budget, coverage, activity, history };

// "document", "roadmap", "opds", "budget", "coverage", "activity", "history".
std::string_view to_string(View view);
std::optional<View> view_from_string(std::string_view name);

// Views of a state. `extensions` (may be null) names plugin pillars; without it a pillar a
// program uses is listed by its id alone.
struct ViewContext {
  const model::Extensions* extensions = nullptr;
};

// The whole masterplan in the order of a Kominfo masterplan: identity, readiness, strategic
// issues, vision and missions, dimensions and pillars with their programs, quick wins,
// roadmap, budget (then the OPD list, members and plugins as appendices).
boost::json::value document_view(const model::MasterplanState& state, const ViewContext& context);
// Every year of the period: the programs running, by dimension, quick wins marked.
boost::json::value roadmap_view(const model::MasterplanState& state, const ViewContext& context);
// Every OPD: the programs it leads and supports, the budget of the programs it leads per year.
boost::json::value opd_matrix_view(const model::MasterplanState& state,
                                   const ViewContext& context);
// Budget totals per year × source × dimension, with the marginal totals.
boost::json::value budget_view(const model::MasterplanState& state, const ViewContext& context);
// Programs per dimension and element, and what the submission gate (rule 6) still misses.
boost::json::value coverage_view(const model::MasterplanState& state, const ViewContext& context);

// The entity an event is about, as a reference like those of comment targets:
// "masterplan", "mission/<id>", "strategicIssue/<id>", "readiness/<id>", "opd/<id>",
// "program/<id>", "program/<id>/indicator/<id>", "member/<id>", "comment/<id>".
std::string entity_of(std::string_view type, const boost::json::object& payload);

// True when `ref` is `entity` or lies under it ("program/p1/indicator/i1" is under
// "program/p1").
bool entity_matches(std::string_view ref, std::string_view entity);

struct ActivityFilter {
  std::string actor;   // empty: every actor
  std::string entity;  // empty: every entity; else a reference, matched with entity_matches
  std::size_t limit = 0;  // 0: no limit
};

// Who did what and when, newest first. `events` are one stream's events in revision order.
ProjectionResult<boost::json::value> activity_view(std::span<const store::RecordedEvent> events,
                                                   const ActivityFilter& filter);

// Every change to one entity (and what lies under it), oldest first, with actor, time and
// the entity's JSON before and after. `events` are the whole stream from revision 1 (the
// view folds them to know before/after). `actor` (may be empty) narrows the result.
ProjectionResult<boost::json::value> entity_history_view(
    std::span<const store::RecordedEvent> events, std::string_view entity,
    std::string_view actor = {});

// The JSON of one entity in a state (the shapes of the document view), or nullopt when it
// does not exist there.
std::optional<boost::json::value> entity_json(const model::MasterplanState& state,
                                              std::string_view ref);

// A view of a state. REQUIRES: view is one of document, roadmap, opds, budget, coverage.
boost::json::value render_state_view(View view, const model::MasterplanState& state,
                                     const ViewContext& context);

struct ViewRequest {
  std::optional<model::Version> at;        // a past version
  std::optional<std::int64_t> at_time_us;  // or a moment (the last version at or before it)
  ActivityFilter filter;                   // activity and history: actor, entity, limit
  ViewContext context;
};

// Reads `masterplan` from the log as the request says and renders `view_name`.
// not_found: no such masterplan / version / time; invalid_argument: unknown view name, both
// `at` and `at_time_us`, or history without filter.entity.
ProjectionResult<boost::json::value> render_view(store::EventLog& log,
                                                 std::string_view masterplan,
                                                 std::string_view view_name,
                                                 const ViewRequest& request);

}  // namespace rembuk::projections
