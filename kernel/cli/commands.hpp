// Each `rembuk` subcommand lives in its own file and registers itself on the app here.
// A command reports failure by throwing CLI::RuntimeError(exit_code) after printing why.
#pragma once

#include <CLI/CLI.hpp>

namespace rembuk::cli {

void add_log_command(CLI::App& app);
void add_verify_command(CLI::App& app);
void add_plugin_command(CLI::App&);
void add_serve_command(CLI::App& app);
void add_token_command(CLI::App& app);
void add_user_command(CLI::App& app);
void add_replay_command(CLI::App& app);
void add_history_command(CLI::App& app);
void add_diff_command(CLI::App& app);
void add_rebuild_command(CLI::App& app);
void add_import_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_audit_command(CLI::App& app);
void add_backup_command(CLI::App& app);
void add_restore_command(CLI::App& app);

}  // namespace rembuk::cli
