// ProgramOrder: a program's index in "programs" kept per generation of the state's program
// ids, checked against the walk it replaces on states changed the way the model changes them.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "rembuk/model/apply.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/plugins/program_order.hpp"
#include "rembuk/plugins/state_source.hpp"

namespace rembuk::plugins {
namespace {

namespace json = boost::json;

model::EventRecord event(std::string type, json::object payload) {
  return model::EventRecord{std::move(type), 1, std::move(payload), 0, "u-tim", "c1", 0};
}

json::object program_json(const std::string& id, const std::string& title = "Program") {
  model::Program program;
  program.id = id;
  program.title = title;
  program.dimension = "governance";
  return model::to_json(program);
}

void add(model::MasterplanState& state, const std::string& id) {
  model::apply_in_place(state, event("ProgramAdded", program_json(id)));
}

void remove(model::MasterplanState& state, const std::string& id) {
  model::apply_in_place(state, event("ProgramRemoved", json::object{{"programId", id}}));
}

// Every program's index through `order`, twice (the second use sorts), against the walk.
void expect_walk_order(const ProgramOrder& order, const model::MasterplanState& state) {
  for (int use = 0; use < 2; ++use) {
    std::size_t walked = 0;
    for (auto it = state.programs.begin(); it != state.programs.end(); ++it, ++walked) {
      ASSERT_EQ(order.index_of(state, it), walked) << it->first << ", use " << use;
    }
  }
}

TEST(ProgramOrderTest, AddingOrRemovingAProgramGivesTheIdsANewGeneration) {
  model::MasterplanState state;
  EXPECT_EQ(state.program_ids_generation, 0u);
  add(state, "p-b");
  const auto after_add = state.program_ids_generation;
  EXPECT_NE(after_add, 0u);
  model::apply_in_place(state, event("ProgramUpdated",
                                     json::object{{"programId", "p-b"},
                                                  {"changes", json::object{{"title", "Baru"}}}}));
  EXPECT_EQ(state.programs.at("p-b").title, "Baru");
  EXPECT_EQ(state.program_ids_generation, after_add) << "an update keeps the ids";
  model::apply_in_place(state, event("ProgramAdded", program_json("p-b", "Lagi")));
  EXPECT_EQ(state.program_ids_generation, after_add) << "the same id again keeps the ids";
  remove(state, "p-b");
  const auto after_remove = state.program_ids_generation;
  EXPECT_NE(after_remove, after_add);
  remove(state, "p-b");
  EXPECT_EQ(state.program_ids_generation, after_remove) << "removing nothing keeps the ids";
  model::apply_in_place(state, event("ProgramRestored",
                                     json::object{{"programId", "p-b"},
                                                  {"program", program_json("p-b")}}));
  EXPECT_NE(state.program_ids_generation, after_remove);

  // A state read from JSON (a snapshot) gets a generation no other state has.
  auto decoded = model::state_from_json(model::canonical_json(state, model::Bookkeeping::include));
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_NE(decoded.value().program_ids_generation, 0u);
  EXPECT_NE(decoded.value().program_ids_generation, state.program_ids_generation);
}

TEST(ProgramOrderTest, AnIndexIsTheProgramsPlaceInTheMapAcrossAddsAndRemoves) {
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back("p-" + std::to_string(i * 7919 % 1000));
  std::shuffle(ids.begin(), ids.end(), std::mt19937(42));
  model::MasterplanState state;
  for (const auto& id : ids) add(state, id);
  const ProgramOrder order;
  expect_walk_order(order, state);

  // Each change is a new generation; the order kept for the old one must not answer for it.
  remove(state, ids[10]);
  expect_walk_order(order, state);
  add(state, "p-0000-first");
  add(state, "p-zzz-last");
  expect_walk_order(order, state);

  // A copy (the engine's committed and speculative states) shares the generation and the
  // order; a change to one of them does not reach the other.
  model::MasterplanState copy = state;
  remove(copy, "p-0000-first");
  expect_walk_order(order, state);
  expect_walk_order(order, copy);
}

TEST(ProgramOrderTest, AStateChangedOutsideTheModelIsRightOnceItsGenerationIsRenewed) {
  model::MasterplanState state;
  for (const char* id : {"p-a", "p-c", "p-e"}) add(state, id);
  const ProgramOrder order;
  expect_walk_order(order, state);  // sorted for this generation
  // Changed without an event, as the contract allows only with a new generation.
  state.programs.erase("p-a");
  state.programs.emplace("p-d", state.programs.at("p-c"));
  state.program_ids_generation = model::next_program_ids_generation();
  expect_walk_order(order, state);
  state.programs.erase("p-d");  // one fewer: a kept order of another size is never used
  expect_walk_order(order, state);

  model::MasterplanState by_hand;  // generation 0: nobody kept count
  by_hand.programs.emplace("p-x", model::Program{});
  by_hand.programs.emplace("p-y", model::Program{});
  expect_walk_order(order, by_hand);
}

TEST(ProgramOrderTest, TheStateSourceGivesTheSameIndexWithAndWithoutTheOrder) {
  model::MasterplanState state;
  for (int i = 0; i < 50; ++i) add(state, "p-" + std::to_string(i));
  const ProgramOrder order;
  const ModelStateSource walked(state);
  const ModelStateSource kept(state, &order);
  for (int round = 0; round < 2; ++round) {
    for (const auto& [id, program] : state.programs) {
      const auto a = walked.find_program(id);
      const auto b = kept.find_program(id);
      ASSERT_TRUE(a && b) << id;
      EXPECT_EQ(a->second, b->second) << id;
      EXPECT_EQ(a->first, b->first) << id;
    }
  }
  EXPECT_FALSE(kept.find_program("p-missing"));
}

}  // namespace
}  // namespace rembuk::plugins
