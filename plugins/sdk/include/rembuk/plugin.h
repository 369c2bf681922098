/*
 * rembuk/plugin.h: the C ABI between the rembuk host and a city plugin.
 *
 * ABI version 2. This header is pure C (C99 and C++), includes nothing of the kernel, and is
 * the whole contract: a plugin that compiles against it and follows the rules below can be
 * loaded by any host that speaks the same REMBUK_PLUGIN_ABI_VERSION. Most plugins are written
 * with the C++ layer in rembuk/plugin.hpp, which fills these structures for you.
 *
 * What a plugin exports (both with default visibility, C linkage):
 *
 *   const uint32_t rembuk_plugin_abi_version;          data, == REMBUK_PLUGIN_ABI_VERSION
 *   const rembuk_plugin_descriptor* rembuk_plugin_entry(void);   the one entry point
 *
 * Load sequence in the host:
 *   1. dlopen the library (RTLD_NOW | RTLD_LOCAL) from a private copy of the file.
 *   2. Read the data symbol `rembuk_plugin_abi_version`. The host has called no plugin
 *      function yet (only the library's own static initialisers have run, as for any
 *      dlopen: keep them trivial). If it is missing or outside REMBUK_PLUGIN_ABI_VERSION_OLDEST
 *      .. REMBUK_PLUGIN_ABI_VERSION, the plugin is refused and nothing of it is ever called
 *      (the descriptor layout of another version is not interpreted).
 *   3. Call `rembuk_plugin_entry()` once. It returns the descriptor or NULL (failure).
 *   4. Check the descriptor completely (NULLs, lengths, UTF-8, id syntax, semver, duplicates)
 *      and copy what the host needs. A descriptor that fails any check refuses the plugin.
 *   5. Later, call validators, possibly from several threads at once.
 *
 * Rules for the plugin:
 *   - Never let a C++ exception, longjmp or signal escape a function called by the host.
 *   - Validators must be thread-safe and reentrant: the host calls them concurrently for
 *     different masterplans. They must not keep pointers to their inputs after returning.
 *   - Functions the host lends (the sink, the state view) and callbacks the plugin passes to
 *     them (rembuk_program_fn) must not let an exception or longjmp cross them either.
 *   - A validator is a pure function of (command, state): no I/O, no clock, no randomness, so
 *     that a replay years later reaches the same verdict. Keep it fast: the host measures each
 *     call and rejects the command with `plugin_timeout` if it runs past its budget (50 ms by
 *     default). The host may run validators in another process (a server config marks a
 *     plugin "isolated": a worker process loads the same file and runs its validators
 *     there, and is killed past the budget); rely on nothing but what this header passes in.
 *   - Identifiers (plugin name, pillar, element, validator ids, violation codes' parts) match
 *     [a-z][a-z0-9_]{1,63}. Violation codes are dot-separated identifiers, e.g.
 *     "padang.coastal_program_needs_mitigation". Versions are semver 2.0.0 ("1.2.0").
 *   - All strings are UTF-8 and NUL-terminated, at most REMBUK_PLUGIN_MAX_TEXT bytes.
 */
#ifndef REMBUK_PLUGIN_H
#define REMBUK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change to the structures or functions below. Version 2 gives a
 * validator a read-only view of the state (rembuk_state_view) instead of the whole state as
 * JSON text; a host of version 2 still loads and runs plugins of version 1 (it serialises the
 * state for them, at a cost that grows with the masterplan). */
#define REMBUK_PLUGIN_ABI_VERSION 2u
/* The oldest version a host of this header still loads. */
#define REMBUK_PLUGIN_ABI_VERSION_OLDEST 1u

/* The exported names, for hosts and for plugins written without plugin.hpp. */
#define REMBUK_PLUGIN_ABI_VERSION_SYMBOL "rembuk_plugin_abi_version"
#define REMBUK_PLUGIN_ENTRY_SYMBOL "rembuk_plugin_entry"

/* Longest string (in bytes, without the NUL) the host accepts anywhere in the ABI. */
#define REMBUK_PLUGIN_MAX_TEXT 4096u

#if defined(_WIN32)
#define REMBUK_PLUGIN_EXPORT __declspec(dllexport)
#else
#define REMBUK_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Status returned by a validator. Any other value is treated as a broken plugin. */
#define REMBUK_STATUS_OK 0    /* ran to the end; violations (if any) were reported */
#define REMBUK_STATUS_ERROR 1 /* could not decide; the command is rejected with plugin_error */

/* One element of a pillar (each of the six national dimensions has three). */
typedef struct rembuk_element {
  const char* id;      /* [a-z][a-z0-9_]{1,63}, unique within the pillar */
  const char* name_id; /* name in Indonesian, non-empty */
  const char* name_en; /* name in English, non-empty */
} rembuk_element;

/* A local-wisdom pillar the plugin adds beside the six national dimensions. */
typedef struct rembuk_pillar {
  const char* id;          /* [a-z][a-z0-9_]{1,63}; never a national dimension's id */
  const char* name_id;     /* Indonesian, non-empty */
  const char* name_en;     /* English, non-empty */
  const char* description; /* why this pillar exists; may be "" but not NULL */
  const rembuk_element* elements; /* element_count entries; at least one */
  size_t element_count;
} rembuk_pillar;

/*
 * Host callback: reports one violation of the command being validated.
 *   code        dot-separated identifiers, e.g. "payakumbuh.economy_program_needs_partner"
 *   path        JSON pointer into the call's input, "/command/..." or "/state/...", or ""
 *   message_id  for people, in Indonesian, non-empty
 *   message_en  for people, in English, non-empty
 * OWNERSHIP: all four strings are the plugin's; they need only stay valid until this call
 * returns (the host copies them). `ctx` is the host's: pass back the value received.
 * May be called any number of times (the host keeps at most 256 per call), only during the
 * validator call that received it, only from the thread that received it. A malformed
 * violation (NULL, invalid UTF-8, bad code) turns the whole call into plugin_error.
 */
typedef void (*rembuk_report_fn)(void* ctx, const char* code, const char* path,
                                 const char* message_id, const char* message_en);

/*
 * Host callback: explains why the validator is about to return REMBUK_STATUS_ERROR. The host
 * puts `reason` in the plugin_error it returns. OWNERSHIP: as for rembuk_report_fn.
 */
typedef void (*rembuk_error_fn)(void* ctx, const char* reason);

/* What the host gives a validator to answer through. OWNERSHIP: the host's, valid only for
 * the duration of the validator call. */
typedef struct rembuk_host_sink {
  void* ctx;
  rembuk_report_fn report;
  rembuk_error_fn error;
} rembuk_host_sink;

/*
 * A text the host lends: UTF-8 JSON, `size` bytes followed by a NUL (not counted).
 * `data` == NULL means "there is none" (no program with that id, ...).
 */
typedef struct rembuk_text {
  const char* data;
  size_t size;
} rembuk_text;

/* Status of a view function. */
#define REMBUK_VIEW_OK 0    /* answered (the text may still be "none": data == NULL) */
#define REMBUK_VIEW_ERROR 1 /* the host could not answer (out of memory, the isolated host is
                               gone); the validator should return REMBUK_STATUS_ERROR */

/* Called by rembuk_state_view.each_program once per program, in state order. `index` is the
 * program's position in the canonical state's "programs" (for "/state/programs/<index>").
 * `program` is valid only until this callback returns. Return 0 to go on, anything else to
 * stop the iteration. */
typedef int32_t (*rembuk_program_fn)(void* fn_ctx, rembuk_text program, size_t index);

/*
 * The masterplan's state before the command, lent by the host for the duration of one
 * validator call. Every answer is small JSON in the canonical form of docs/plugins.md ("The
 * state a validator sees"): one entity, never the whole state, so a call costs what the rule
 * reads, not what the masterplan holds. Lookups by id take O(log n) in the host.
 * OWNERSHIP: the view and every text it returns are the host's and valid only until the
 * validator call returns (each_program's text: until its callback returns). Call only from
 * the thread that received the view, only during that call. `ctx` is the host's.
 * Every function returns REMBUK_VIEW_OK or REMBUK_VIEW_ERROR.
 */
typedef struct rembuk_state_view {
  void* ctx;
  /* {"masterplan","version","exists","cityName","regionCode","startYear","endYear","rpjmd",
   *  "status","createdBy","vision","plugins"}: identity, period and status. */
  int32_t (*masterplan)(void* ctx, rembuk_text* out);
  /* How many programs the state has. */
  int32_t (*program_count)(void* ctx, size_t* out);
  /* The program with this id (as an element of "programs") and its index, or data == NULL. */
  int32_t (*find_program)(void* ctx, const char* id, size_t id_size, rembuk_text* out,
                          size_t* index);
  /* Every program, or only those whose "dimension" is `dimension` (a national dimension or
   * pillar id) when dimension_size > 0; calls `fn` for each until it returns non-zero. */
  int32_t (*each_program)(void* ctx, const char* dimension, size_t dimension_size,
                          rembuk_program_fn fn, void* fn_ctx);
  /* The OPD {"opdId","name","shortName","retired"} with this id, or data == NULL. */
  int32_t (*find_opd)(void* ctx, const char* id, size_t id_size, rembuk_text* out);
  /* The member {"userId","name","role","opdId","title"} with this user id, or data == NULL. */
  int32_t (*find_member)(void* ctx, const char* user_id, size_t user_id_size, rembuk_text* out);
  /* One top-level member of the canonical state ("missions", "opds", "comments", ...), or the
   * whole state for name_size == 0; data == NULL for an unknown name. Costs what it returns:
   * a fallback for rules that need a whole section, not the way to look one thing up. */
  int32_t (*section)(void* ctx, const char* name, size_t name_size, rembuk_text* out);
} rembuk_state_view;

/* One validator call. OWNERSHIP: the host's, valid only until the validator returns. */
typedef struct rembuk_call {
  rembuk_text command;      /* the command as submitted, a JSON object with "type" */
  rembuk_text command_type; /* its "type", e.g. "AddProgram" */
  const rembuk_state_view* state; /* the masterplan before the command */
} rembuk_call;

/*
 * A validator: receives the call (command and the view of the state) and a sink.
 *   user_data  the validator's own `user_data` from the descriptor, passed back untouched
 *   call       the command and the state view
 *   sink       where violations and error reasons go
 * OWNERSHIP: every pointer argument is the host's and valid only until the call returns.
 * Returns REMBUK_STATUS_OK (no violations reported = the plugin accepts the command) or
 * REMBUK_STATUS_ERROR.
 */
typedef int32_t (*rembuk_validate_fn)(void* user_data, const rembuk_call* call,
                                      const rembuk_host_sink* sink);

/*
 * ABI version 1's validator, still run by hosts of version 2 for plugins that export
 * rembuk_plugin_abi_version == 1 (the rest of the descriptor has the same layout): the
 * command and the whole state as JSON text, NUL-terminated. New plugins use
 * rembuk_validate_fn.
 */
typedef int32_t (*rembuk_validate_v1_fn)(void* user_data, const char* command_json,
                                         size_t command_size, const char* state_json,
                                         size_t state_size, const rembuk_host_sink* sink);

typedef struct rembuk_validator {
  const char* name;                 /* [a-z][a-z0-9_]{1,63}, unique within the plugin */
  const char* const* command_types; /* command types it wants, e.g. "AddProgram"; at least one */
  size_t command_type_count;
  rembuk_validate_fn validate;      /* non-NULL; a rembuk_validate_v1_fn in an ABI 1 plugin */
  void* user_data;                  /* the plugin's; the host only passes it back */
} rembuk_validator;

/*
 * The descriptor returned by rembuk_plugin_entry().
 * OWNERSHIP: the descriptor and everything it points to (strings, arrays, user_data) belong
 * to the plugin and must stay valid and unchanged from the return of rembuk_plugin_entry()
 * until the library is unloaded (static storage is the usual way). The host copies the
 * strings it keeps but holds `validate` and `user_data` as long as the library is loaded.
 * rembuk_plugin_entry() may be called more than once and must return equal descriptors.
 */
typedef struct rembuk_plugin_descriptor {
  uint32_t abi_version;  /* == REMBUK_PLUGIN_ABI_VERSION (checked again) */
  const char* name;      /* [a-z][a-z0-9_]{1,63}, e.g. "padang"; unique among loaded plugins */
  const char* version;   /* semver, e.g. "1.0.0" */
  const char* region_code; /* Kemendagri code of the city served, e.g. "13.71" (Kota Padang) */
  const char* region_name; /* e.g. "Kota Padang" */
  const char* description; /* one paragraph for `rembuk plugin check`; may be "" */
  const rembuk_pillar* pillars; /* pillar_count entries; may be NULL when pillar_count == 0 */
  size_t pillar_count;
  const rembuk_validator* validators; /* may be NULL when validator_count == 0 */
  size_t validator_count;
} rembuk_plugin_descriptor;

/* The entry point's type. Returns NULL if the plugin cannot describe itself. */
typedef const rembuk_plugin_descriptor* (*rembuk_plugin_entry_fn)(void);

/* What a plugin defines (declared here so that the definitions get C linkage). A host never
 * links against these; it looks them up by name in the loaded library. */
REMBUK_PLUGIN_EXPORT extern const uint32_t rembuk_plugin_abi_version;
REMBUK_PLUGIN_EXPORT const rembuk_plugin_descriptor* rembuk_plugin_entry(void);

/*
 * Defines the ABI version symbol. Use once, at file scope, beside your definition of
 *   REMBUK_PLUGIN_EXPORT const rembuk_plugin_descriptor* rembuk_plugin_entry(void) { ... }
 * (plugin.hpp's REMBUK_PLUGIN macro does both for C++ plugins).
 */
#ifdef __cplusplus
#define REMBUK_PLUGIN_LINKAGE extern "C"
#else
#define REMBUK_PLUGIN_LINKAGE /* file-scope const already has external linkage in C */
#endif
#define REMBUK_PLUGIN_DEFINE_ABI_VERSION()                        \
  REMBUK_PLUGIN_LINKAGE REMBUK_PLUGIN_EXPORT const uint32_t      \
      rembuk_plugin_abi_version = REMBUK_PLUGIN_ABI_VERSION

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* REMBUK_PLUGIN_H */
