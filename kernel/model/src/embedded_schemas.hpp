// The schema files embedded at build time (generated embedded_schemas.cpp, see CMakeLists).
#pragma once

#include <cstddef>

namespace rembuk::model::embedded {

struct SchemaFile {
  const char* name;  // e.g. "commands/AddProgram.json", "events/ProgramAdded.v1.json"
  const char* text;
};

extern const SchemaFile schema_files[];
extern const std::size_t schema_file_count;

}  // namespace rembuk::model::embedded
