// SchemaRegistry: the JSON Schemas (draft 7) of every command and event, embedded in the
// binary at build time (CMake turns schemas/commands/*.json and schemas/events/*.json into
// a generated .cpp) and compiled once by valijson.
//
// Thread safety: after construction every member is const and safe from many threads.
// Use `SchemaRegistry::builtin()` (built on first use, thread-safe) in production.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "rembuk/model/extensions.hpp"

namespace rembuk::model {

class SchemaRegistry {
 public:
  // The embedded schemas. Aborts if one of them does not compile (a build defect).
  static const SchemaRegistry& builtin();

  ~SchemaRegistry();
  SchemaRegistry(const SchemaRegistry&) = delete;
  SchemaRegistry& operator=(const SchemaRegistry&) = delete;

  bool has_command(std::string_view type) const;
  bool has_event(std::string_view type, std::uint32_t schema_version) const;

  // Violations of `json` against the command schema of `type`, with JSON-pointer paths
  // prefixed by `path_prefix` (e.g. "/command"). Empty = valid.
  // REQUIRES: has_command(type).
  std::vector<Violation> check_command(std::string_view type, const boost::json::value& json,
                                       std::string_view path_prefix = "/command") const;
  // REQUIRES: has_event(type, schema_version).
  std::vector<Violation> check_event(std::string_view type, std::uint32_t schema_version,
                                     const boost::json::value& json) const;

  // Names of the embedded schema files, e.g. "commands/AddProgram.json".
  std::vector<std::string> files() const;

 private:
  SchemaRegistry();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rembuk::model
