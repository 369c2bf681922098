#include "rembuk/plugins/program_order.hpp"

#include <algorithm>
#include <iterator>

namespace rembuk::plugins {

std::size_t ProgramOrder::index_of(
    const model::MasterplanContent& state,
    std::map<std::string, model::Program>::const_iterator program) const {
  const auto walk = [&] {
    return static_cast<std::size_t>(std::distance(state.programs.begin(), program));
  };
  const std::uint64_t generation = state.program_ids_generation;
  if (generation == 0) return walk();

  std::shared_ptr<const std::vector<std::string>> ids;
  bool second_use = false;
  {
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(kept_.begin(), kept_.end(),
                                 [&](const Kept& k) { return k.generation == generation; });
    if (it == kept_.end()) {
      if (kept_.size() == max_kept) kept_.erase(kept_.begin());
      kept_.push_back(Kept{generation, nullptr});
      return walk();
    }
    std::rotate(it, it + 1, kept_.end());
    ids = kept_.back().ids;
    second_use = ids == nullptr;
  }
  if (second_use) {
    // Sorted outside the lock: other masterplans' lookups do not wait for the copy.
    auto sorted = std::make_shared<std::vector<std::string>>();
    sorted->reserve(state.programs.size());
    for (const auto& entry : state.programs) sorted->push_back(entry.first);
    ids = sorted;
    std::lock_guard lock(mutex_);
    for (auto& k : kept_) {
      if (k.generation == generation) k.ids = ids;
    }
  }
  const auto at = std::lower_bound(ids->begin(), ids->end(), program->first);
  // Equal generations mean equal ids (model/state.hpp); the check catches a state changed
  // outside the model without a new generation only when its size changed.
  if (ids->size() != state.programs.size() || at == ids->end() || *at != program->first) {
    return walk();
  }
  return static_cast<std::size_t>(at - ids->begin());
}

}  // namespace rembuk::plugins
