// sign_in: what every way of signing a person in shares (docs/protocol.md, "Signing in"):
// a refresh session in the account store, a 15-minute access token, the answer
//   {accessToken, expiresAt, expiresIn, user, displayName, roles, sessionId}
// and the refresh cookie
//   rembuk_refresh=<session id>.<secret>; Path=/api/auth; HttpOnly; SameSite=Strict;
//   Max-Age=<refresh lifetime>[; Secure under TLS]
// The refresh token is stored only as its SHA-256; it travels only in that cookie.
//
// Thread safety: every function may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http_reply.hpp"
#include "rembuk/accounts/account_store.hpp"

namespace rembuk::server {

class Hub;

namespace sign_in {

inline constexpr std::string_view kCookie = "rembuk_refresh";
inline constexpr std::size_t kBodyLimit = 8 * 1024;

// Starts a session for `account` and answers 200 with the token and the cookie.
http_reply::Response start(Hub& hub, const http_reply::Request& req,
                           const RequestContext& context, const accounts::Account& account);

// The answer for an existing session just rotated to `refresh_token`.
http_reply::Response answer(Hub& hub, const http_reply::Request& req,
                            const RequestContext& context, const accounts::Account& account,
                            const accounts::RefreshSession& session,
                            const std::string& refresh_token);

// Set-Cookie value: the refresh token, or (empty token) one that clears it.
std::string cookie(std::string_view refresh_token, std::int64_t max_age_s, bool tls);

// The value of cookie `name` in the request's Cookie header(s).
std::optional<std::string> read_cookie(const http_reply::Request& req, std::string_view name);

// "2026-12-06T12:15:00Z"
std::string iso_time(std::int64_t seconds);
}  // namespace sign_in
}  // namespace rembuk::server
