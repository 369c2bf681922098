// Upcasting: a v1 IndicatorAdded, as an older rembuk wrote it, is read as v2.
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace rembuk::model::testing {
namespace {

EventRecord record(std::string type, std::uint32_t version, std::string_view payload) {
  EventRecord event;
  event.type = std::move(type);
  event.schema_version = version;
  event.payload = json::parse(payload).as_object();
  event.revision = 6;
  event.actor = "u-old";
  event.command_id = "c-old";
  return event;
}

TEST(Upcaster, IndicatorAddedV1BaselineNumberBecomesV2Object) {
  EXPECT_EQ(current_schema_version("IndicatorAdded"), 2u);
  EventRecord v1 = record("IndicatorAdded", 1,
                          R"({"programId":"p-gov","indicatorId":"i","name":"Izin daring","unit":"%","baseline":40})");
  // The stored v1 payload matches the v1 schema and not the v2 one.
  EXPECT_TRUE(SchemaRegistry::builtin().check_event("IndicatorAdded", 1, json::value(v1.payload)).empty());
  EXPECT_FALSE(SchemaRegistry::builtin().check_event("IndicatorAdded", 2, json::value(v1.payload)).empty());

  EventRecord event = v1;
  auto result = upcast(event);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(event.schema_version, 2u);
  EXPECT_EQ(json::serialize(event.payload.at("baseline")), R"({"value":4E1,"year":null})");
  EXPECT_TRUE(SchemaRegistry::builtin().check_event("IndicatorAdded", 2, json::value(event.payload)).empty());

  // Folded into a state, the upcast event gives the indicator a {value, year} baseline.
  Masterplan m;
  seed(m);
  MasterplanState state = m.state();
  apply_in_place(state, event);
  const auto& indicator = state.programs.at("p-gov").indicators.at("i");
  ASSERT_TRUE(indicator.baseline.has_value());
  EXPECT_EQ(indicator.baseline->value, 40);
  EXPECT_FALSE(indicator.baseline->year.has_value());
}

TEST(Upcaster, NullBaselineStaysNullAndCurrentEventsAreUntouched) {
  EventRecord event = record("IndicatorAdded", 1,
                             R"({"programId":"p","indicatorId":"i","name":"n","unit":"u","baseline":null})");
  ASSERT_TRUE(upcast(event));
  EXPECT_TRUE(event.payload.at("baseline").is_null());
  EventRecord current = record("VisionSet", 1, R"({"text":"a","previousText":""})");
  ASSERT_TRUE(upcast(current));
  EXPECT_EQ(current.schema_version, 1u);
}

TEST(Upcaster, NewerOrBrokenVersionsAreErrorsNotExceptions) {
  EventRecord future = record("IndicatorAdded", 3, "{}");
  auto r = upcast(future);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("newer"), std::string::npos);
  EventRecord broken = record("IndicatorAdded", 1, R"({"baseline":"forty"})");
  EXPECT_FALSE(upcast(broken));
}

}  // namespace
}  // namespace rembuk::model::testing
