// StateSource: what a validator may read of one masterplan's state, one small JSON text at a
// time (the answers behind plugin.h's rembuk_state_view).
//
// Three sources answer the same questions the same way: the model's state in the server
// (ModelStateSource: lookups by id in the state's ordered maps, O(log n), nothing serialised
// but the entity asked for), a JSON state (JsonStateSource: `rembuk plugin test` cases and
// tests), and, in an isolated plugin's worker process, the host at the other end of the
// socket (plugin_worker.cpp). Texts are the canonical JSON of docs/plugins.md.
//
// Thread safety: a source is read by the one thread running a validator call; the state it
// reads must not change during the call. Functions may throw std::bad_alloc (the view turns
// that into REMBUK_VIEW_ERROR) and, for the remote source, std::runtime_error.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/object.hpp>

#include "rembuk/model/state.hpp"
#include "rembuk/plugins/program_order.hpp"

namespace rembuk::plugins {

class StateSource {
 public:
  virtual ~StateSource() = default;

  // {"masterplan","version","exists","cityName","regionCode","startYear","endYear","rpjmd",
  //  "status","createdBy","vision","plugins"}
  virtual std::string masterplan() const = 0;
  virtual std::size_t program_count() const = 0;
  // The program's JSON and its index in "programs"; nullopt when there is none.
  virtual std::optional<std::pair<std::string, std::size_t>> find_program(
      std::string_view id) const = 0;
  // Calls fn(program JSON, index) in state order (only programs of `dimension` when it is not
  // empty) until fn returns false. Returns false when fn stopped it.
  virtual bool each_program(
      std::string_view dimension,
      const std::function<bool(std::string_view, std::size_t)>& fn) const = 0;
  virtual std::optional<std::string> find_opd(std::string_view id) const = 0;
  virtual std::optional<std::string> find_member(std::string_view user_id) const = 0;
  // A top-level member of the state ("missions", "comments", ...), the whole state for "".
  virtual std::optional<std::string> section(std::string_view name) const = 0;
};

// Over the model's state (the server). A program's index comes from `order` when given
// (ProgramOrder: a binary search), else from a walk of the programs before it.
// REQUIRES: `state` (and `order`) outlive the source, `state` unchanged.
class ModelStateSource final : public StateSource {
 public:
  explicit ModelStateSource(const model::MasterplanState& state,
                            const ProgramOrder* order = nullptr) noexcept
      : state_(state), order_(order) {}
  std::string masterplan() const override;
  std::size_t program_count() const override;
  std::optional<std::pair<std::string, std::size_t>> find_program(
      std::string_view id) const override;
  bool each_program(std::string_view dimension,
                    const std::function<bool(std::string_view, std::size_t)>& fn) const override;
  std::optional<std::string> find_opd(std::string_view id) const override;
  std::optional<std::string> find_member(std::string_view user_id) const override;
  std::optional<std::string> section(std::string_view name) const override;

 private:
  const model::MasterplanState& state_;
  const ProgramOrder* order_;
};

// Over a state in canonical JSON (tolerant: a missing section reads as empty).
// REQUIRES: `state` outlives the source, unchanged.
class JsonStateSource final : public StateSource {
 public:
  explicit JsonStateSource(const boost::json::object& state) noexcept : state_(state) {}
  std::string masterplan() const override;
  std::size_t program_count() const override;
  std::optional<std::pair<std::string, std::size_t>> find_program(
      std::string_view id) const override;
  bool each_program(std::string_view dimension,
                    const std::function<bool(std::string_view, std::size_t)>& fn) const override;
  std::optional<std::string> find_opd(std::string_view id) const override;
  std::optional<std::string> find_member(std::string_view user_id) const override;
  std::optional<std::string> section(std::string_view name) const override;

 private:
  const boost::json::object& state_;
};

}  // namespace rembuk::plugins
