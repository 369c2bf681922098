# rembuk_add_plugin(NAME <name> SOURCES <file>...)
#
# Builds a rembuk city plugin: a MODULE library (loaded with dlopen, never linked against)
# named <name>.so, compiled with hidden visibility so that only the two symbols plugin.h
# exports are visible, and linked against the SDK headers only. The same function serves
# in-tree plugins (rembuk's own build) and out-of-tree ones (find_package(RembukPluginSDK)).
# Never add `-z nodlopen`: the host must be able to dlopen the result.
include_guard(GLOBAL)

function(rembuk_add_plugin)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME" "SOURCES")
  if(NOT arg_NAME)
    message(FATAL_ERROR "rembuk_add_plugin: NAME is required")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "rembuk_add_plugin(${arg_NAME}): SOURCES is required")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "rembuk_add_plugin(${arg_NAME}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()

  add_library(${arg_NAME} MODULE ${arg_SOURCES})
  target_link_libraries(${arg_NAME} PRIVATE RembukPluginSDK::sdk)
  set_target_properties(${arg_NAME} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  # GCC marks some inline statics STB_GNU_UNIQUE, which makes dlclose a no-op; a plugin must
  # be unloadable for hot reload to free the old version.
  target_compile_options(${arg_NAME} PRIVATE $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>)
endfunction()

# rembuk_add_plugin_cases(<plugin target> <cases.jsonl> [REMBUK <executable>] [BUDGET_MS <ms>])
#
# Adds a CTest test "<target>.cases" that runs `rembuk plugin test <plugin> <cases>`: every
# case's command against its state through the plugin's validators, compared with the
# expected accept/reject codes. Call it after enable_testing(). The rembuk executable is the
# in-tree target `rembuk` when there is one, else REMBUK (argument) or REMBUK_EXECUTABLE
# (cache variable, found on PATH by default). BUDGET_MS overrides the 50 ms per-call budget
# (useful on a loaded CI machine; the harness still prints each case's time).
function(rembuk_add_plugin_cases target cases)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "REMBUK;BUDGET_MS" "")
  if(arg_REMBUK)
    set(exe ${arg_REMBUK})
  elseif(TARGET rembuk)
    set(exe $<TARGET_FILE:rembuk>)
  else()
    find_program(REMBUK_EXECUTABLE rembuk)
    if(NOT REMBUK_EXECUTABLE)
      message(STATUS "rembuk_add_plugin_cases(${target}): no rembuk executable; set REMBUK_EXECUTABLE")
      return()
    endif()
    set(exe ${REMBUK_EXECUTABLE})
  endif()
  set(budget)
  if(arg_BUDGET_MS)
    set(budget --budget-ms ${arg_BUDGET_MS})
  endif()
  add_test(NAME ${target}.cases
           COMMAND ${exe} plugin test $<TARGET_FILE:${target}> ${cases} ${budget})
endfunction()
