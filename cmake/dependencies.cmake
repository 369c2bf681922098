# Every dependency comes from Debian 12 packages (scripts/setup-deps.sh installs them).
set(Boost_NO_WARN_NEW_VERSIONS ON)
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)

# LMDB ships no CMake package; find it as a plain library.
find_path(LMDB_INCLUDE_DIR lmdb.h REQUIRED)
find_library(LMDB_LIBRARY lmdb REQUIRED)
add_library(lmdb::lmdb UNKNOWN IMPORTED)
set_target_properties(lmdb::lmdb PROPERTIES IMPORTED_LOCATION "${LMDB_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${LMDB_INCLUDE_DIR}")

# Header-only packages.
find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
add_library(CLI11::CLI11 INTERFACE IMPORTED)
set_target_properties(CLI11::CLI11 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${CLI11_INCLUDE_DIR}")
find_path(VALIJSON_INCLUDE_DIR valijson/validator.hpp REQUIRED)
add_library(valijson::valijson INTERFACE IMPORTED)
set_target_properties(valijson::valijson PROPERTIES
                      INTERFACE_INCLUDE_DIRECTORIES "${VALIJSON_INCLUDE_DIR}"
                      INTERFACE_COMPILE_DEFINITIONS "VALIJSON_USE_EXCEPTIONS=0")

if(REMBUK_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(REMBUK_BUILD_BENCH)
  find_package(benchmark CONFIG QUIET)
endif()

# libpq (Debian libpq-dev) is optional: without it rembuk builds without the PostgreSQL
# event log (`--store postgres://…` then fails cleanly), and its tests are not built.
find_path(PQ_INCLUDE_DIR libpq-fe.h PATH_SUFFIXES postgresql)
find_library(PQ_LIBRARY pq)
if(PQ_INCLUDE_DIR AND PQ_LIBRARY)
  set(REMBUK_HAVE_LIBPQ ON)
  add_library(rembuk_libpq UNKNOWN IMPORTED)
  set_target_properties(rembuk_libpq PROPERTIES IMPORTED_LOCATION "${PQ_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${PQ_INCLUDE_DIR}")
else()
  set(REMBUK_HAVE_LIBPQ OFF)
  message(STATUS "libpq not found: building without the PostgreSQL event log")
endif()

# jemalloc (Debian libjemalloc-dev) for the executables that serve: rembuk's server threads
# allocate many small, short-lived objects (JSON, frames, events) while big masterplan states
# stay alive, and glibc's malloc spent about a tenth of the ws-edits CPU in _int_malloc and
# malloc_consolidate (docs/performance.md). Never with a sanitizer: they bring their own.
option(REMBUK_JEMALLOC "Link rembuk and rembuk-bench with jemalloc when it is installed" ON)
add_library(rembuk_allocator INTERFACE)
if(REMBUK_JEMALLOC AND NOT REMBUK_SANITIZE AND NOT REMBUK_TSAN AND NOT REMBUK_FUZZ)
  find_library(JEMALLOC_LIBRARY jemalloc)
  if(JEMALLOC_LIBRARY)
    target_link_libraries(rembuk_allocator INTERFACE "${JEMALLOC_LIBRARY}")
    message(STATUS "rembuk and rembuk-bench use jemalloc: ${JEMALLOC_LIBRARY}")
  else()
    message(STATUS "jemalloc not found: rembuk uses the C library's malloc")
  endif()
endif()

# libsodium (Debian libsodium-dev): Argon2id password hashes and random codes for the
# accounts (kernel/accounts).
find_path(SODIUM_INCLUDE_DIR sodium.h REQUIRED)
find_library(SODIUM_LIBRARY sodium REQUIRED)
add_library(sodium::sodium UNKNOWN IMPORTED)
set_target_properties(sodium::sodium PROPERTIES IMPORTED_LOCATION "${SODIUM_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${SODIUM_INCLUDE_DIR}")
