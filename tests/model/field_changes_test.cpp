// FieldChanges against a plain map of strings (what it replaced), over seeded random keys,
// and through a snapshot's canonical JSON and back.
#include "rembuk/model/field_changes.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {
namespace {

struct Expected {
  Version version = 0;
  std::string actor;
  std::string leaf;
};
using Reference = std::map<std::string, Expected>;

void expect_same(const FieldChanges& changes, const Reference& reference) {
  ASSERT_EQ(changes.size(), reference.size());
  auto rows = changes.in_key_order();
  auto it = reference.begin();
  for (const auto& [key, change] : rows) {
    ASSERT_EQ(key, it->first);
    EXPECT_EQ(change.version, it->second.version) << key;
    EXPECT_EQ(change.actor, it->second.actor) << key;
    EXPECT_EQ(change.key, it->second.leaf) << key;
    auto found = changes.find(key);
    ASSERT_TRUE(found.has_value()) << key;
    EXPECT_EQ(found->version, it->second.version) << key;
    EXPECT_EQ(found->key, it->second.leaf) << key;
    ++it;
  }
}

TEST(FieldChanges, FindsWhatWasRecordedAndNothingElse) {
  FieldChanges changes;
  EXPECT_TRUE(changes.empty());
  EXPECT_FALSE(changes.find("").has_value());
  changes.record("program/p1/title", 3, "u-ani", "program/p1/title");
  changes.record("program/p1", 3, "u-ani", "program/p1/title");
  changes.record("", 3, "u-ani", "program/p1/title");
  changes.record("program/p1", 5, "u-budi", "program/p1/description");
  EXPECT_EQ(changes.size(), 3u);
  auto ancestor = changes.find("program/p1");
  ASSERT_TRUE(ancestor.has_value());
  EXPECT_EQ(ancestor->version, 5u);
  EXPECT_EQ(ancestor->actor, "u-budi");
  EXPECT_EQ(ancestor->key, "program/p1/description");
  auto root = changes.find("");
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->actor, "u-ani");
  EXPECT_EQ(root->key, "program/p1/title");
  EXPECT_FALSE(changes.find("program").has_value());
  EXPECT_FALSE(changes.find("program/p1/titl").has_value());
}

TEST(FieldChanges, AnEmptyLeafStaysEmpty) {
  // Snapshots of older builds may name no leaf: conflict_violation then names the key touched.
  FieldChanges changes;
  changes.record("masterplan/vision", 1, "u-ani", "");
  auto found = changes.find("masterplan/vision");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->key.empty());
}

TEST(FieldChanges, MatchesAMapOfStringsOverRandomHistories) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 random(seed);
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    FieldChanges changes;
    Reference reference;
    for (Version version = 1; version <= 3000; ++version) {
      // Keys one to four levels deep over a few hundred entities and fields.
      std::string key = pick(2) == 0 ? "program" : "comment";
      for (int depth = pick(4); depth >= 0; --depth) key += "/f" + std::to_string(pick(40));
      const std::string actor = "u-" + std::to_string(pick(12));
      // Leaves first, then "" and the ancestors, as record_changes does; now and then the
      // other order, which must give the same answers.
      const bool leaf_first = pick(8) != 0;
      auto record = [&](std::string_view at) {
        changes.record(at, version, actor, key);
        reference[std::string(at)] = Expected{version, actor, key};
      };
      if (leaf_first) record(key);
      record("");
      for (auto slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1)) {
        record(std::string_view(key).substr(0, slash));
      }
      if (!leaf_first) record(key);
    }
    expect_same(changes, reference);
    FieldChanges copy = changes;
    expect_same(copy, reference);
    EXPECT_TRUE(copy == changes);
    copy.record("program", 9999, "u-0", "program");
    EXPECT_FALSE(copy == changes);
    expect_same(changes, reference);
  }
}

TEST(FieldChanges, SurviveASnapshotByteForByte) {
  MasterplanState state;
  state.id = "kota-bench";
  state.exists = true;
  state.version = 500;
  std::mt19937 random(7);
  for (Version version = 1; version <= 500; ++version) {
    std::string key = "program/p" + std::to_string(random() % 30) + "/indicator/i" +
                      std::to_string(random() % 5);
    const std::string actor = "u-" + std::to_string(random() % 4);
    state.subtree_changes.record(key, version, actor, key);
    state.subtree_changes.record("", version, actor, key);
    state.subtree_changes.record("program", version, actor, key);
    if (version % 7 == 0) state.structural_changes.record(key, version, actor, key);
  }
  const std::string bytes = canonical_json(state);
  auto loaded = state_from_json(bytes);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_TRUE(loaded.value().subtree_changes == state.subtree_changes);
  EXPECT_TRUE(loaded.value().structural_changes == state.structural_changes);
  EXPECT_EQ(canonical_json(loaded.value()), bytes);
}

}  // namespace
}  // namespace rembuk::model
