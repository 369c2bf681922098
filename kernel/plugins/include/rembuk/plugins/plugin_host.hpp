// PluginHost: the registry of loaded city plugins, and the model's way to reach them.
//
// At start the server calls `load_directory(--plugins DIR)`: every "*.so" in DIR is loaded
// (in file-name order) through LoadedPlugin::load and then checked against the others: a
// duplicate plugin name, a pillar id another plugin already adds, or a pillar that reuses a
// national dimension's id (the ids are given in HostOptions, so the host does not hard-code
// the model's catalogue) refuses that file. Each refusal is one LoadError line naming the
// file and the exact cause; the other plugins load regardless.
//
// Hot reload: `reload()` rescans the directories and files loaded so far. A file whose
// SHA-256 is unchanged keeps its LoadedPlugin; a changed file is loaded as a new version
// (if the new version is refused, the old one stays and the refusal is reported); a file
// that disappeared drops its plugin. The registry is an immutable snapshot replaced in one
// step and numbered by `generation()`. A caller that took a plugin before the swap keeps it
// alive through its shared_ptr and finishes its call with the old version; the old library
// is unloaded when the last such shared_ptr is released. Calls that start after the swap
// see the new version.
//
// Validation (model::Extensions::validate): a plugin with no validator for the command type
// costs a lookup. Otherwise the command is serialised to JSON text (it is small) and the
// state is lent as a view (plugin.h, rembuk_state_view; state_source.hpp): a validator reads
// the entities it asks for, never the whole state, so the cost of a call does not grow with
// the masterplan (an ABI 1 plugin still gets the whole state as text). Each validator of the
// plugin that wants the command type runs
// in descriptor order, timed with steady_clock against the budget (HostOptions::budget,
// 50 ms by default, per validator call). The first validator that fails (error status,
// garbage, over budget) ends the call: the outcome carries ValidatorFailure::error or
// ::timeout and a message naming the plugin, its version and the validator. A validator
// that never returns or crashes the process is contained only for an isolated plugin
// (HostOptions::isolated): its validators run in worker processes (`rembuk plugin worker`,
// see plugin_worker.hpp: all the validators a command wants go to one worker in one frame),
// a worker that dies makes the command plugin_error, one that does not answer within N ×
// budget + grace (N validators) is killed and makes it plugin_timeout, and the next call
// starts a new worker. In-process, a crash takes the process down and a hang holds the
// calling thread forever (the budget is measured when the call returns).
//
// Thread safety: every member function may be called concurrently from any thread; reloads
// are serialised among themselves and never block validation for longer than a pointer swap.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/common/result.hpp"
#include "rembuk/model/extensions.hpp"
#include "rembuk/plugins/loaded_plugin.hpp"
#include "rembuk/plugins/program_order.hpp"
#include "rembuk/plugins/state_source.hpp"

namespace rembuk::plugins {

namespace detail {
class WorkerPool;
}

struct HostOptions {
  // Ids no plugin pillar may take: the model's national dimensions (pass the ids of
  // model::national_dimensions()).
  std::vector<std::string> national_pillar_ids;
  // Longest a single validator call may take before the command is rejected with
  // plugin_timeout.
  std::chrono::nanoseconds budget = std::chrono::milliseconds(50);
  LoadOptions load;

  // Isolation (docs/plugins.md, "Isolation"): the plugins, by name, whose validators run in
  // worker processes instead of this one, so that a segfault or a hang costs one command
  // (plugin_error / plugin_timeout), not the server.
  std::vector<std::string> isolated;
  // Isolate every plugin not named in `in_process` (what `rembuk serve` does: a city's rule
  // then never takes the other cities down, and cannot read the server's files). A plugin in
  // both lists is isolated.
  bool isolate_by_default = false;
  std::vector<std::string> in_process;

  // Whether `plugin`'s validators run in worker processes under these options.
  bool isolates(std::string_view plugin) const;
  // The worker's argv before FILE SHA256, e.g. {"/usr/bin/rembuk", "plugin", "worker"}.
  // REQUIRES: not empty when `isolated` is not.
  std::vector<std::string> worker_command;
  // How long past the budget an isolated call may go before its worker is killed: room for
  // the two socket hops. The answer's own time is still held against the budget.
  std::chrono::nanoseconds isolation_grace = std::chrono::milliseconds(50);
  // Each isolated call moves its worker to the CPU of the thread deciding the command, so
  // that the hand-offs between them stay on one CPU (why, with its measured effect on the
  // p99: docs/plugins.md, "Scale"). A validator that spins until its budget then shares
  // that CPU with the server rather than taking another one.
  bool workers_follow_caller_cpu = true;
};

// Reads the "plugins" object of a server config file (the same JSON file as `rembuk serve
// --config`): {"plugins": {"isolated": ["padang", ...], "inProcess": ["payakumbuh", ...],
// "isolateByDefault": true, "budgetMs": 50}}. A file without it leaves `options` as it is.
// An error names the file and the bad key.
Result<Unit, std::string> read_plugin_config(const std::filesystem::path& file,
                                             HostOptions& options);

// What a load or reload did.
struct LoadReport {
  std::uint64_t generation = 0;                  // the registry generation afterwards
  std::vector<model::PluginIdentity> loaded;     // newly loaded (or new versions)
  std::vector<model::PluginIdentity> kept;       // unchanged, still loaded
  std::vector<std::string> dropped;              // names no longer loaded
  std::vector<LoadError> refused;                // one per refused file
};

class PluginHost final : public model::Extensions {
 public:
  explicit PluginHost(HostOptions options);
  ~PluginHost() override;
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads every *.so in `dir` and remembers `dir` for reload(). A missing directory is one
  // refusal, not an exception.
  LoadReport load_directory(const std::filesystem::path& dir);
  // Loads one file and remembers it for reload().
  Result<model::PluginIdentity, LoadError> load_file(const std::filesystem::path& file);
  // Rescans every remembered directory and file (see the class comment).
  LoadReport reload();

  // Loads `file` on its own, registers nothing: `rembuk plugin check`. The national-id rule
  // of `options` applies; duplicates against other plugins do not.
  static Result<std::shared_ptr<const LoadedPlugin>, LoadError> check(
      const std::filesystem::path& file, const HostOptions& options);

  // Incremented by every load and reload that changed the registry.
  std::uint64_t generation() const;
  // The current version of a plugin; holding the result keeps that library loaded.
  std::shared_ptr<const LoadedPlugin> find(std::string_view name) const;
  std::vector<std::shared_ptr<const LoadedPlugin>> plugins() const;
  const HostOptions& options() const noexcept { return options_; }

  // Whether `plugin`'s validators run in worker processes (HostOptions::isolated).
  bool is_isolated(std::string_view plugin) const;
  // Worker processes started so far for the current version of `plugin` (0 when it is not
  // isolated): a worker that crashed or was killed is replaced on the next call.
  std::size_t workers_started(std::string_view plugin) const;

  // model::Extensions
  std::optional<model::PluginIdentity> find_plugin(std::string_view name) const override;
  std::vector<model::Pillar> pillars_of(std::string_view plugin) const override;
  model::ValidationOutcome validate(std::string_view plugin, std::string_view command_type,
                                    const boost::json::object& command,
                                    const model::MasterplanState& state) const override;
  // The same over a state in canonical JSON (tests, benchmarks).
  model::ValidationOutcome validate(std::string_view plugin, std::string_view command_type,
                                    const boost::json::object& command,
                                    const boost::json::object& state) const;
  // The same over any source of the state.
  model::ValidationOutcome validate(std::string_view plugin, std::string_view command_type,
                                    const boost::json::object& command,
                                    const StateSource& state) const;

  // The same as validate(), on JSON text: what `rembuk plugin test` and a future
  // out-of-process runner use. REQUIRES: `plugin` is loaded or the outcome is an error.
  model::ValidationOutcome validate_text(const LoadedPlugin& plugin,
                                         std::string_view command_type,
                                         const std::string& command_json,
                                         const std::string& state_json) const;

 private:
  struct Registry;

  bool judge(const LoadedPlugin& plugin, std::size_t index, ValidatorRun& run,
             model::ValidationOutcome& outcome) const;
  model::ValidationOutcome validate_in_process(const LoadedPlugin& plugin,
                                               std::string_view command_type,
                                               const std::string& command_json,
                                               const StateSource& state) const;
  model::ValidationOutcome validate_isolated(const LoadedPlugin& plugin,
                                             detail::WorkerPool& pool,
                                             std::string_view command_type,
                                             const std::string& command_json,
                                             const StateSource& state) const;

  std::shared_ptr<const Registry> snapshot() const;
  // REQUIRES: reload_mutex_ held.
  LoadReport rebuild(const std::vector<std::filesystem::path>& files);
  std::vector<std::filesystem::path> remembered_files(LoadReport& report) const;

  const HostOptions options_;
  std::mutex reload_mutex_;  // serialises load_* and reload
  std::vector<std::filesystem::path> directories_;  // GUARDED_BY(reload_mutex_)
  std::vector<std::filesystem::path> files_;        // GUARDED_BY(reload_mutex_)
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Registry> registry_;        // GUARDED_BY(snapshot_mutex_)
  ProgramOrder program_order_;  // programs' indexes, for every masterplan's validators
};

// One refusal for a pillar that clashes with the national ids or with `taken` (pillar id →
// plugin name); nullopt when `plugin` may join.
std::optional<LoadError> check_conflicts(
    const LoadedPlugin& plugin, const std::vector<std::string>& national_pillar_ids,
    const std::vector<std::shared_ptr<const LoadedPlugin>>& others);

}  // namespace rembuk::plugins
