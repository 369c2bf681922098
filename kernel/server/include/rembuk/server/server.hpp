// Server: `rembuk serve` — WebSocket and HTTP on one port (docs/protocol.md).
//
// Many people edit one masterplan at once: each connection says hello with a token,
// subscribes to masterplans (catch-up from a version, then live events, no gap, no
// duplicate), submits commands through the CommandEngine (acked only after the durable
// commit) and shares presence. The HTTP side serves /healthz, /metrics, read-only JSON and
// the web client's static files.
//
// This header is the whole contract; Beast and Asio stay inside kernel/server/src.
//
// Thread safety: start(), stop(), wait() and port() may be called from any thread; stop()
// may be called more than once and from a signal context's handler thread. The server runs
// `ServerOptions::threads` threads of its own.
//
// Ownership: the EventLog, the CommandEngine (may be null: submits are then rejected with
// `unavailable`) and the ViewSource are borrowed and must outlive the Server. A null
// ViewSource means kernel/projections' views (or 501 for every view when the build has none).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "rembuk/common/result.hpp"

namespace rembuk::store {
class EventLog;
}
namespace rembuk::engine {
class CommandEngine;
}
namespace rembuk::model {
class Extensions;
}
namespace rembuk::accounts {
class AccountStore;
}

namespace rembuk::server {

class ViewSource;

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see Server::port())
  unsigned threads = 0;       // 0: one per core
  std::string static_dir;     // web client files; empty: none
  std::string token_secret;   // HS256 secret (raw bytes); REQUIRES: not empty
  // TLS (docs/security.md, "TLS"): PEM files of the certificate chain and its private key.
  // Both set: the port speaks only https:// and wss://. Both empty: plain HTTP/WebSocket.
  std::string tls_cert_file;
  std::string tls_key_file;

  // Limits (docs/protocol.md, "Limits").
  std::size_t max_frame_bytes = 256 * 1024;
  double commands_per_second = 200;
  std::size_t send_queue_limit = 1024;
  std::size_t send_queue_bytes = 8u << 20;
  std::chrono::milliseconds idle_timeout{120'000};
  std::chrono::milliseconds hello_timeout{10'000};
  // An HTTP request (headers and body, or the WebSocket upgrade) must arrive whole within
  // this time, and a keep-alive connection may idle this long between requests: a client
  // that drips its headers (slowloris) is cut off here.
  std::chrono::milliseconds http_request_timeout{10'000};
  std::size_t max_connections = 20'000;
  std::size_t max_subscriptions_per_connection = 64;
  std::chrono::milliseconds presence_ttl{30'000};
  std::uint64_t snapshot_threshold = 1000;
  std::size_t max_focus_bytes = 1024;
  // How long shutdown waits for in-flight commits before closing sockets anyway.
  std::chrono::milliseconds shutdown_grace{10'000};

  // Seconds since the epoch, for token expiry. Empty: the system clock.
  std::function<std::int64_t()> clock_s;

  // More lines for GET /metrics, in the Prometheus text format, rendered at each request
  // (e.g. the age of the last good scheduled backup). Called on a server thread; empty: none.
  std::function<std::string()> extra_metrics;
  // People (docs/security.md, "Accounts"): the account store, borrowed; null: only service
  // tokens sign in and /api/auth/*, /api/invitations and /api/users answer 501.
  accounts::AccountStore* accounts = nullptr;
  std::int64_t access_token_ttl_s = 15 * 60;
  std::int64_t refresh_session_ttl_s = 14 * 86400;  // sliding: each refresh extends it
  std::int64_t invitation_ttl_s = 7 * 86400;        // when a request names no expiresIn
  std::int64_t max_invitation_ttl_s = 90 * 86400;
  // Argon2id cost (libsodium units); 0: libsodium's "interactive" limits. Tests lower it.
  std::uint64_t password_operations = 0;
  std::size_t password_memory_bytes = 0;
  // Sign-in limits: failures free per account / per client address before the delays grow
  // (1 s, 2 s, 4 s … at most 15 min).
  int sign_in_free_failures_per_account = 5;
  int sign_in_free_failures_per_address = 20;
  // How often the account store's change counter is read: a disabled account's connections
  // are closed within this time (also when `rembuk user disable` ran in another process).
  std::chrono::milliseconds accounts_poll{200};
  // The city's own identity provider (docs/security.md, "Bring the city's own login"): its
  // RS256/ES256 tokens are accepted in hello and HTTP like rembuk's own, for a person.
  // Empty issuer: none. `oidc_jwks`: a JWKS file, or an http(s):// URL.
  std::string oidc_issuer;
  std::string oidc_audience;
  std::string oidc_jwks;
  std::string oidc_user_claim = "sub";
  std::string oidc_roles_claim = "roles";
  std::string oidc_opd_claim = "opd";

  // Where invitation links point ("https://rembuk.padang.go.id/"); empty: the request's Host.
  std::string public_url;

  // The plugin host (borrowed, may be null): the default views name the pillars of the
  // enabled plugins with it (docs/projections.md, "Order and layout rules").
  const model::Extensions* extensions = nullptr;
};

// Reads a JSON config file (keys of docs/protocol.md "Limits", plus "listen",
// "staticDir", "threads", "tlsCert", "tlsKey", "publicUrl", "accessTokenTtlS",
// "refreshSessionTtlS", "invitationTtlS", "oidcIssuer", "oidcAudience", "oidcJwks",
// "oidcUserClaim", "oidcRolesClaim", "oidcOpdClaim") over `base`. An error names the file and the
// bad key.
Result<ServerOptions, std::string> load_options_file(const std::string& path,
                                                     ServerOptions base);

// Parses "HOST:PORT" (e.g. "127.0.0.1:8080", "[::1]:0") into `options`.
Result<Unit, std::string> parse_listen(const std::string& text, ServerOptions& options);

class Server {
 public:
  // REQUIRES: `log` outlives the server; `engine` and `views` outlive it when not null.
  Server(ServerOptions options, store::EventLog& log, engine::CommandEngine* engine,
         ViewSource* views = nullptr);
  ~Server();  // stop() and wait()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. An error says why (e.g. address in use).
  Result<Unit, std::string> start();

  // The bound port (after start()).
  std::uint16_t port() const;

  // "https" with TLS configured, else "http" (for the address a CLI prints).
  const char* scheme() const;

  // Graceful stop (docs/protocol.md, "Shutdown"): stop accepting, reject new submits with
  // `unavailable`, let in-flight commits finish and be acked, close every socket with 1001,
  // then let the threads end. Returns at once; wait() blocks until done.
  void stop();

  // Blocks until the server has stopped (after stop(), or a signal when
  // handle_signals was requested).
  void wait();

  // Installs SIGINT/SIGTERM handling that calls stop(); call before start().
  void handle_signals();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rembuk::server
