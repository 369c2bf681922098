// Extensions: what the model takes from outside the kernel, i.e. from city plugins.
//
// The model knows nothing of shared libraries. The plugin host (kernel/plugins) implements
// `Extensions` and hands it to `decide`; a masterplan only sees the pillars and validators
// of the plugins it has enabled (recorded in its events).
//
// Thread safety: implementations must allow concurrent calls from several threads
// (different masterplans decide in parallel).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "rembuk/model/state.hpp"

namespace rembuk::model {

struct Element {
  std::string id;       // stable, e.g. "pelayanan_publik"
  std::string name_id;  // Indonesian name
  std::string name_en;  // English name
};

// A dimension (one of the six national ones) or a local-wisdom pillar from a plugin.
struct Pillar {
  std::string id;  // stable, e.g. "governance" or "adat_nagari"
  std::string name_id;
  std::string name_en;
  std::string description;
  std::vector<Element> elements;
  std::string plugin;  // empty for the national dimensions
};

// One broken rule. `code` is stable (e.g. "program.years_outside_period"); `path` is a JSON
// pointer into the command (e.g. "/command/startYear"); both messages are for people.
struct Violation {
  std::string code;
  std::string path;
  std::string message_id;  // Indonesian
  std::string message_en;  // English
  boost::json::value detail;  // optional structured detail (e.g. conflict's current value)
};

// Why a validator call produced no verdict.
enum class ValidatorFailure { none, error, timeout };

struct ValidationOutcome {
  std::vector<Violation> violations;
  ValidatorFailure failure = ValidatorFailure::none;
  std::string failure_message;  // names the plugin and what went wrong
};

// Which version of a plugin a masterplan enabled (recorded in PluginEnabled).
struct PluginIdentity {
  std::string name;
  std::string version;  // semver
  std::string sha256;   // of the library file, hex
};

class Extensions {
 public:
  virtual ~Extensions() = default;

  // The currently loaded version of a plugin, if it is loaded.
  virtual std::optional<PluginIdentity> find_plugin(std::string_view name) const = 0;

  // The pillars a plugin adds (empty if the plugin is not loaded).
  virtual std::vector<Pillar> pillars_of(std::string_view plugin) const = 0;

  // Runs the validators of `plugin` that want `command_type`. `command` is the command
  // object as submitted (with "type"); `state` is the masterplan before the command, lent for
  // the call (an implementation reads what its validators ask for; it must not keep it).
  // A plugin that wants no validator for `command_type` must cost next to nothing.
  // Never throws: a plugin's failure is reported in the outcome.
  virtual ValidationOutcome validate(std::string_view plugin, std::string_view command_type,
                                     const boost::json::object& command,
                                     const MasterplanState& state) const = 0;
};

}  // namespace rembuk::model
