#include "rembuk/plugins/plugin_host.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <boost/json/serialize.hpp>

#include "file_digest.hpp"
#include "worker_pool.hpp"

namespace rembuk::plugins {

namespace fs = std::filesystem;

struct PluginHost::Registry {
  std::uint64_t generation = 0;
  std::vector<std::shared_ptr<const LoadedPlugin>> plugins;  // in load order
  // The worker processes of each isolated plugin's current version, by plugin name. A
  // version's pool lives as long as a registry (or a call) that holds it.
  std::map<std::string, std::shared_ptr<detail::WorkerPool>, std::less<>> pools;

  std::shared_ptr<const LoadedPlugin> find(std::string_view name) const {
    for (const auto& p : plugins) {
      if (p->name() == name) return p;
    }
    return nullptr;
  }
  std::shared_ptr<detail::WorkerPool> pool(std::string_view name) const {
    const auto it = pools.find(name);
    return it == pools.end() ? nullptr : it->second;
  }
};

namespace {

std::string label(const LoadedPlugin& plugin) {
  return "plugin " + plugin.name() + " " + plugin.description().version;
}

std::string milliseconds(std::chrono::nanoseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(d.count()) / 1e6);
  return text;
}

}  // namespace

std::optional<LoadError> check_conflicts(
    const LoadedPlugin& plugin, const std::vector<std::string>& national_pillar_ids,
    const std::vector<std::shared_ptr<const LoadedPlugin>>& others) {
  for (const auto& pillar : plugin.description().pillars) {
    if (std::find(national_pillar_ids.begin(), national_pillar_ids.end(), pillar.id) !=
        national_pillar_ids.end()) {
      return LoadError{LoadErrorCode::national_pillar_id, plugin.file(),
                       "pillar \"" + pillar.id + "\" reuses the id of a national dimension"};
    }
  }
  for (const auto& other : others) {
    if (other->name() == plugin.name()) {
      return LoadError{LoadErrorCode::duplicate_plugin, plugin.file(),
                       "duplicate plugin name \"" + plugin.name() + "\" (already loaded from " +
                           other->file().string() + ")"};
    }
    for (const auto& pillar : plugin.description().pillars) {
      for (const auto& taken : other->description().pillars) {
        if (taken.id == pillar.id) {
          return LoadError{LoadErrorCode::duplicate_pillar, plugin.file(),
                           "duplicate pillar id \"" + pillar.id + "\" (already added by plugin " +
                               other->name() + " from " + other->file().string() + ")"};
        }
      }
    }
  }
  return std::nullopt;
}

bool HostOptions::isolates(std::string_view plugin) const {
  auto named = [&](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), plugin) != names.end();
  };
  return named(isolated) || (isolate_by_default && !named(in_process));
}

PluginHost::PluginHost(HostOptions options)
    : options_(std::move(options)), registry_(std::make_shared<const Registry>()) {}

PluginHost::~PluginHost() = default;

std::shared_ptr<const PluginHost::Registry> PluginHost::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return registry_;
}

std::uint64_t PluginHost::generation() const { return snapshot()->generation; }

std::shared_ptr<const LoadedPlugin> PluginHost::find(std::string_view name) const {
  return snapshot()->find(name);
}

std::vector<std::shared_ptr<const LoadedPlugin>> PluginHost::plugins() const {
  return snapshot()->plugins;
}

std::vector<fs::path> PluginHost::remembered_files(LoadReport& report) const {
  std::set<fs::path> files(files_.begin(), files_.end());
  for (const auto& dir : directories_) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      report.refused.push_back(
          {LoadErrorCode::unreadable_file, dir, "cannot read plugin directory: " + ec.message()});
      continue;
    }
    for (const auto& entry : it) {
      std::error_code type_ec;
      if (entry.path().extension() == ".so" && entry.is_regular_file(type_ec)) {
        files.insert(entry.path());
      }
    }
  }
  return {files.begin(), files.end()};  // std::set: sorted by path, so load order is stable
}

LoadReport PluginHost::rebuild(const std::vector<fs::path>& files) {
  LoadReport report;
  const auto current = snapshot();
  auto old_version_of = [&](const fs::path& file) -> std::shared_ptr<const LoadedPlugin> {
    for (const auto& p : current->plugins) {
      if (p->file() == file) return p;
    }
    return nullptr;
  };

  // Pass 1: unchanged files keep their plugin (they were consistent with each other).
  std::vector<std::shared_ptr<const LoadedPlugin>> next;
  std::vector<fs::path> changed;
  for (const auto& file : files) {
    auto old = old_version_of(file);
    const auto hash = detail::file_sha256_hex(file);
    if (old && hash && *hash == old->sha256()) {
      next.push_back(old);
      report.kept.push_back(old->identity());
    } else {
      changed.push_back(file);
    }
  }

  // Pass 2: new and changed files, in path order. A refused new version leaves the old one.
  for (const auto& file : changed) {
    auto old = old_version_of(file);
    auto keep_old = [&] {
      if (old && !check_conflicts(*old, options_.national_pillar_ids, next)) {
        next.push_back(old);
        report.kept.push_back(old->identity());
      }
    };
    auto loaded = LoadedPlugin::load(file, options_.load);
    if (!loaded) {
      report.refused.push_back(std::move(loaded).error());
      keep_old();
      continue;
    }
    if (auto conflict = check_conflicts(**loaded, options_.national_pillar_ids, next)) {
      report.refused.push_back(std::move(*conflict));
      keep_old();
      continue;
    }
    report.loaded.push_back((*loaded)->identity());
    next.push_back(std::move(loaded).value());
  }

  for (const auto& p : current->plugins) {
    if (std::find(next.begin(), next.end(), p) == next.end()) {
      const bool replaced = std::any_of(next.begin(), next.end(),
                                        [&](const auto& n) { return n->name() == p->name(); });
      if (!replaced) report.dropped.push_back(p->name());
    }
  }

  const bool changed_registry = next != current->plugins;
  auto registry = std::make_shared<Registry>();
  registry->generation = current->generation + (changed_registry ? 1 : 0);
  registry->plugins = std::move(next);
  for (const auto& p : registry->plugins) {
    if (!options_.isolates(p->name())) continue;
    // An unchanged version keeps its running workers; a new version gets new ones.
    auto kept = current->pool(p->name());
    if (kept && current->find(p->name()) != p) kept = nullptr;
    registry->pools[p->name()] =
        kept ? kept
             : std::make_shared<detail::WorkerPool>(detail::WorkerSpec{
                   p->name(), options_.worker_command, p->file(), p->sha256(), options_.load.staging_dir,
                   options_.budget, options_.isolation_grace,
                   std::chrono::milliseconds(10'000), options_.workers_follow_caller_cpu});
  }
  report.generation = registry->generation;
  {
    std::lock_guard lock(snapshot_mutex_);
    registry_ = std::move(registry);
  }
  // `current` (and with it an old library nobody else holds) is released on return.
  return report;
}

LoadReport PluginHost::load_directory(const fs::path& dir) {
  std::lock_guard lock(reload_mutex_);
  if (std::find(directories_.begin(), directories_.end(), dir) == directories_.end()) {
    directories_.push_back(dir);
  }
  LoadReport listing;
  const auto files = remembered_files(listing);
  LoadReport report = rebuild(files);
  report.refused.insert(report.refused.begin(), listing.refused.begin(), listing.refused.end());
  return report;
}

Result<model::PluginIdentity, LoadError> PluginHost::load_file(const fs::path& file) {
  std::lock_guard lock(reload_mutex_);
  if (std::find(files_.begin(), files_.end(), file) == files_.end()) files_.push_back(file);
  LoadReport listing;
  const auto files = remembered_files(listing);
  const LoadReport report = rebuild(files);
  for (const auto& refusal : report.refused) {
    if (refusal.file == file) return fail(refusal);
  }
  for (const auto& p : snapshot()->plugins) {
    if (p->file() == file) return p->identity();
  }
  return fail(LoadError{LoadErrorCode::unreadable_file, file, "not loaded"});
}

LoadReport PluginHost::reload() {
  std::lock_guard lock(reload_mutex_);
  LoadReport listing;
  const auto files = remembered_files(listing);
  LoadReport report = rebuild(files);
  report.refused.insert(report.refused.begin(), listing.refused.begin(), listing.refused.end());
  return report;
}

Result<std::shared_ptr<const LoadedPlugin>, LoadError> PluginHost::check(
    const fs::path& file, const HostOptions& options) {
  auto loaded = LoadedPlugin::load(file, options.load);
  if (!loaded) return loaded;
  if (auto conflict = check_conflicts(**loaded, options.national_pillar_ids, {})) {
    return fail(std::move(*conflict));
  }
  return loaded;
}

std::optional<model::PluginIdentity> PluginHost::find_plugin(std::string_view name) const {
  if (auto p = find(name)) return p->identity();
  return std::nullopt;
}

std::vector<model::Pillar> PluginHost::pillars_of(std::string_view plugin) const {
  if (auto p = find(plugin)) return p->description().pillars;
  return {};
}

model::ValidationOutcome PluginHost::validate(std::string_view plugin,
                                              std::string_view command_type,
                                              const boost::json::object& command,
                                              const model::MasterplanState& state) const {
  return validate(plugin, command_type, command, ModelStateSource(state, &program_order_));
}

model::ValidationOutcome PluginHost::validate(std::string_view plugin,
                                              std::string_view command_type,
                                              const boost::json::object& command,
                                              const boost::json::object& state) const {
  return validate(plugin, command_type, command, JsonStateSource(state));
}

model::ValidationOutcome PluginHost::validate(std::string_view plugin,
                                              std::string_view command_type,
                                              const boost::json::object& command,
                                              const StateSource& state) const {
  // Holding `registry` keeps this version's library mapped (and its workers running) until
  // the call ends, even if a reload replaces it meanwhile.
  const auto registry = snapshot();
  const auto loaded = registry->find(plugin);
  if (!loaded) {
    model::ValidationOutcome outcome;
    outcome.failure = model::ValidatorFailure::error;
    outcome.failure_message = "plugin " + std::string(plugin) + " is not loaded";
    return outcome;
  }
  if (!loaded->wants(command_type)) return {};
  try {
    const std::string command_json = boost::json::serialize(command);
    if (auto pool = registry->pool(plugin)) {
      return validate_isolated(*loaded, *pool, command_type, command_json, state);
    }
    return validate_in_process(*loaded, command_type, command_json, state);
  } catch (const std::bad_alloc&) {
    model::ValidationOutcome outcome;
    outcome.failure = model::ValidatorFailure::error;
    outcome.failure_message = label(*loaded) + ": out of memory preparing the call";
    return outcome;
  }
}

// Applies the host's rules to one validator's run: over budget → timeout, error or garbage →
// error (both clear the violations and end the call: returns false), else its violations.
bool PluginHost::judge(const LoadedPlugin& plugin, std::size_t index, ValidatorRun& run,
                       model::ValidationOutcome& outcome) const {
  const auto& name = plugin.description().validators[index].name;
  if (run.elapsed > options_.budget) {
    outcome.violations.clear();
    outcome.failure = model::ValidatorFailure::timeout;
    outcome.failure_message = label(plugin) + ": validator " + name + " took " +
                              milliseconds(run.elapsed) + ", over its " +
                              milliseconds(options_.budget) + " budget";
    return false;
  }
  if (run.status != ValidatorRun::Status::ok) {
    outcome.violations.clear();
    outcome.failure = model::ValidatorFailure::error;
    outcome.failure_message =
        label(plugin) + ": validator " + name +
        (run.status == ValidatorRun::Status::error ? " failed: " : " returned garbage: ") +
        run.reason;
    return false;
  }
  for (auto& v : run.violations) outcome.violations.push_back(std::move(v));
  return true;
}

model::ValidationOutcome PluginHost::validate_text(const LoadedPlugin& plugin,
                                                   std::string_view command_type,
                                                   const std::string& command_json,
                                                   const std::string& state_json) const {
  model::ValidationOutcome outcome;
  for (const std::size_t index : plugin.validators_for(command_type)) {
    ValidatorRun run = plugin.run_validator(index, command_json, state_json);
    if (!judge(plugin, index, run, outcome)) return outcome;
  }
  return outcome;
}

model::ValidationOutcome PluginHost::validate_in_process(const LoadedPlugin& plugin,
                                                         std::string_view command_type,
                                                         const std::string& command_json,
                                                         const StateSource& state) const {
  model::ValidationOutcome outcome;
  for (const std::size_t index : plugin.validators_for(command_type)) {
    ValidatorRun run = plugin.run_validator(index, command_json, command_type, state);
    if (!judge(plugin, index, run, outcome)) return outcome;
  }
  return outcome;
}

model::ValidationOutcome PluginHost::validate_isolated(const LoadedPlugin& plugin,
                                                       detail::WorkerPool& pool,
                                                       std::string_view command_type,
                                                       const std::string& command_json,
                                                       const StateSource& state) const {
  model::ValidationOutcome outcome;
  const auto indexes = plugin.validators_for(command_type);
  if (indexes.empty()) return outcome;
  // All the command's validators go to one worker in one frame, and come back in one: a round
  // trip per validator would double the cost of a command with two.
  detail::IsolatedRun isolated = pool.run(indexes, command_json, command_type, state);
  if (isolated.outcome == detail::IsolatedRun::Outcome::answered) {
    for (std::size_t i = 0; i < indexes.size(); ++i) {
      if (i == isolated.runs.size()) {
        // The worker stops only after a failure; stopping after a success is not the protocol.
        ValidatorRun missing;
        missing.status = ValidatorRun::Status::garbage;
        missing.reason = "its worker answered for " + std::to_string(i) + " of " +
                         std::to_string(indexes.size()) + " validators";
        judge(plugin, indexes[i], missing, outcome);
        return outcome;
      }
      if (!judge(plugin, indexes[i], isolated.runs[i], outcome)) return outcome;
    }
    return outcome;
  }
  // The worker died or hung before answering: any of the validators may be the cause (one
  // frame tells nothing of the progress), so the message names each one it may be.
  std::string who = indexes.size() == 1 ? "validator " : "one of validators ";
  for (std::size_t i = 0; i < indexes.size(); ++i) {
    who += (i == 0 ? "" : ", ") + plugin.description().validators[indexes[i]].name;
  }
  outcome.failure = model::ValidatorFailure::error;
  switch (isolated.outcome) {
    case detail::IsolatedRun::Outcome::answered:
      break;
    case detail::IsolatedRun::Outcome::timed_out:
      outcome.failure = model::ValidatorFailure::timeout;
      outcome.failure_message = label(plugin) + ": " + who + " did not answer within its " +
                                milliseconds(options_.budget) +
                                " budget; its worker process was killed";
      break;
    case detail::IsolatedRun::Outcome::crashed:
      outcome.failure_message = label(plugin) + ": " + who + " crashed its worker process (" +
                                isolated.reason + "); a new worker serves the next command";
      break;
    case detail::IsolatedRun::Outcome::unavailable:
      outcome.failure_message =
          label(plugin) + ": cannot start its worker process: " + isolated.reason;
      break;
  }
  return outcome;
}

bool PluginHost::is_isolated(std::string_view plugin) const {
  return snapshot()->pool(plugin) != nullptr;
}

std::size_t PluginHost::workers_started(std::string_view plugin) const {
  const auto pool = snapshot()->pool(plugin);
  return pool ? pool->started() : 0;
}

}  // namespace rembuk::plugins
