#include "rembuk/plugins/loaded_plugin.hpp"

#include <unistd.h>

#include <atomic>
#include <optional>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

#include <boost/dll/shared_library.hpp>

#include <boost/json/parse.hpp>

#include "descriptor_reader.hpp"
#include "file_digest.hpp"
#include "rembuk/plugin.h"
#include "state_view.hpp"

namespace rembuk::plugins {

namespace fs = std::filesystem;

struct LoadedPlugin::Library {
  struct RawValidator {
    rembuk_validate_fn validate = nullptr;
    void* user_data = nullptr;
  };
  boost::dll::shared_library handle;
  std::vector<RawValidator> validators;
};

const char* to_string(LoadErrorCode code) {
  switch (code) {
    case LoadErrorCode::unreadable_file: return "unreadable_file";
    case LoadErrorCode::not_loadable: return "not_loadable";
    case LoadErrorCode::missing_abi_version: return "missing_abi_version";
    case LoadErrorCode::abi_mismatch: return "abi_mismatch";
    case LoadErrorCode::missing_entry_point: return "missing_entry_point";
    case LoadErrorCode::entry_failed: return "entry_failed";
    case LoadErrorCode::invalid_descriptor: return "invalid_descriptor";
    case LoadErrorCode::duplicate_plugin: return "duplicate_plugin";
    case LoadErrorCode::duplicate_pillar: return "duplicate_pillar";
    case LoadErrorCode::national_pillar_id: return "national_pillar_id";
  }
  return "unknown";
}

std::string LoadError::line() const { return file.string() + ": " + message; }

namespace {

constexpr std::uintmax_t max_library_bytes = 256u * 1024 * 1024;
constexpr std::size_t max_violations_per_call = 256;

Failure<LoadError> refuse(LoadErrorCode code, const fs::path& file, std::string message) {
  return fail(LoadError{code, file, std::move(message)});
}

fs::path default_staging_dir() {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  return base / ("rembuk-plugins-" + std::to_string(::getpid()));
}

// Copies `file` to a fresh private path and returns (path, bytes).
Result<std::pair<fs::path, std::string>, std::string> stage(const fs::path& file,
                                                            const fs::path& staging_dir) {
  static std::atomic<std::uint64_t> counter{0};
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return fail("cannot read: " + ec.message());
  if (size > max_library_bytes) return fail(std::string("larger than 256 MiB"));
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(std::string("cannot open for reading"));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail(std::string("read error"));

  const fs::path dir = staging_dir.empty() ? default_staging_dir() : staging_dir;
  fs::create_directories(dir, ec);
  if (ec) return fail("cannot create staging directory " + dir.string() + ": " + ec.message());
  // The pid keeps apart the copies of processes that share the directory (the server and
  // the workers of isolated plugins).
  const fs::path staged = dir / (file.stem().string() + "." + std::to_string(::getpid()) + "." +
                                 std::to_string(counter++) + ".so");
  // Twice: another load of this process may have removed the (then empty) default
  // directory between create_directories and the write (unstage()).
  for (int attempt = 0;; ++attempt) {
    std::ofstream out(staged, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (out) break;
    if (attempt == 1) return fail("cannot write staging copy " + staged.string());
    fs::create_directories(dir, ec);
  }
  return std::pair{staged, std::move(bytes)};
}

// Removes a staged copy, and the default staging directory with it once it is empty, so a
// process leaves nothing in the temporary folder. A directory the caller chose stays.
void unstage(const fs::path& staged, const fs::path& staging_dir) {
  std::error_code ignored;
  fs::remove(staged, ignored);
  if (staging_dir.empty()) fs::remove(staged.parent_path(), ignored);  // fails when not empty
}

// What the plugin reports during one validator call.
struct CallSink {
  std::string_view plugin;
  std::vector<model::Violation> violations;
  std::string malformed;  // first problem with a reported violation
  std::string error_reason;
};

void on_report(void* ctx, const char* code, const char* path, const char* message_id,
               const char* message_en) noexcept {
  if (ctx == nullptr) return;
  auto& sink = *static_cast<CallSink*>(ctx);
  if (!sink.malformed.empty()) return;
  try {
    if (sink.violations.size() >= max_violations_per_call) {
      sink.malformed = "reported more than " + std::to_string(max_violations_per_call) +
                       " violations";
      return;
    }
    model::Violation v;
    auto read = [&](const char* text, std::string_view what, std::string& into) {
      auto r = detail::read_text(text, what);
      if (!r) {
        sink.malformed = r.error();
        return false;
      }
      into = std::move(r).value();
      return true;
    };
    if (!read(code, "violation code", v.code) || !read(path, "violation path", v.path) ||
        !read(message_id, "violation message_id", v.message_id) ||
        !read(message_en, "violation message_en", v.message_en)) {
      return;
    }
    if (!detail::is_violation_code(v.code, sink.plugin)) {
      sink.malformed = "violation code \"" + v.code + "\" is not \"" + std::string(sink.plugin) +
                       ".<rule>\"";
    } else if (!v.path.empty() && v.path.front() != '/') {
      sink.malformed = "violation path \"" + v.path + "\" is not a JSON pointer";
    } else if (v.message_id.empty() || v.message_en.empty()) {
      sink.malformed = "violation " + v.code + " has an empty message";
    } else {
      sink.violations.push_back(std::move(v));
    }
  } catch (...) {
    sink.malformed = "out of memory while collecting violations";
  }
}

void on_error(void* ctx, const char* reason) noexcept {
  if (ctx == nullptr) return;
  auto& sink = *static_cast<CallSink*>(ctx);
  try {
    auto r = detail::read_text(reason, "error reason");
    sink.error_reason = r ? std::move(r).value() : r.error();
  } catch (...) {
    sink.error_reason = "(reason lost: out of memory)";
  }
}

ValidatorRun finish_run(std::chrono::nanoseconds elapsed, std::int32_t status, CallSink& sink) {
  ValidatorRun run;
  run.elapsed = elapsed;

  if (status == REMBUK_STATUS_OK && sink.malformed.empty()) {
    run.status = ValidatorRun::Status::ok;
    run.violations = std::move(sink.violations);
  } else if (status == REMBUK_STATUS_ERROR) {
    run.status = ValidatorRun::Status::error;
    run.reason = sink.error_reason.empty() ? "returned an error without a reason"
                                           : sink.error_reason;
  } else {
    run.status = ValidatorRun::Status::garbage;
    run.reason = !sink.malformed.empty()
                     ? sink.malformed
                     : "returned unknown status " + std::to_string(status);
  }
  return run;
}

}  // namespace

Result<std::shared_ptr<const LoadedPlugin>, LoadError> LoadedPlugin::load(
    const fs::path& file, const LoadOptions& options) {
  auto staged = stage(file, options.staging_dir);
  if (!staged) return refuse(LoadErrorCode::unreadable_file, file, staged.error());
  auto [staged_path, bytes] = std::move(staged).value();

  std::shared_ptr<LoadedPlugin> plugin(new LoadedPlugin());
  plugin->library_ = std::make_unique<Library>();
  plugin->file_ = file;
  plugin->staged_path_ = staged_path;
  plugin->sha256_ = detail::sha256_hex(bytes);

  auto& lib = plugin->library_->handle;
  try {
    lib.load(staged_path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    unstage(staged_path, options.staging_dir);
    return refuse(LoadErrorCode::not_loadable, file,
                  std::string("cannot load the library: ") + e.what());
  }
  // The mapping stays; nothing is left behind on a crash.
  unstage(staged_path, options.staging_dir);

  // 1. The ABI version, read as data: no plugin function has run yet.
  if (!lib.has(REMBUK_PLUGIN_ABI_VERSION_SYMBOL)) {
    return refuse(LoadErrorCode::missing_abi_version, file,
                  "missing symbol " REMBUK_PLUGIN_ABI_VERSION_SYMBOL
                  " (not a rembuk plugin, or not built with the SDK)");
  }
  const std::uint32_t abi = lib.get<const std::uint32_t>(REMBUK_PLUGIN_ABI_VERSION_SYMBOL);
  if (abi < REMBUK_PLUGIN_ABI_VERSION_OLDEST || abi > REMBUK_PLUGIN_ABI_VERSION) {
    return refuse(LoadErrorCode::abi_mismatch, file,
                  "plugin ABI version " + std::to_string(abi) + ", this host supports " +
                      std::to_string(REMBUK_PLUGIN_ABI_VERSION_OLDEST) + " to " +
                      std::to_string(REMBUK_PLUGIN_ABI_VERSION) +
                      " (rebuild the plugin against the rembuk plugin SDK " +
                      std::to_string(REMBUK_PLUGIN_ABI_VERSION) + ".x)");
  }
  plugin->abi_version_ = abi;

  // 2. The entry point, called once.
  if (!lib.has(REMBUK_PLUGIN_ENTRY_SYMBOL)) {
    return refuse(LoadErrorCode::missing_entry_point, file,
                  "missing entry point " REMBUK_PLUGIN_ENTRY_SYMBOL);
  }
  const auto entry = &lib.get<const rembuk_plugin_descriptor*()>(REMBUK_PLUGIN_ENTRY_SYMBOL);
  const rembuk_plugin_descriptor* descriptor = entry();
  if (descriptor == nullptr) {
    return refuse(LoadErrorCode::entry_failed, file,
                  REMBUK_PLUGIN_ENTRY_SYMBOL "() returned NULL (the plugin could not describe "
                                             "itself)");
  }

  // 3. The whole descriptor, copied.
  auto description = detail::read_descriptor(descriptor, abi);
  if (!description) {
    return refuse(LoadErrorCode::invalid_descriptor, file,
                  "invalid descriptor: " + description.error());
  }
  plugin->description_ = std::move(description).value();
  for (std::size_t i = 0; i < descriptor->validator_count; ++i) {
    plugin->library_->validators.push_back(
        {descriptor->validators[i].validate, descriptor->validators[i].user_data});
  }
  return std::shared_ptr<const LoadedPlugin>(std::move(plugin));
}

LoadedPlugin::~LoadedPlugin() = default;

bool LoadedPlugin::wants(std::string_view command_type) const noexcept {
  for (const auto& v : description_.validators) {
    for (const auto& type : v.command_types) {
      if (type == command_type) return true;
    }
  }
  return false;
}

std::vector<std::size_t> LoadedPlugin::validators_for(std::string_view command_type) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < description_.validators.size(); ++i) {
    for (const auto& type : description_.validators[i].command_types) {
      if (type == command_type) {
        out.push_back(i);
        break;
      }
    }
  }
  return out;
}

ValidatorRun LoadedPlugin::run_validator(std::size_t index, const std::string& command_json,
                                         const std::string& state_json) const {
  if (abi_version_ == 1) return run_v1(index, command_json, state_json);
  boost::system::error_code ec;
  const auto state = boost::json::parse(state_json, ec);
  if (ec || !state.is_object()) {
    ValidatorRun run;
    run.status = ValidatorRun::Status::error;
    run.reason = "the state is not a JSON object";
    return run;
  }
  std::string type;
  const auto command = boost::json::parse(command_json, ec);
  if (!ec && command.is_object()) {
    if (const auto* t = command.as_object().if_contains("type"); t != nullptr && t->is_string()) {
      type = t->as_string();
    }
  }
  return run_validator(index, command_json, type, JsonStateSource(state.as_object()));
}

ValidatorRun LoadedPlugin::run_validator(std::size_t index, const std::string& command_json,
                                         std::string_view command_type,
                                         const StateSource& state) const {
  if (abi_version_ == 1) {
    // ABI 1 wants the whole state as text: the cost the view exists to avoid.
    std::optional<std::string> text;
    try {
      text = state.section({});
    } catch (const std::exception& e) {
      ValidatorRun run;
      run.status = ValidatorRun::Status::error;
      run.reason = std::string("cannot serialise the state for an ABI 1 plugin: ") + e.what();
      return run;
    }
    return run_v1(index, command_json, text ? *text : std::string("{}"));
  }
  const auto& raw = library_->validators.at(index);
  CallSink sink{description_.name, {}, {}, {}};
  const rembuk_host_sink host_sink{&sink, &on_report, &on_error};
  const detail::LentView view(state);
  const rembuk_call call{{command_json.c_str(), command_json.size()},
                         {command_type.data(), command_type.size()},
                         view.view()};

  const auto start = std::chrono::steady_clock::now();
  const std::int32_t status = raw.validate(raw.user_data, &call, &host_sink);
  return finish_run(std::chrono::steady_clock::now() - start, status, sink);
}

ValidatorRun LoadedPlugin::run_v1(std::size_t index, const std::string& command_json,
                                  const std::string& state_json) const {
  const auto& raw = library_->validators.at(index);
  CallSink sink{description_.name, {}, {}, {}};
  const rembuk_host_sink host_sink{&sink, &on_report, &on_error};
  // The descriptor's field has ABI 2's type; an ABI 1 plugin stored its own there (plugin.h).
  const auto validate = reinterpret_cast<rembuk_validate_v1_fn>(
      reinterpret_cast<void (*)()>(raw.validate));

  const auto start = std::chrono::steady_clock::now();
  const std::int32_t status = validate(raw.user_data, command_json.c_str(), command_json.size(),
                                       state_json.c_str(), state_json.size(), &host_sink);
  return finish_run(std::chrono::steady_clock::now() - start, status, sink);
}

}  // namespace rembuk::plugins
