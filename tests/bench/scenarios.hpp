// The scenarios of `rembuk-bench`, one file each. A scenario adds one CLI11 subcommand that
// runs it and prints exactly one JSON line: {"scenario":"<name>", <figures>…}.
// Registering a new one is one declaration here and one line in bench_main.cpp.
#pragma once

#include <CLI/CLI.hpp>

namespace rembuk::bench {

// append: many threads append small events durably; compared with raw LMDB puts.
void add_append_scenario(CLI::App& app);
// append-postgres: the same appends on PostgreSQL as an event store (append_postgres_bench.cpp).
void add_append_postgres_scenario(CLI::App& app);

// ws-edits, fanout, idle: the WebSocket server under load (ws_bench.cpp, fanout_bench.cpp,
// idle_bench.cpp; support in ws_bench_support.cpp).
void add_ws_edits_scenario(CLI::App& app);
void add_fanout_scenario(CLI::App& app);
void add_idle_scenario(CLI::App& app);
// bare-server: not a scenario but the floor's server on its own, for `rembuk-loadgen` and
// compare.sh (bare_server_command.cpp); prints one JSON line when it listens.
void add_bare_server_command(CLI::App& app);

// replay: fold a million-event log into the document view; time travel; restart.
void add_replay_scenario(CLI::App& app);

// decide: commands/s through schema check, rules and event creation on one core.
void add_decide_scenario(CLI::App& app);

// overview: GET /api/overview, the national page over every masterplan (overview_bench.cpp).
void add_overview_scenario(CLI::App& app);

// lmdb-reference: raw durable LMDB here against the reference figures for this kind of
// machine, and the floor of a group commit on raw LMDB for the append scenario's latency
// (lmdb_reference_bench.cpp).
void add_lmdb_reference_scenario(CLI::App& app);

// disk-sync: an fdatasync's cost by where its pages are (disk_sync_bench.cpp; the file ahead).
void add_disk_sync_scenario(CLI::App& app);

// text-typing, text-transform: editors typing into one narrative field at once; the cost of
// moving a text operation over many concurrent ones (text_bench.cpp).
void add_text_scenarios(CLI::App& app);

// plugin-isolation: µs per validation, in process vs in a worker process (plugin_bench.cpp).
void add_plugin_isolation_scenario(CLI::App& app);
// plugin-scale: edits/s and latency with and without a plugin as the state grows to 5 MB
// (plugin_scale_bench.cpp).
void add_plugin_scale_scenario(CLI::App& app);

// backup: backup, verify and restore of an N-event log, events/s of each (backup_bench.cpp).
void add_backup_scenario(CLI::App& app);

// national: every masterplan of the programme on one `rembuk serve`: restart, memory with
// thousands of editors, cold subscribe, state and overview latency, verify (national_bench.cpp).
void add_national_scenario(CLI::App& app);

// verify: `rembuk verify` of a log on one thread and on every core, against cursor + SHA-256
// (verify_bench.cpp).
void add_verify_scenario(CLI::App& app);

// masterplan-memory: the heap one loaded masterplan holds, by part (masterplan_memory_bench.cpp).
void add_masterplan_memory_scenario(CLI::App& app);

}  // namespace rembuk::bench
