// ProgramOrder: where a program stands in the canonical state's "programs", which the plugin
// ABI hands out with every program (plugin.h, find_program's `index`).
//
// The state keeps its programs in a std::map, so the index is a walk from the first program:
// a step per program before it, at 5 MB of state a quarter of a command's decision with a
// plugin that reads the program the command edits. The ids only change when a program is
// added or removed, and then MasterplanContent::program_ids_generation changes, so the order
// is kept per generation (for the 16 most recently used) and an index costs a binary search.
// A generation is sorted on its second use, so a masterplan gaining a program per command
// pays the walk as before and no copy. A state whose generation is 0 (nobody kept count) is
// always walked.
//
// Thread safety: index_of may be called from any number of threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rembuk/model/state.hpp"

namespace rembuk::plugins {

class ProgramOrder {
 public:
  // The index of `program` in `state.programs`. REQUIRES: `program` is an iterator into it.
  std::size_t index_of(const model::MasterplanContent& state,
                       std::map<std::string, model::Program>::const_iterator program) const;

 private:
  struct Kept {
    std::uint64_t generation = 0;
    std::shared_ptr<const std::vector<std::string>> ids;  // sorted; null until its second use
  };
  static constexpr std::size_t max_kept = 16;
  mutable std::mutex mutex_;
  mutable std::vector<Kept> kept_;  // GUARDED_BY(mutex_); the most recently used last
};

}  // namespace rembuk::plugins
