// The `rembuk` executable: wiring only. Each subcommand is in its own *_command.cpp.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "rembuk/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rembuk: collaborative drafting of a Smart City masterplan, every edit kept"};
  app.set_version_flag("--version", std::string{"rembuk "} + rembuk::version_string);
  app.require_subcommand(1);

  rembuk::cli::add_log_command(app);
  rembuk::cli::add_verify_command(app);
  rembuk::cli::add_plugin_command(app);
  rembuk::cli::add_serve_command(app);
  rembuk::cli::add_token_command(app);
  rembuk::cli::add_user_command(app);
  rembuk::cli::add_replay_command(app);
  rembuk::cli::add_history_command(app);
  rembuk::cli::add_diff_command(app);
  rembuk::cli::add_rebuild_command(app);
  rembuk::cli::add_import_command(app);
  rembuk::cli::add_export_command(app);
  rembuk::cli::add_audit_command(app);
  rembuk::cli::add_backup_command(app);
  rembuk::cli::add_restore_command(app);

  CLI11_PARSE(app, argc, argv);
  return 0;
}
