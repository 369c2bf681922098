// Every command of the catalogue has a schema, and every schema compiles.
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace rembuk::model::testing {
namespace {

TEST(SchemaRegistry, EveryCommandTypeHasASchema) {
  const auto& registry = SchemaRegistry::builtin();
  for (const auto& type : command_types()) EXPECT_TRUE(registry.has_command(type)) << type;
  EXPECT_EQ(command_types().size(), 65u);  // 46 + the Bimtek track's 19
  EXPECT_GE(registry.files().size(), 65u + 72u);
}

TEST(SchemaRegistry, ViolationsCarryJsonPointers) {
  const auto& registry = SchemaRegistry::builtin();
  auto violations = registry.check_command(
      "AddProgram", json::parse(R"({"type":"AddProgram","programId":"p1","title":"","dimension":"x","element":"y","leadOpd":"z","startYear":"2020","endYear":2021})"));
  ASSERT_FALSE(violations.empty());
  bool title = false;
  bool start = false;
  for (const auto& v : violations) {
    EXPECT_EQ(v.code, "schema");
    title = title || v.path == "/command/title";
    start = start || v.path == "/command/startYear";
  }
  EXPECT_TRUE(title);
  EXPECT_TRUE(start);
  EXPECT_TRUE(registry.check_command("SubmitMasterplan", json::parse(R"({"type":"SubmitMasterplan"})")).empty());
}

}  // namespace
}  // namespace rembuk::model::testing
