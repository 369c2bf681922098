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
#include <stdexcept>
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

// The masterplan's state before the command, read-only. Under the ABI it is a view the host
// lends (plugin.h, rembuk_state_view): each lookup asks the host for one small piece (a
// program, an OPD, the identity), so a call costs what the rule reads, not what the
// masterplan holds. Built from JSON text (tests, `Call(command, state_json, sink)`) it reads
// the parsed text instead; both answer the same way.
//
// Lookups throw std::runtime_error when the host cannot answer (the call then ends as
// plugin_error). References returned stay valid as long as the State (the call).
class State {
 public:
  explicit State(const rembuk_state_view* view) noexcept : view_(view) {}
  explicit State(std::string_view state_json) : json_text_(state_json) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  // A top-level member of the state: "cityName", "startYear", "status", ... come from the
  // masterplan's identity; "programs", "opds", "comments", ... fetch that whole section
  // (costs its size: prefer the lookups below).
  const json::Value& operator[](std::string_view key) const {
    if (!view_) return whole()[key];
    if (const json::Value* v = masterplan().find(key)) return *v;
    return cached(sections_, key, [&](rembuk_text* out) {
      return view_->section(view_->ctx, key.data(), key.size(), out);
    });
  }
  // The whole state as one JSON value (costs the whole state: a fallback for rules written
  // against the JSON text).
  const json::Value& whole() const {
    if (!view_) {
      if (!parsed_) parsed_ = json::parse(json_text_);
      return *parsed_;
    }
    return cached(sections_, std::string_view{}, [&](rembuk_text* out) {
      return view_->section(view_->ctx, "", 0, out);
    });
  }
  operator const json::Value&() const { return whole(); }  // NOLINT: source compatibility

  // {"masterplan","version","cityName","regionCode","startYear","endYear","status",...}
  const json::Value& masterplan() const {
    if (!view_) return whole();
    return cached(singles_, "masterplan", [&](rembuk_text* out) {
      return view_->masterplan(view_->ctx, out);
    });
  }

  std::size_t program_count() const {
    if (!view_) return whole()["programs"].size();
    std::size_t n = 0;
    check(view_->program_count(view_->ctx, &n));
    return n;
  }

  // The program with `id` (an element of "programs") and its index; nullptr when none.
  const json::Value* find_program(std::string_view id, std::size_t* index = nullptr) const {
    if (!view_) {
      const auto& items = whole()["programs"].items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i]["programId"].string_or() == id) {
          if (index) *index = i;
          return &items[i];
        }
      }
      return nullptr;
    }
    std::size_t at = 0;
    const json::Value& v = cached(programs_, id, [&](rembuk_text* out) {
      return view_->find_program(view_->ctx, id.data(), id.size(), out, &at);
    }, &at);
    if (index) *index = at;
    return v.is_null() ? nullptr : &v;
  }

  // Calls fn(program, index) for every program in state order, or for those whose
  // "dimension" is `dimension` when it is not empty; fn returns false to stop.
  template <typename Fn>
  void each_program(std::string_view dimension, Fn&& fn) const {
    if (!view_) {
      const auto& items = whole()["programs"].items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!dimension.empty() && items[i]["dimension"].string_or() != dimension) continue;
        if (!fn(items[i], i)) return;
      }
      return;
    }
    struct Visit {
      Fn* fn;
      std::exception_ptr failure;
    } visit{&fn, nullptr};
    const rembuk_program_fn trampoline = [](void* ctx, rembuk_text text,
                                            std::size_t index) noexcept -> std::int32_t {
      auto& v = *static_cast<Visit*>(ctx);
      try {
        const json::Value program = json::parse(std::string_view(text.data, text.size));
        return (*v.fn)(program, index) ? 0 : 1;
      } catch (...) {
        v.failure = std::current_exception();
        return 1;
      }
    };
    const std::int32_t status =
        view_->each_program(view_->ctx, dimension.data(), dimension.size(), trampoline, &visit);
    if (visit.failure) std::rethrow_exception(visit.failure);
    check(status);
  }

  // The OPD {"opdId","name","shortName","retired"} with `id`, or a null value.
  const json::Value& find_opd(std::string_view id) const {
    if (!view_) {
      for (const auto& opd : whole()["opds"].items()) {
        if (opd["opdId"].string_or() == id) return opd;
      }
      return json::Value::null_value();
    }
    return cached(opds_, id, [&](rembuk_text* out) {
      return view_->find_opd(view_->ctx, id.data(), id.size(), out);
    });
  }

  // The member {"userId","name","role","opdId","title"} with `user_id`, or a null value.
  const json::Value& find_member(std::string_view user_id) const {
    if (!view_) {
      for (const auto& m : whole()["members"].items()) {
        if (m["userId"].string_or() == user_id) return m;
      }
      return json::Value::null_value();
    }
    return cached(members_, user_id, [&](rembuk_text* out) {
      return view_->find_member(view_->ctx, user_id.data(), user_id.size(), out);
    });
  }

 private:
  struct Entry {
    std::string key;
    json::Value value;
    std::size_t index = 0;
  };
  // Few lookups per call: a list beats a map. unique_ptr keeps references stable.
  using Cache = std::vector<std::unique_ptr<Entry>>;

  static void check(std::int32_t status) {
    if (status != REMBUK_VIEW_OK) {
      throw std::runtime_error("the host could not answer a lookup in the masterplan state");
    }
  }
  template <typename Ask>
  const json::Value& cached(Cache& cache, std::string_view key, Ask&& ask,
                            std::size_t* index = nullptr) const {
    for (const auto& e : cache) {
      if (e->key == key) {
        if (index) *index = e->index;
        return e->value;
      }
    }
    rembuk_text text{nullptr, 0};
    std::size_t at = 0;
    check(ask(&text));
    if (index) at = *index;
    auto entry = std::make_unique<Entry>();
    entry->key = std::string(key);
    entry->index = at;
    if (text.data != nullptr) entry->value = json::parse(std::string_view(text.data, text.size));
    cache.push_back(std::move(entry));
    return cache.back()->value;
  }

  const rembuk_state_view* view_ = nullptr;
  std::string_view json_text_;
  mutable std::optional<json::Value> parsed_;
  mutable Cache sections_, singles_, programs_, opds_, members_;
};

// One validator call: the command, the state and the way to report violations.
// Valid only during the call; do not keep references to it or to what it returns.
class Call {
 public:
  // The host's call (plugin.h). REQUIRES: `call` and its texts are not null.
  Call(const rembuk_call& call, const rembuk_host_sink* sink)
      : command_(json::parse(std::string_view(call.command.data, call.command.size))),
        state_(call.state),
        sink_(sink) {}
  // From JSON texts (tests): the state is parsed on first use.
  // REQUIRES: `sink` may be null only in tests that never report.
  Call(std::string_view command_json, std::string_view state_json, const rembuk_host_sink* sink)
      : command_(json::parse(command_json)), state_(state_json), sink_(sink) {}

  const json::Value& command() const noexcept { return command_; }
  // The command's "type" ("AddProgram", ...).
  std::string_view command_type() const noexcept { return command_["type"].string_or(); }
  // The masterplan state before the command (rembuk/plugin_masterplan.hpp reads it by
  // program, OPD and member; `state()["cityName"]` reads one field).
  const State& state() const noexcept { return state_; }

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
  State state_;
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
  static std::int32_t trampoline(void* user_data, const rembuk_call* call,
                                 const rembuk_host_sink* sink) noexcept {
    try {
      if (user_data == nullptr || call == nullptr || call->command.data == nullptr ||
          call->state == nullptr) {
        fail(sink, "rembuk plugin.hpp: NULL argument from the host");
        return REMBUK_STATUS_ERROR;
      }
      const auto* v = static_cast<const Definition::ValidatorEntry*>(user_data);
      const Call c(*call, sink);
      v->fn(c);
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
