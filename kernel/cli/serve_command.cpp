// `rembuk serve [--data DIR] [--store postgres://…] [--listen HOST:PORT] [--plugins DIR] [--config FILE]
// [--static DIR] [--backup-every 24h --backup-dir D --backup-keep 14] [--unload-idle-after 10m]
// [--oidc-issuer URL --oidc-audience AUD --oidc-jwks FILE_OR_URL]`: wiring only — opens the log,
// the plugin host, the command engine, the accounts and the backup schedule, and runs the
// server until SIGTERM/SIGINT (docs/protocol.md, "Shutdown"); exit 0.
#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "archive_support.hpp"
#include "commands.hpp"
#include "rembuk/accounts/open_account_store.hpp"
#include "rembuk/server/server.hpp"
#include "rembuk/server/token.hpp"
#include "rembuk/store/backup_schedule.hpp"
#include "rembuk/store/open_event_log.hpp"
#include "rembuk/version.hpp"

#if __has_include("rembuk/engine/command_engine.hpp")
#include "rembuk/engine/command_engine.hpp"
#define REMBUK_SERVE_HAVE_ENGINE 1
#else
#define REMBUK_SERVE_HAVE_ENGINE 0
#endif
#if __has_include("rembuk/audit/checkpointer.hpp")
#include "rembuk/audit/checkpointer.hpp"
#define REMBUK_SERVE_HAVE_AUDIT 1
#else
#define REMBUK_SERVE_HAVE_AUDIT 0
#endif
#if __has_include("rembuk/plugins/plugin_host.hpp") && __has_include("rembuk/model/dimensions.hpp")
#include "rembuk/model/dimensions.hpp"
#include "rembuk/plugins/hangup_reload.hpp"
#include "rembuk/plugins/plugin_host.hpp"
#define REMBUK_SERVE_HAVE_PLUGINS 1
#else
#define REMBUK_SERVE_HAVE_PLUGINS 0
#endif

namespace rembuk::cli {

namespace {

struct ServeArgs {
  std::string data = "./rembuk-data";
  std::string store;  // empty: LMDB in `data`; postgres://…: shared by several nodes
  std::string listen = "127.0.0.1:8080";
  std::string plugins;
  std::string config;
  std::string static_dir;
  std::uint64_t checkpoint_every = 100;
  std::uint64_t checkpoint_pace_ms = 50;
  std::string tls_cert;
  std::string tls_key;
  // Scheduled backups (docs/operations.md): empty `backup_every` means none.
  std::string backup_every;
  std::string backup_dir;
  std::size_t backup_keep = 14;
  std::string oidc_issuer;
  std::string oidc_audience;
  std::string oidc_jwks;
  std::string public_url;
  std::string unload_idle_after = "10m";
};

[[noreturn]] void refuse(const std::string& why, int code = 2) {
  std::fprintf(stderr, "rembuk serve: %s\n", why.c_str());
  throw CLI::RuntimeError(code);
}

// jemalloc (rembuk is linked with it when it is installed, cmake/dependencies.cmake) hands
// freed pages back to the system only while the program keeps allocating, unless its
// background thread runs: the masterplans an idle server let go (--unload-idle-after) stayed
// resident, 1,333 of 1,790 MB of heap on the national fixture against 622 MB with the thread
// (docs/performance.md). Turned on here, not for every subcommand: a plugin worker must stay
// one thread under its seccomp filter. Without jemalloc there is no mallctl, and nothing to do.
void purge_freed_memory_in_the_background() {
  using Mallctl = int (*)(const char*, void*, std::size_t*, void*, std::size_t);
  auto* mallctl = reinterpret_cast<Mallctl>(::dlsym(RTLD_DEFAULT, "mallctl"));
  if (mallctl == nullptr) return;
  bool on = true;
  if (mallctl("background_thread", nullptr, nullptr, &on, sizeof on) != 0) {
    std::fprintf(stderr, "rembuk serve: jemalloc's background thread did not start; freed "
                         "memory is returned more slowly\n");
  }
}

bool is_loopback(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address == "::1" || address == "localhost";
}

void serve(const ServeArgs& args) {
  purge_freed_memory_in_the_background();
  server::ServerOptions options;
  if (!args.config.empty()) {
    auto loaded = server::load_options_file(args.config, options);
    if (!loaded) refuse(loaded.error());
    options = std::move(loaded.value());
  }
  if (auto r = server::parse_listen(args.listen, options); !r) refuse(r.error());
  if (!args.static_dir.empty()) options.static_dir = args.static_dir;
  if (!args.tls_cert.empty()) options.tls_cert_file = args.tls_cert;
  if (!args.tls_key.empty()) options.tls_key_file = args.tls_key;
  if (!args.oidc_issuer.empty()) options.oidc_issuer = args.oidc_issuer;
  if (!args.oidc_audience.empty()) options.oidc_audience = args.oidc_audience;
  if (!args.oidc_jwks.empty()) options.oidc_jwks = args.oidc_jwks;
  if (!args.public_url.empty()) options.public_url = args.public_url;

  auto secret = server::load_or_create_secret(args.data);
  if (!secret) refuse(secret.error());
  options.token_secret = *secret;

  // People's accounts, apart from the log but where it is: in its PostgreSQL database, so
  // every node sees the same people, or in DATA/accounts (docs/security.md, "Accounts").
  const store::StoreLocation location{args.store, args.data};
  auto account_store = accounts::open_account_store(args.store, args.data);
  if (!account_store) {
    refuse("cannot open the accounts in " + store::describe(location) + ": " +
           account_store.error().message);
  }
  options.accounts = account_store->get();

  auto log = store::open_event_log(location);
  if (!log) refuse("cannot open the log in " + store::describe(location) + ": " + log.error().message);

#if REMBUK_SERVE_HAVE_AUDIT
  // Signed checkpoints (docs/audit.md): the key beside the data, made at first start.
  auto audit_key = audit::SigningKey::load_or_create(args.data);
  if (!audit_key) refuse(audit_key.error().message);
  std::fprintf(stderr, "rembuk serve: checkpoints signed with Ed25519 key %s\n",
               audit_key->key_id().c_str());
  audit::CheckpointOptions checkpoint_options;
  checkpoint_options.every = args.checkpoint_every;
  checkpoint_options.pace = std::chrono::milliseconds(args.checkpoint_pace_ms);
  auto checkpointer =
      audit::Checkpointer::start(**log, std::move(*audit_key), checkpoint_options);
  if (!checkpointer) refuse(checkpointer.error().message);
#endif

  // Scheduled backups: of the open log itself (LMDB) or through a connection of their own
  // (PostgreSQL); /metrics shows the age of the last good one.
  std::unique_ptr<store::BackupSchedule> backups;
  if (!args.backup_every.empty() || !args.backup_dir.empty()) {
    const auto every = store::parse_backup_interval(args.backup_every);
    if (!every) refuse("--backup-every takes a duration such as 24h, 30m, 90s or 7d");
    if (args.backup_dir.empty()) refuse("--backup-every needs --backup-dir");
    auto keys = read_archive_keys(args.data, false);
    if (!keys) refuse(keys.error());
    store::BackupOptions backup_options;
    backup_options.rembuk_version = version_string;
    backup_options.keys = std::move(*keys);
    store::BackupScheduleOptions schedule;
    schedule.every = *every;
    schedule.dir = args.backup_dir;
    schedule.keep = args.backup_keep;
    store::EventLog* served = log->get();
    const auto where = archive_store(args.data, args.store);
    schedule.make = [served, where, backup_options](const std::string& path) {
      return where.postgres ? store::write_archive(where, path, backup_options)
                            : store::write_archive(*served, path, backup_options);
    };
    schedule.report = [](const std::string& line) {
      std::fprintf(stderr, "rembuk serve: %s\n", line.c_str());
    };
    auto started = store::BackupSchedule::start(std::move(schedule));
    if (!started) refuse(started.error().message);
    backups = std::move(started).value();
  }
  // /metrics: the log's commits and where an ack's time goes (docs/operations.md), and the
  // age of the last good backup when backups are scheduled.
  options.extra_metrics = [served = log->get(), schedule = backups.get()] {
    std::string text = store::commit_metrics_text(*served);
    if (schedule != nullptr) text += schedule->metrics_text();
    return text;
  };

  const model::Extensions* extensions = nullptr;
#if REMBUK_SERVE_HAVE_PLUGINS
  std::unique_ptr<plugins::PluginHost> host;
  std::unique_ptr<plugins::HangupReload> reloader;  // destroyed before the host
  if (!args.plugins.empty()) {
    plugins::HostOptions host_options;
    for (const auto& d : model::national_dimensions()) {
      host_options.national_pillar_ids.push_back(d.id);
    }
    // City plugins run isolated (worker processes under seccomp) unless the config trusts
    // one in process: docs/plugins.md, "Isolated by default".
    host_options.isolate_by_default = true;
    if (!args.config.empty()) {  // its "plugins" object: isolation, budget (docs/plugins.md)
      if (auto read = plugins::read_plugin_config(args.config, host_options); !read) {
        refuse(read.error());
      }
    }
    // An isolated plugin's workers are this same executable: `rembuk plugin worker`.
    std::error_code no_proc;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", no_proc);
    host_options.worker_command = {no_proc ? std::string("rembuk") : self.string(), "plugin",
                                   "worker"};
    // Staged copies of the libraries live beside the log, not in a possibly noexec /tmp.
    host_options.load.staging_dir = std::filesystem::path(args.data) / "plugin-staging";
    host = std::make_unique<plugins::PluginHost>(host_options);
    const auto report = host->load_directory(args.plugins);
    for (const auto& p : report.loaded) {
      std::fprintf(stderr, "rembuk serve: plugin %s %s loaded\n", p.name.c_str(),
                   p.version.c_str());
    }
    for (const auto& refused : report.refused) {
      std::fprintf(stderr, "rembuk serve: plugin refused: %s\n", refused.line().c_str());
    }
    for (const auto& p : host->plugins()) {
      std::fprintf(stderr, "rembuk serve: plugin %s %s\n", p->name().c_str(),
                   host->is_isolated(p->name()) ? "isolated in worker processes"
                                                : "in process (trusted)");
    }
    extensions = host.get();
    // SIGHUP (or `rembuk plugin reload --data DIR`) reloads the plugins in place.
    auto hangup = plugins::HangupReload::start(*host, args.data, [](const plugins::LoadReport& r) {
      for (const auto& line : plugins::report_lines(r)) {
        std::fprintf(stderr, "rembuk serve: reload: %s\n", line.c_str());
      }
    });
    if (!hangup) refuse(hangup.error());
    reloader = std::move(hangup).value();
  }
#else
  if (!args.plugins.empty()) refuse("this build has no plugin host");
#endif

  engine::CommandEngine* engine_ptr = nullptr;
#if REMBUK_SERVE_HAVE_ENGINE
  engine::EngineOptions engine_options;
  const auto unload_after = args.unload_idle_after == "0"
                                ? std::optional<std::chrono::seconds>(0)
                                : server::parse_duration(args.unload_idle_after);
  if (!unload_after) {
    refuse("--unload-idle-after: '" + args.unload_idle_after +
           "' is not a duration (10m, 1h, 90s; 0: never)");
  }
  engine_options.unload_idle_after = *unload_after;
  auto engine = std::make_unique<engine::CommandEngine>(**log, extensions, engine_options);
  engine_ptr = engine.get();
  options.extra_metrics = [before = std::move(options.extra_metrics), engine = engine_ptr] {
    return before() +
           "# HELP rembuk_masterplans_loaded Masterplans whose state is in memory.\n"
           "# TYPE rembuk_masterplans_loaded gauge\n"
           "rembuk_masterplans_loaded " + std::to_string(engine->loaded_masterplans()) + "\n";
  };
#else
  (void)extensions;
  std::fprintf(stderr, "rembuk serve: built without the command engine; submits are refused\n");
#endif

  options.extensions = extensions;  // names plugin pillars in the HTTP views
  {
    server::Server server(options, **log, engine_ptr);
    server.handle_signals();
    if (auto started = server.start(); !started) refuse(started.error());
    std::fprintf(stderr, "rembuk serve: listening on %s://%s:%u (data %s)\n", server.scheme(),
                 options.listen_address.c_str(), static_cast<unsigned>(server.port()),
                 args.data.c_str());
    if (is_loopback(options.listen_address)) {
      server::Claims admin;
      admin.user = "dev-admin";
      admin.roles = {"admin"};
      admin.issued_at = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
      admin.expires_at = admin.issued_at + 8 * 3600;
      std::printf("development admin token (8h): %s\n",
                  server::issue_token(admin, options.token_secret).c_str());
      std::fflush(stdout);
    }
    server.wait();
  }  // the server is gone before the engine and the log
#if REMBUK_SERVE_HAVE_ENGINE
  engine.reset();
#endif
  if (backups) backups->stop();  // a backup in progress finishes first
#if REMBUK_SERVE_HAVE_AUDIT
  (*checkpointer)->stop();  // before the log closes
#endif
  (*log)->close();
  std::fprintf(stderr, "rembuk serve: stopped\n");
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto* command = app.add_subcommand("serve", "Serve masterplans over WebSocket and HTTP");
  auto args = std::make_shared<ServeArgs>();
  command->add_option("--data", args->data, "Folder of the event log and the token secret")
      ->capture_default_str();
  command->add_option("--store", args->store,
                      "postgres://… : keep the log and the accounts in PostgreSQL, shared by "
                      "several nodes");
  command->add_option("--listen", args->listen, "HOST:PORT to listen on")->capture_default_str();
  command->add_option("--plugins", args->plugins, "Folder of city plugins (*.so)");
  command->add_option("--checkpoint-every", args->checkpoint_every,
                      "Sign a checkpoint every N events of a masterplan (0: only at status "
                      "changes)")
      ->capture_default_str();
  command->add_option("--checkpoint-pace-ms", args->checkpoint_pace_ms,
                      "Milliseconds between the checkpointer's reads of new events (0: after "
                      "every commit)")
      ->capture_default_str();
  command->add_option("--config", args->config, "JSON file of limits (docs/protocol.md)");
  command->add_option("--static", args->static_dir, "Folder of the web client's files");
  command->add_option("--tls-cert", args->tls_cert,
                      "PEM certificate chain: serve https:// and wss:// (with --tls-key)");
  command->add_option("--tls-key", args->tls_key, "PEM private key of --tls-cert");
  command->add_option("--backup-every", args->backup_every,
                      "Write an archive on a schedule: 24h, 30m, 90s, 7d (with --backup-dir)");
  command->add_option("--backup-dir", args->backup_dir, "Folder of the scheduled archives");
  command->add_option("--backup-keep", args->backup_keep,
                      "Scheduled archives kept (older ones are deleted)")
      ->capture_default_str();
  command->add_option("--oidc-issuer", args->oidc_issuer,
                      "Accept RS256/ES256 tokens of this OpenID Connect issuer (docs/security.md)");
  command->add_option("--oidc-audience", args->oidc_audience, "The audience they must name");
  command->add_option("--oidc-jwks", args->oidc_jwks,
                      "The issuer's key set: a JWKS file or an http(s):// URL");
  command->add_option("--public-url", args->public_url,
                      "The editor's address in invitation links (default: the request's Host)");
  command->add_option("--unload-idle-after", args->unload_idle_after,
                      "Free a masterplan's memory once it is unused this long (10m, 1h; 0: "
                      "never); its next use loads it from the log")
      ->capture_default_str();
  command->callback([args] { serve(*args); });
}

}  // namespace rembuk::cli
