// The caller of an HTTP request: its `Authorization: Bearer <token>` checked as `hello`'s token
// is (access.hpp's authenticate: rembuk's own, service or OIDC), and the one 401 every route
// answers without it. One place, so every route refuses alike.
#pragma once

#include <optional>

#include "http_reply.hpp"
#include "rembuk/server/token.hpp"

namespace rembuk::server {

class Hub;

// The token's claims; nullopt when the header is missing, malformed, or the token refused.
std::optional<Claims> bearer_claims(Hub& hub, const http_reply::Request& req);

// 401 `unauthorized` with `WWW-Authenticate: Bearer`.
http_reply::Response unauthorized(const http_reply::Request& req);

}  // namespace rembuk::server
