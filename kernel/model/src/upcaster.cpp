// Upcasters, one per (event type, version) step. See upcaster.hpp.
#include "rembuk/model/upcaster.hpp"

#include <boost/json.hpp>

namespace rembuk::model {

namespace json = boost::json;

std::uint32_t current_schema_version(std::string_view type) {
  if (type == "IndicatorAdded") return 2;
  if (type == "ReadinessEntryAdded" || type == "ReadinessEntryRemoved") return 2;
  return 1;
}

namespace {

// IndicatorAdded v1 → v2: a bare number baseline becomes {"value": n, "year": null}.
Result<Unit, std::string> indicator_added_v1_to_v2(json::object& payload) {
  json::value* baseline = payload.if_contains("baseline");
  if (baseline == nullptr || baseline->is_null()) {
    payload["baseline"] = nullptr;
  } else if (baseline->is_number()) {
    double value = baseline->to_number<double>();
    *baseline = json::object{{"value", value}, {"year", nullptr}};
  } else {
    return fail(std::string("IndicatorAdded v1: baseline is neither a number nor null"));
  }
  return Unit{};
}

// ReadinessEntryAdded/Removed v1 → v2: the entry gains its SWOT quadrant; entries written
// before the Bimtek track were never classified.
Result<Unit, std::string> readiness_entry_v1_to_v2(json::object& payload) {
  if (const auto* swot = payload.if_contains("swot"); swot != nullptr && !swot->is_null()) {
    return fail(std::string("ReadinessEntry v1 already has a swot"));
  }
  payload["swot"] = nullptr;
  return Unit{};
}

}  // namespace

Result<Unit, std::string> upcast(EventRecord& event) {
  const std::uint32_t target = current_schema_version(event.type);
  if (event.schema_version > target) {
    return fail(event.type + " v" + std::to_string(event.schema_version) +
                " is newer than this build reads (v" + std::to_string(target) + ")");
  }
  if (event.schema_version == 0) return fail(event.type + " has schema version 0");
  while (event.schema_version < target) {
    Result<Unit, std::string> step = Unit{};
    if (event.type == "IndicatorAdded" && event.schema_version == 1) {
      step = indicator_added_v1_to_v2(event.payload);
    } else if ((event.type == "ReadinessEntryAdded" || event.type == "ReadinessEntryRemoved") &&
               event.schema_version == 1) {
      step = readiness_entry_v1_to_v2(event.payload);
    } else {
      return fail("no upcaster for " + event.type + " v" + std::to_string(event.schema_version));
    }
    if (!step) return step;
    ++event.schema_version;
  }
  return Unit{};
}

}  // namespace rembuk::model
