// auth_routes: signing in and out (docs/protocol.md, "Signing in").
//
//   POST   /api/auth/login          {user, password} → 200 {accessToken, expiresAt, …} + cookie;
//                                    401 invalid_credentials; 403 account_disabled; 429
//   POST   /api/auth/refresh        (cookie) → 200 as login, the cookie rotated;
//                                    401 missing_refresh / invalid_refresh / session_ended /
//                                    refresh_reused (the whole session family is ended)
//   POST   /api/auth/logout         (cookie or Bearer) → 200 {signedOut:true}, cookie cleared
//   GET    /api/auth/sessions       (Bearer) → {sessions:[…]}
//   DELETE /api/auth/sessions/{id}  (Bearer) → {id, active:false}
//
// Thread safety: handle() may run on many connections at once. Signing in costs one Argon2id
// verification (tens of milliseconds) on the calling I/O thread.
#pragma once

#include <string_view>

#include "http_reply.hpp"

namespace rembuk::server {

class Hub;

namespace auth_routes {

// REQUIRES: `path` starts with "/api/auth".
http_reply::Response handle(Hub& hub, const http_reply::Request& req, std::string_view path,
                            const RequestContext& context);

}  // namespace auth_routes
}  // namespace rembuk::server
