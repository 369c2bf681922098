#include "auth_routes.hpp"

#include <algorithm>
#include <cstdio>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "access.hpp"
#include "bearer.hpp"
#include "hub.hpp"
#include "json_body.hpp"
#include "rembuk/accounts/account_store.hpp"
#include "rembuk/accounts/password.hpp"
#include "rembuk/accounts/secret_code.hpp"
#include "sign_in.hpp"

namespace rembuk::server::auth_routes {

namespace http = boost::beast::http;
namespace json = boost::json;
using http_reply::error;
using http_reply::make;
using http_reply::Request;
using http_reply::Response;

namespace {

// The server's log names people by user id and addresses, never a password, token, code
// or cookie (docs/security.md, "Secrets never in logs").
void log_line(const std::string& line) {
  std::fprintf(stderr, "rembuk serve: %s\n", line.c_str());
}

std::string loggable_user(std::string_view user) {
  return accounts::valid_user_id(user) ? "'" + std::string(user) + "'" : "(an invalid user id)";
}

Response limited(const Request& req, std::int64_t retry_after) {
  auto res = error(req, http::status::too_many_requests, "rate_limited",
                   "too many failed sign-ins; try again in " + std::to_string(retry_after) +
                       " s");
  res.set(http::field::retry_after, std::to_string(retry_after));
  return res;
}

Response with_cleared_cookie(Response res, const RequestContext& context) {
  res.set(http::field::set_cookie, sign_in::cookie("", 0, context.tls));
  return res;
}

Response login(Hub& hub, const Request& req, const RequestContext& context) {
  auto* accounts = hub.options().accounts;
  std::optional<Response> problem;
  auto body = JsonBody::parse(req, sign_in::kBodyLimit, problem);
  if (!body) return std::move(*problem);
  const auto user = body->text("user", 1, 256, true);
  if (body->problem()) return std::move(*body->problem());
  const auto password = body->text("password", 1, accounts::kMaxPasswordLength, true);
  if (body->problem()) return std::move(*body->problem());

  const auto now = hub.now_s();
  const std::string user_key = "user:" + *user;
  const std::string address_key = "address:" + context.client_address;
  const auto wait = std::max(hub.account_limiter().retry_after(user_key, now),
                             hub.address_limiter().retry_after(address_key, now));
  if (wait > 0) return limited(req, wait);

  auto found = accounts->find_account(*user);
  if (!found) {
    return error(req, http::status::service_unavailable, "unavailable",
                 "cannot read the accounts: " + found.error().message);
  }
  const auto cost = hub.password_cost();
  // An unknown user costs the same verification as a wrong password: same answer, same time.
  const bool known = found->has_value() && !(*found)->password_hash.empty();
  const std::string& hash = known ? (*found)->password_hash : accounts::decoy_hash(cost);
  const bool matches = accounts::verify_password(hash, *password) && known;
  if (!matches) {
    hub.account_limiter().failed(user_key, now);
    hub.address_limiter().failed(address_key, now);
    log_line("sign-in refused for " + loggable_user(*user) + " from " + context.client_address);
    return error(req, http::status::unauthorized, "invalid_credentials",
                 "wrong user or password / pengguna atau kata sandi salah");
  }
  hub.account_limiter().succeeded(user_key);
  const auto& account = **found;
  if (account.disabled()) {
    log_line("sign-in of disabled account " + loggable_user(account.user) + " refused");
    return error(req, http::status::forbidden, "account_disabled",
                 "this account is disabled / akun ini dinonaktifkan");
  }
  log_line("signed in: " + loggable_user(account.user) + " from " + context.client_address);
  return sign_in::start(hub, req, context, account);
}

Response refresh(Hub& hub, const Request& req, const RequestContext& context) {
  auto* accounts = hub.options().accounts;
  const auto token = sign_in::read_cookie(req, sign_in::kCookie);
  if (!token || token->empty()) {
    return error(req, http::status::unauthorized, "missing_refresh",
                 "no refresh cookie; sign in again");
  }
  const auto dot = token->find('.');
  if (dot == std::string::npos || dot == 0 || token->size() > 200) {
    return with_cleared_cookie(error(req, http::status::unauthorized, "invalid_refresh",
                                     "the refresh cookie is not valid; sign in again"),
                               context);
  }
  const std::string session_id = token->substr(0, dot);
  const std::string next = session_id + "." + accounts::random_code(32);
  const auto now = hub.now_s();
  auto rotated = accounts->rotate_session(session_id, accounts::code_hash(*token),
                                          accounts::code_hash(next), now,
                                          now + hub.options().refresh_session_ttl_s);
  if (!rotated) {
    return error(req, http::status::service_unavailable, "unavailable",
                 "cannot read the sessions: " + rotated.error().message);
  }
  switch (rotated->rotation) {
    case accounts::Rotation::unknown:
      return with_cleared_cookie(error(req, http::status::unauthorized, "invalid_refresh",
                                       "the refresh cookie is not valid; sign in again"),
                                 context);
    case accounts::Rotation::reused:
      log_line("refresh token reused: session " + session_id + " of " +
               loggable_user(rotated->session.user) + " ended (from " + context.client_address +
               ")");
      return with_cleared_cookie(
          error(req, http::status::unauthorized, "refresh_reused",
                "this refresh token was already used; the session was ended for safety"),
          context);
    case accounts::Rotation::inactive:
      return with_cleared_cookie(error(req, http::status::unauthorized, "session_ended",
                                       "the session ended; sign in again"),
                                 context);
    case accounts::Rotation::rotated: break;
  }
  auto account = accounts->find_account(rotated->session.user);
  if (!account || !account->has_value() || (*account)->disabled()) {
    return with_cleared_cookie(error(req, http::status::unauthorized, "session_ended",
                                     "the account is disabled; the session ended"),
                               context);
  }
  return sign_in::answer(hub, req, context, **account, rotated->session, next);
}

Response logout(Hub& hub, const Request& req, const RequestContext& context) {
  auto* accounts = hub.options().accounts;
  std::string session_id;
  if (const auto token = sign_in::read_cookie(req, sign_in::kCookie)) {
    session_id = token->substr(0, token->find('.'));
  } else if (const auto claims = bearer_claims(hub, req); claims && claims->person()) {
    session_id = claims->session;
  }
  if (!session_id.empty()) {
    auto revoked = accounts->revoke_session(session_id, "logout", hub.now_s());
    if (revoked) log_line("signed out: " + loggable_user(revoked->user));
  }
  return with_cleared_cookie(make(req, http::status::ok, R"({"signedOut":true})"), context);
}

json::object session_json(const accounts::RefreshSession& s, const Claims& claims,
                          std::int64_t now) {
  json::object o;
  o["id"] = s.id;
  o["active"] = s.active(now);
  o["current"] = s.id == claims.session;
  o["createdAt"] = sign_in::iso_time(s.created_at);
  o["lastUsedAt"] = sign_in::iso_time(s.last_used_at);
  o["expiresAt"] = sign_in::iso_time(s.expires_at);
  if (s.revoked_at != 0) {
    o["endedAt"] = sign_in::iso_time(s.revoked_at);
    o["endedBecause"] = s.revoked_reason;
  }
  o["clientAddress"] = s.client_address;
  o["userAgent"] = s.user_agent;
  return o;
}

Response sessions(Hub& hub, const Request& req, std::string_view rest) {
  auto claims = bearer_claims(hub, req);
  if (!claims) return unauthorized(req);
  if (!claims->person()) {
    return error(req, http::status::forbidden, "not_a_person",
                 "a service token has no sign-in sessions");
  }
  auto* accounts = hub.options().accounts;
  const auto now = hub.now_s();
  if (rest.empty()) {
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      return error(req, http::status::method_not_allowed, "method_not_allowed", "GET only");
    }
    auto listed = accounts->list_sessions(claims->user);
    if (!listed) {
      return error(req, http::status::service_unavailable, "unavailable", listed.error().message);
    }
    json::array out;
    for (const auto& s : *listed) out.push_back(session_json(s, *claims, now));
    return make(req, http::status::ok, json::serialize(json::object{{"sessions", std::move(out)}}));
  }
  if (req.method() != http::verb::delete_) {
    return error(req, http::status::method_not_allowed, "method_not_allowed", "DELETE only");
  }
  const auto id = http_reply::url_decode(rest, false);
  auto found = id ? accounts->find_session(*id) : accounts::AccountResult<
                                                      std::optional<accounts::RefreshSession>>(
                                                      std::optional<accounts::RefreshSession>{});
  if (!found) {
    return error(req, http::status::service_unavailable, "unavailable", found.error().message);
  }
  // Someone else's session is as unknown as a missing one.
  if (!*found || (*found)->user != claims->user) {
    return error(req, http::status::not_found, "session_not_found", "no such session of yours");
  }
  auto revoked = accounts->revoke_session(*id, "ended", now);
  if (!revoked) {
    return error(req, http::status::service_unavailable, "unavailable", revoked.error().message);
  }
  log_line("session " + *id + " of " + loggable_user(claims->user) + " ended by its owner");
  return make(req, http::status::ok,
              json::serialize(json::object{{"id", *id}, {"active", false}}));
}

}  // namespace

Response handle(Hub& hub, const Request& req, std::string_view path,
                const RequestContext& context) {
  if (hub.options().accounts == nullptr) {
    return error(req, http::status::not_implemented, "accounts_unavailable",
                 "this server has no account store; use a service token");
  }
  const bool post = req.method() == http::verb::post;
  auto post_only = [&](auto&& f) -> Response {
    if (!post) {
      auto res = error(req, http::status::method_not_allowed, "method_not_allowed", "POST only");
      res.set(http::field::allow, "POST");
      return res;
    }
    return f();
  };
  if (path == "/api/auth/login") return post_only([&] { return login(hub, req, context); });
  if (path == "/api/auth/refresh") return post_only([&] { return refresh(hub, req, context); });
  if (path == "/api/auth/logout") return post_only([&] { return logout(hub, req, context); });
  constexpr std::string_view kSessions = "/api/auth/sessions";
  if (path == kSessions) return sessions(hub, req, {});
  if (path.substr(0, kSessions.size() + 1) == "/api/auth/sessions/" &&
      path.size() > kSessions.size() + 1) {
    return sessions(hub, req, path.substr(kSessions.size() + 1));
  }
  return error(req, http::status::not_found, "not_found", "no such resource");
}

}  // namespace rembuk::server::auth_routes
