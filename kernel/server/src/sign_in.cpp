#include "sign_in.hpp"

#include <ctime>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "hub.hpp"
#include "rembuk/accounts/secret_code.hpp"
#include "rembuk/server/token.hpp"

namespace rembuk::server::sign_in {

namespace http = boost::beast::http;
namespace json = boost::json;

std::string iso_time(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

std::string cookie(std::string_view refresh_token, std::int64_t max_age_s, bool tls) {
  std::string c(kCookie);
  c += '=';
  c += refresh_token;
  c += "; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=";
  c += std::to_string(refresh_token.empty() ? 0 : max_age_s);
  if (tls) c += "; Secure";
  return c;
}

std::optional<std::string> read_cookie(const http_reply::Request& req, std::string_view name) {
  for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie;
       ++it) {
    std::string_view rest = it->value();
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

http_reply::Response answer(Hub& hub, const http_reply::Request& req,
                            const RequestContext& context, const accounts::Account& account,
                            const accounts::RefreshSession& session,
                            const std::string& refresh_token) {
  const auto& o = hub.options();
  Claims claims;
  claims.user = account.user;
  claims.roles = account.roles;
  claims.session = session.id;
  claims.issued_at = hub.now_s();
  claims.expires_at = claims.issued_at + o.access_token_ttl_s;
  json::object body;
  body["accessToken"] = issue_token(claims, o.token_secret);
  body["expiresAt"] = iso_time(claims.expires_at);
  body["expiresIn"] = o.access_token_ttl_s;
  body["user"] = account.user;
  body["displayName"] = account.display_name;
  json::array roles;
  for (const auto& r : account.roles) roles.emplace_back(r);
  body["roles"] = std::move(roles);
  body["sessionId"] = session.id;
  auto res = http_reply::make(req, http::status::ok, json::serialize(body));
  res.set(http::field::set_cookie,
          cookie(refresh_token, session.expires_at - hub.now_s(), context.tls));
  return res;
}

http_reply::Response start(Hub& hub, const http_reply::Request& req,
                           const RequestContext& context, const accounts::Account& account) {
  const auto now = hub.now_s();
  accounts::RefreshSession session;
  session.id = accounts::random_code(12);
  const std::string token = session.id + "." + accounts::random_code(32);
  session.user = account.user;
  session.token_hash = accounts::code_hash(token);
  session.created_at = now;
  session.last_used_at = now;
  session.expires_at = now + hub.options().refresh_session_ttl_s;
  session.client_address = context.client_address;
  session.user_agent = std::string(req[http::field::user_agent].substr(0, 200));
  auto created = hub.options().accounts->create_session(session);
  if (!created) {
    return http_reply::error(req, http::status::service_unavailable, "unavailable",
                             "cannot store the session: " + created.error().message);
  }
  return answer(hub, req, context, account, session, token);
}

}  // namespace rembuk::server::sign_in
