// bare-server: the bare server (bare_server.hpp) on its own, for load generators in other
// processes (`rembuk-loadgen`, compare.sh's floor row). It prints one JSON line when it
// listens, {"scenario":"bare-server","port":…,"url":"ws://127.0.0.1:…/ws"}, and serves until
// it is killed. The data folder is the caller's: nothing is removed.
#include <cstdio>
#include <filesystem>
#include <string>

#include "bare_server.hpp"
#include "scenarios.hpp"

namespace rembuk::bench {

void add_bare_server_command(CLI::App& app) {
  struct Args {
    std::string data;
    BareServerOptions server;
  };
  auto args = std::make_shared<Args>();
  auto* command = app.add_subcommand(
      "bare-server",
      "Serve the bare server (Beast, JSON and raw durable LMDB only): the floor rembuk's "
      "server is measured against");
  command->add_option("--data", args->data, "Folder for its raw LMDB file (created)")->required();
  command->add_option("--port", args->server.port, "Port on 127.0.0.1 (0: a free one)")
      ->capture_default_str();
  command->add_option("--threads", args->server.threads, "io threads (0: one per core)")
      ->capture_default_str();
  command->add_flag("--nosync", args->server.nosync, "LMDB without fsync (not durable)");
  command->callback([args] {
    std::filesystem::create_directories(args->data);
    run_bare_server(args->server, args->data, [](std::uint16_t port) {
      std::printf("{\"scenario\":\"bare-server\",\"port\":%u,\"url\":\"ws://127.0.0.1:%u/ws\"}\n",
                  port, port);
      std::fflush(stdout);
    });
  });
}

}  // namespace rembuk::bench
