// Upcasting: events are stored at the schema version current when they were written and
// read at the current version. Each upcaster turns version N of one event type into N+1;
// `upcast` chains them.
//
// Example (tested): IndicatorAdded v1 had `"baseline": <number>`;
// v2 has `"baseline": {"value": <number>, "year": null}` (or null). ReadinessEntryAdded and
// ReadinessEntryRemoved v1 had no SWOT quadrant; v2 has `"swot": <quadrant> | null`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rembuk/common/result.hpp"
#include "rembuk/model/event.hpp"

namespace rembuk::model {

// The schema version `decide` writes for an event type (1 for unknown types).
std::uint32_t current_schema_version(std::string_view type);

// Brings `event` to its current schema version in place. An error (never thrown) says
// why a stored payload cannot be read, e.g. a version newer than this build knows.
Result<Unit, std::string> upcast(EventRecord& event);

}  // namespace rembuk::model
