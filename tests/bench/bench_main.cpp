// rembuk-bench: wiring only. Each scenario lives in its own *_bench.cpp (see scenarios.hpp).
#include <CLI/CLI.hpp>

#include "scenarios.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rembuk-bench: throughput and latency of rembuk's parts, one JSON line per run"};
  app.require_subcommand(1);

  rembuk::bench::add_append_scenario(app);
  rembuk::bench::add_append_postgres_scenario(app);
  rembuk::bench::add_disk_sync_scenario(app);
  rembuk::bench::add_lmdb_reference_scenario(app);
  rembuk::bench::add_ws_edits_scenario(app);
  rembuk::bench::add_fanout_scenario(app);
  rembuk::bench::add_idle_scenario(app);
  rembuk::bench::add_bare_server_command(app);
  rembuk::bench::add_replay_scenario(app);
  rembuk::bench::add_decide_scenario(app);
  rembuk::bench::add_overview_scenario(app);
  rembuk::bench::add_plugin_isolation_scenario(app);
  rembuk::bench::add_text_scenarios(app);
  rembuk::bench::add_backup_scenario(app);
  rembuk::bench::add_verify_scenario(app);
  rembuk::bench::add_national_scenario(app);
  rembuk::bench::add_plugin_scale_scenario(app);
  rembuk::bench::add_masterplan_memory_scenario(app);

  CLI11_PARSE(app, argc, argv);
  return 0;
}
