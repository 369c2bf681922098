// LoadedPlugin: one city plugin library, loaded, checked and described.
//
// Loading (LoadedPlugin::load) copies the file to a private staging path, hashes the copied
// bytes (SHA-256, so the hash names exactly the code that runs), dlopens the copy with
// RTLD_NOW | RTLD_LOCAL, reads the ABI version symbol before calling any plugin function,
// calls the entry point once and checks the whole descriptor (NULLs, lengths, UTF-8, id
// syntax, semver, counts, duplicates within the plugin). Everything the host keeps is
// copied into host-owned strings; only the validator function pointers and their user_data
// point into the library, which stays loaded as long as this object lives.
//
// The private copy makes hot reload work: glibc would hand back the already-loaded image
// for a path (or inode) it has seen, so a new version at the same path must be a new file.
// The copy is unlinked right after dlopen; the mapping stays.
//
// Validators are reached only through `run_validator`, which takes the command as text and
// the state as a StateSource and returns values (status, violations, reason). A plugin of ABI
// 2 reads the state through a view lent for the call (one entity at a time); a plugin of ABI 1
// (still loaded, plugin.h) receives the whole state serialised as JSON text, as it was built
// to, at a cost that grows with the masterplan.
//
// Thread safety: a LoadedPlugin is immutable after load; `run_validator` may be called from
// any number of threads at once (plugin.h requires validators to be reentrant).
// Ownership: share it as std::shared_ptr<const LoadedPlugin>; the library is unloaded when
// the last shared_ptr goes, so a caller holding one may finish its call after a reload.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/common/result.hpp"
#include "rembuk/model/extensions.hpp"
#include "rembuk/plugins/state_source.hpp"

namespace rembuk::plugins {

// Why a plugin file was refused. Every refusal is one line: "<file>: <message>".
enum class LoadErrorCode {
  unreadable_file,      // cannot read or stage the file
  not_loadable,         // dlopen failed (not a shared library, missing dependency, ...)
  missing_abi_version,  // no rembuk_plugin_abi_version symbol
  abi_mismatch,         // built for another ABI version
  missing_entry_point,  // no rembuk_plugin_entry symbol
  entry_failed,         // the entry point returned NULL
  invalid_descriptor,   // the descriptor breaks plugin.h's rules
  duplicate_plugin,     // another loaded plugin has the same name
  duplicate_pillar,     // another loaded plugin adds a pillar with the same id
  national_pillar_id,   // a pillar reuses a national dimension's id
};
const char* to_string(LoadErrorCode code);

struct LoadError {
  LoadErrorCode code;
  std::filesystem::path file;
  std::string message;  // the exact cause, without the file name

  // "<file>: <message>", the one line an operator sees.
  std::string line() const;
};

struct ValidatorInfo {
  std::string name;
  std::vector<std::string> command_types;
};

// The host's copy of a plugin's descriptor.
struct PluginDescription {
  std::string name;
  std::string version;
  std::string region_code;
  std::string region_name;
  std::string description;
  std::vector<model::Pillar> pillars;  // each with `plugin` = name
  std::vector<ValidatorInfo> validators;
};

// The outcome of one validator call, before the host applies its time budget.
struct ValidatorRun {
  enum class Status {
    ok,       // REMBUK_STATUS_OK and every reported violation well-formed
    error,    // REMBUK_STATUS_ERROR (reason from the plugin, if it gave one)
    garbage,  // an unknown status or a malformed violation (reason says which)
  };
  Status status = Status::ok;
  std::vector<model::Violation> violations;
  std::string reason;
  std::chrono::nanoseconds elapsed{0};  // steady_clock, around the call only
};

struct LoadOptions {
  // Where private copies are staged before dlopen; empty = a per-process directory under
  // the system temp directory.
  std::filesystem::path staging_dir;
};

class LoadedPlugin {
 public:
  // Never throws for a bad file; the error names the exact cause.
  static Result<std::shared_ptr<const LoadedPlugin>, LoadError> load(
      const std::filesystem::path& file, const LoadOptions& options = {});

  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const PluginDescription& description() const noexcept { return description_; }
  const std::string& name() const noexcept { return description_.name; }
  // The file it was loaded from (not the staged copy).
  const std::filesystem::path& file() const noexcept { return file_; }
  // The path the library was dlopened from (unlinked after loading; glibc's link map keeps
  // the name, which is how tests see whether the image is still mapped).
  const std::filesystem::path& staged_path() const noexcept { return staged_path_; }
  // Lowercase hex SHA-256 of the library's bytes.
  const std::string& sha256() const noexcept { return sha256_; }
  model::PluginIdentity identity() const { return {description_.name, description_.version, sha256_}; }

  // Indices of the validators that want `command_type`, in descriptor order.
  std::vector<std::size_t> validators_for(std::string_view command_type) const;
  // Whether any validator wants `command_type` (no allocation: asked for every command).
  bool wants(std::string_view command_type) const noexcept;

  // The plugin's ABI version (1 or 2; see plugin.h).
  std::uint32_t abi_version() const noexcept { return abi_version_; }

  // Calls validator `index` with the command as JSON text (std::string so that the text is
  // NUL-terminated, as plugin.h promises) and the state behind `state`. Never throws (an
  // allocation failure while collecting violations becomes Status::garbage; a state the
  // source cannot give an ABI 1 plugin becomes Status::error).
  // REQUIRES: index < description().validators.size().
  ValidatorRun run_validator(std::size_t index, const std::string& command_json,
                             std::string_view command_type, const StateSource& state) const;
  // The same with the state as JSON text (tests, `rembuk plugin test`); a text that is not a
  // JSON object is Status::error for an ABI 2 plugin and passed as it is to an ABI 1 plugin.
  ValidatorRun run_validator(std::size_t index, const std::string& command_json,
                             const std::string& state_json) const;

 private:
  struct Library;  // the Boost.DLL handle and the raw validator table
  LoadedPlugin() = default;
  ValidatorRun run_v1(std::size_t index, const std::string& command_json,
                      const std::string& state_json) const;

  // Declared first so it is destroyed last: nothing of the plugin may outlive the library.
  std::unique_ptr<Library> library_;
  std::filesystem::path file_;
  std::filesystem::path staged_path_;
  std::string sha256_;
  std::uint32_t abi_version_ = 0;
  PluginDescription description_;
};

}  // namespace rembuk::plugins
