// ServerOptions from a JSON config file and from "HOST:PORT".
#include <charconv>
#include <fstream>
#include <iterator>

#include <boost/json.hpp>

#include "rembuk/server/server.hpp"

namespace rembuk::server {

namespace json = boost::json;

Result<Unit, std::string> parse_listen(const std::string& text, ServerOptions& options) {
  std::string host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return fail(std::string("--listen takes HOST:PORT, e.g. [::1]:8080"));
    }
    host = text.substr(1, close - 1);
    port_text = std::string_view(text).substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return fail(std::string("--listen takes HOST:PORT, e.g. 127.0.0.1:8080"));
    host = text.substr(0, colon);
    port_text = std::string_view(text).substr(colon + 1);
  }
  unsigned port = 0;
  const auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port > 65535 ||
      host.empty()) {
    return fail("--listen: bad port or host in '" + text + "'");
  }
  options.listen_address = host;
  options.port = static_cast<std::uint16_t>(port);
  return Unit{};
}

Result<ServerOptions, std::string> load_options_file(const std::string& path, ServerOptions base) {
  std::ifstream in(path);
  if (!in) return fail("cannot read config file " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return fail(path + ": not a JSON object");
  for (const auto& [key, value] : root.as_object()) {
    const std::string k(key);
    if (k == "plugins") continue;  // the plugin host reads it (plugins::read_plugin_config)
    auto number = [&](auto& out) -> bool {
      auto n = json::try_value_to<double>(value);
      if (!n || *n < 0) return false;
      out = static_cast<std::remove_reference_t<decltype(out)>>(*n);
      return true;
    };
    auto millis = [&](std::chrono::milliseconds& out) -> bool {
      double n = 0;
      if (!number(n)) return false;
      out = std::chrono::milliseconds(static_cast<std::int64_t>(n));
      return true;
    };
    bool ok = true;
    if (k == "listen") {
      if (!value.is_string()) return fail(path + ": \"listen\" must be a string");
      if (auto r = parse_listen(std::string(value.as_string()), base); !r) {
        return fail(path + ": " + r.error());
      }
    } else if (k == "staticDir") {
      if (!value.is_string()) return fail(path + ": \"staticDir\" must be a string");
      base.static_dir = std::string(value.as_string());
    } else if (k == "tlsCert" || k == "tlsKey") {
      if (!value.is_string()) return fail(path + ": \"" + k + "\" must be a string");
      (k == "tlsCert" ? base.tls_cert_file : base.tls_key_file) = std::string(value.as_string());
    } else if (k == "publicUrl") {
      if (!value.is_string()) return fail(path + ": \"publicUrl\" must be a string");
      base.public_url = std::string(value.as_string());
    } else if (k.rfind("oidc", 0) == 0) {
      std::string* target = k == "oidcIssuer"       ? &base.oidc_issuer
                            : k == "oidcAudience"   ? &base.oidc_audience
                            : k == "oidcJwks"       ? &base.oidc_jwks
                            : k == "oidcUserClaim"  ? &base.oidc_user_claim
                            : k == "oidcRolesClaim" ? &base.oidc_roles_claim
                            : k == "oidcOpdClaim"   ? &base.oidc_opd_claim
                                                    : nullptr;
      if (target == nullptr) return fail(path + ": unknown key \"" + k + "\"");
      if (!value.is_string()) return fail(path + ": \"" + k + "\" must be a string");
      *target = std::string(value.as_string());
    } else if (k == "accessTokenTtlS") {
      ok = number(base.access_token_ttl_s) && base.access_token_ttl_s > 0;
    } else if (k == "refreshSessionTtlS") {
      ok = number(base.refresh_session_ttl_s) && base.refresh_session_ttl_s > 0;
    } else if (k == "invitationTtlS") {
      ok = number(base.invitation_ttl_s) && base.invitation_ttl_s > 0;
    } else if (k == "threads") {
      ok = number(base.threads);
    } else if (k == "maxFrameBytes") {
      ok = number(base.max_frame_bytes);
    } else if (k == "commandsPerSecond") {
      ok = number(base.commands_per_second);
    } else if (k == "sendQueueLimit") {
      ok = number(base.send_queue_limit);
    } else if (k == "sendQueueBytes") {
      ok = number(base.send_queue_bytes);
    } else if (k == "idleTimeoutMs") {
      ok = millis(base.idle_timeout);
    } else if (k == "helloTimeoutMs") {
      ok = millis(base.hello_timeout);
    } else if (k == "httpRequestTimeoutMs") {
      ok = millis(base.http_request_timeout);
    } else if (k == "maxConnections") {
      ok = number(base.max_connections);
    } else if (k == "maxSubscriptionsPerConnection") {
      ok = number(base.max_subscriptions_per_connection);
    } else if (k == "presenceTtlMs") {
      ok = millis(base.presence_ttl);
    } else if (k == "snapshotThreshold") {
      ok = number(base.snapshot_threshold);
    } else {
      return fail(path + ": unknown key \"" + k + "\"");
    }
    if (!ok) return fail(path + ": \"" + k + "\" must be a number >= 0");
  }
  return base;
}

}  // namespace rembuk::server
