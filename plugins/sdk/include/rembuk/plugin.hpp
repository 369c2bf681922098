// rembuk/plugin.hpp: the C++ way to write a rembuk plugin (header-only, over plugin.h).
//
// A plugin describes itself with a `Definition` (name, version, city, pillars, validators)
// and exports it with one macro in one small file:
//
//   // entry.cpp
//   #include <rembuk/plugin.hpp>
//   #include "my_rules.hpp"
//   static rembuk::plugin::Definition describe() {
//     return rembuk::plugin::Definition("padang", "1.0.0")
//         .city("13.71", "Kota Padang")
//         .pillar(my::coast_pillar())
//         .validator("coastal_mitigation", {"AddProgram"}, my::check_coastal_mitigation);
//   }
//   REMBUK_PLUGIN(describe)
//
// Validator logic is plain C++ that takes a `const Call&`: it reads the command and state
// (rembuk/plugin_json.hpp) and reports violations. It knows nothing of shared libraries.
//
// Exceptions never cross the boundary: `describe` and every validator run inside try/catch;
// an exception becomes NULL from the entry point (the host refuses the plugin) or
// REMBUK_STATUS_ERROR with the exception's what() as the reason (the host rejects that one
// command with plugin_error).
//
// Ownership: the Definition built by `describe` lives in a function-local static of the
// plugin until the library is unloaded, which is exactly what plugin.h asks of the
// descriptor. Thread safety: validators are called concurrently; a validator function must
// not mutate shared state (a pure function of its Call is the intended shape).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rembuk/plugin.h"
#include "rembuk/plugin_json.hpp"

namespace rembuk::plugin {

struct Element {
  std::string id;
  std::string name_id;  // Indonesian
  std::string name_en;  // English
};

struct Pillar {
  std::string id;
  std::string name_id;
  std::string name_en;
  std::string description;
  std::vector<Element> elements;
};

// One validator call: the command, the state and the way to report violations.
// Valid only during the call; do not keep references to it or to what it returns.
class Call {
 public:
  // REQUIRES: `sink` may be null only in tests that never report.
  Call(std::string_view command_json, std::string_view state_json, const rembuk_host_sink* sink)
      : command_(json::parse(command_json)), state_json_(state_json), sink_(sink) {}

  const json::Value& command() const noexcept { return command_; }
  // The command's "type" ("AddProgram", ...).
  std::string_view command_type() const noexcept { return command_["type"].string_or(); }
  // The masterplan state before the command; parsed on first use (many validators need only
  // the command).
  const json::Value& state() const {
    if (!state_) state_ = json::parse(state_json_);
    return *state_;
  }

  // Reports one violation. `code` is "<plugin>.<rule>"; `path` a JSON pointer such as
  // "/command/indicators" (or ""); the messages are for people.
  void report(std::string_view code, std::string_view path, std::string_view message_id,
              std::string_view message_en) const {
    ++reported_;
    if (sink_ == nullptr || sink_->report == nullptr) return;
    const std::string c(code), p(path), mi(message_id), me(message_en);
    sink_->report(sink_->ctx, c.c_str(), p.c_str(), mi.c_str(), me.c_str());
  }
  std::size_t reported() const noexcept { return reported_; }

 private:
  json::Value command_;
  std::string_view state_json_;
  mutable std::optional<json::Value> state_;
  const rembuk_host_sink* sink_;
  mutable std::size_t reported_ = 0;
};

using ValidateFn = std::function<void(const Call&)>;

// What a plugin is. Build it in `describe()`; the REMBUK_PLUGIN macro keeps it alive and
// exposes it through plugin.h. Not copyable once exported (the C view points into it).
class Definition {
 public:
  Definition(std::string name, std::string version)
      : name_(std::move(name)), version_(std::move(version)) {}

  Definition& city(std::string region_code, std::string region_name) {
    region_code_ = std::move(region_code);
    region_name_ = std::move(region_name);
    return *this;
  }
  Definition& description(std::string text) {
    description_ = std::move(text);
    return *this;
  }
  Definition& pillar(Pillar p) {
    pillars_.push_back(std::move(p));
    return *this;
  }
  Definition& validator(std::string name, std::vector<std::string> command_types,
                        ValidateFn fn) {
    validators_.push_back(ValidatorEntry{std::move(name), std::move(command_types), std::move(fn)});
    return *this;
  }

  const std::string& name() const noexcept { return name_; }

 private:
  friend class Exported;
  struct ValidatorEntry {
    std::string name;
    std::vector<std::string> command_types;
    ValidateFn fn;
  };

  std::string name_, version_, region_code_, region_name_, description_;
  std::vector<Pillar> pillars_;
  std::vector<ValidatorEntry> validators_;
};

// The C view of a Definition, built once in place; all pointers point into `definition_`,
// which never moves afterwards.
class Exported {
 public:
  explicit Exported(Definition definition) : definition_(std::move(definition)) {
    const Definition& d = definition_;
    for (const Pillar& p : d.pillars_) {
      std::vector<rembuk_element> elements;
      for (const Element& e : p.elements) {
        elements.push_back({e.id.c_str(), e.name_id.c_str(), e.name_en.c_str()});
      }
      element_arrays_.push_back(std::move(elements));
    }
    for (std::size_t i = 0; i < d.pillars_.size(); ++i) {
      const Pillar& p = d.pillars_[i];
      pillars_.push_back({p.id.c_str(), p.name_id.c_str(), p.name_en.c_str(),
                          p.description.c_str(), element_arrays_[i].data(),
                          element_arrays_[i].size()});
    }
    for (const auto& v : d.validators_) {
      std::vector<const char*> types;
      for (const std::string& t : v.command_types) types.push_back(t.c_str());
      type_arrays_.push_back(std::move(types));
    }
    for (std::size_t i = 0; i < d.validators_.size(); ++i) {
      const auto& v = d.validators_[i];
      validators_.push_back({v.name.c_str(), type_arrays_[i].data(), type_arrays_[i].size(),
                             &Exported::trampoline,
                             const_cast<Definition::ValidatorEntry*>(&v)});  // NOLINT
    }
    descriptor_.abi_version = REMBUK_PLUGIN_ABI_VERSION;
    descriptor_.name = d.name_.c_str();
    descriptor_.version = d.version_.c_str();
    descriptor_.region_code = d.region_code_.c_str();
    descriptor_.region_name = d.region_name_.c_str();
    descriptor_.description = d.description_.c_str();
    descriptor_.pillars = pillars_.empty() ? nullptr : pillars_.data();
    descriptor_.pillar_count = pillars_.size();
    descriptor_.validators = validators_.empty() ? nullptr : validators_.data();
    descriptor_.validator_count = validators_.size();
  }
  Exported(const Exported&) = delete;
  Exported& operator=(const Exported&) = delete;

  const rembuk_plugin_descriptor* descriptor() const noexcept { return &descriptor_; }

  // Runs one validator with every exception caught.
  static std::int32_t trampoline(void* user_data, const char* command_json,
                                 std::size_t command_size, const char* state_json,
                                 std::size_t state_size, const rembuk_host_sink* sink) noexcept {
    try {
      if (user_data == nullptr || command_json == nullptr || state_json == nullptr) {
        fail(sink, "rembuk plugin.hpp: NULL argument from the host");
        return REMBUK_STATUS_ERROR;
      }
      const auto* v = static_cast<const Definition::ValidatorEntry*>(user_data);
      const Call call(std::string_view(command_json, command_size),
                      std::string_view(state_json, state_size), sink);
      v->fn(call);
      return REMBUK_STATUS_OK;
    } catch (const std::exception& e) {
      fail(sink, e.what());
    } catch (...) {
      fail(sink, "unknown exception");
    }
    return REMBUK_STATUS_ERROR;
  }

 private:
  static void fail(const rembuk_host_sink* sink, const char* reason) noexcept {
    if (sink != nullptr && sink->error != nullptr) sink->error(sink->ctx, reason);
  }

  Definition definition_;
  std::vector<std::vector<rembuk_element>> element_arrays_;
  std::vector<rembuk_pillar> pillars_;
  std::vector<std::vector<const char*>> type_arrays_;
  std::vector<rembuk_validator> validators_;
  rembuk_plugin_descriptor descriptor_{};
};

namespace detail {
// The body of rembuk_plugin_entry(): builds the Definition once (thread-safe static
// initialisation; retried on the next call if `describe` threw) and never throws.
inline const rembuk_plugin_descriptor* entry(Definition (*describe)()) noexcept {
  try {
    static const Exported exported(describe());
    return exported.descriptor();
  } catch (...) {
    return nullptr;
  }
}
}  // namespace detail

}  // namespace rembuk::plugin

// Exports the plugin described by `describe_fn` (a function `Definition describe_fn()`).
// Use exactly once per plugin, at global scope, in the plugin's entry.cpp.
#define REMBUK_PLUGIN(describe_fn)                                                  \
  REMBUK_PLUGIN_DEFINE_ABI_VERSION();                                              \
  extern "C" REMBUK_PLUGIN_EXPORT const rembuk_plugin_descriptor* rembuk_plugin_entry( \
      void) {                                                                       \
    return ::rembuk::plugin::detail::entry(&(describe_fn));                        \
  }
