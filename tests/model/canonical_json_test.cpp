// Determinism: folding the Padang example twice gives byte-identical canonical JSON, and a
// snapshot (canonical JSON with bookkeeping) restores the same state.
#include <gtest/gtest.h>

#include <sstream>

#include "fixture.hpp"

namespace rembuk::model::testing {
namespace {

// Runs every envelope of examples/masterplans/padang-2019.jsonl; returns the masterplan.
Masterplan fold_padang() {
  Masterplan m("padang-2019");
  std::istringstream lines(read_file(std::string(REMBUK_SOURCE_DIR) +
                                     "/examples/masterplans/padang-2019.jsonl"));
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    auto envelope = json::parse(line).as_object();
    auto actor = decode_actor(envelope.at("actor"));
    EXPECT_TRUE(actor.ok()) << line;
    if (!actor) continue;
    std::optional<Version> base;
    if (const auto* b = envelope.if_contains("baseVersion")) base = b->to_number<Version>();
    auto decision = m.run(envelope.at("command").as_object(), actor.value(), base, nullptr,
                          std::string(envelope.at("commandId").as_string()));
    EXPECT_TRUE(decision.ok()) << line << "\n  → " << Masterplan::describe(decision);
    ++count;
  }
  EXPECT_GT(count, 100);
  return m;
}

TEST(CanonicalJson, FoldingPadangTwiceIsByteIdentical) {
  Masterplan first = fold_padang();
  Masterplan second = fold_padang();
  EXPECT_EQ(canonical_json(first.state()), canonical_json(second.state()));
  EXPECT_EQ(canonical_json(first.state(), Bookkeeping::omit),
            canonical_json(second.state(), Bookkeeping::omit));
  // Folding the recorded events alone (no decide) gives the same state again.
  MasterplanState replayed;
  replayed.id = "padang-2019";
  for (const auto& event : first.log()) apply_in_place(replayed, event);
  EXPECT_EQ(canonical_json(replayed), canonical_json(first.state()));
  EXPECT_EQ(first.state().status, Status::submitted);
}

TEST(CanonicalJson, PadangCoversAllSixDimensionsAndQuickWins) {
  Masterplan m = fold_padang();
  std::set<std::string> dimensions;
  int quick_wins = 0;
  for (const auto& [id, p] : m.state().programs) {
    dimensions.insert(p.dimension);
    quick_wins += p.quick_win ? 1 : 0;
    EXPECT_FALSE(p.indicators.empty()) << id;
  }
  EXPECT_EQ(dimensions.size(), 6u);
  EXPECT_GE(quick_wins, 3);
  EXPECT_GE(m.state().opds.size(), 10u);
}

TEST(CanonicalJson, SnapshotRoundTripAndContinue) {
  Masterplan m = fold_padang();
  const auto& log = m.log();
  const std::size_t half = log.size() / 2;
  MasterplanState partial;
  partial.id = "padang-2019";
  for (std::size_t i = 0; i < half; ++i) apply_in_place(partial, log[i]);
  auto restored = state_from_json(canonical_json(partial));
  ASSERT_TRUE(restored) << restored.error();
  EXPECT_EQ(canonical_json(restored.value()), canonical_json(partial));
  MasterplanState continued = std::move(restored.value());
  for (std::size_t i = half; i < log.size(); ++i) apply_in_place(continued, log[i]);
  EXPECT_EQ(canonical_json(continued), canonical_json(m.state()));
}

TEST(CanonicalJson, MalformedSnapshotsAreErrors) {
  EXPECT_FALSE(state_from_json("not json"));
  EXPECT_FALSE(state_from_json("[]"));
  EXPECT_FALSE(state_from_json(R"({"version":-1})"));
  EXPECT_FALSE(state_from_json(R"({"version":3,"status":"draft"})"));
}

}  // namespace
}  // namespace rembuk::model::testing
