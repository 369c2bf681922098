// http_routes: the HTTP side of the port (docs/protocol.md, "HTTP on the same port").
//
//   GET /healthz                          → {"status":"ok","version":…}
//   GET /metrics                          → Prometheus text
//   GET /api/masterplans                  → {"masterplans":[{"id","version","lastPosition"}]}
//   GET /api/masterplans/{id}[?at=|?atTime=]          → {"masterplan","version","state"}
//   GET /api/masterplans/{id}/{view}[?at=|?atTime=…]  → the ViewSource, or 501
//   GET /api/overview[?sort=&order=&…]    → the national overview (overview_route.hpp)
//   GET anything else                     → a static file under static_dir
//   /api/auth/*                           → auth_routes (signing in)
//   /api/invitations…, /api/users…        → invitation_routes
// /api/* needs "Authorization: Bearer <token>"; a person's token reads only the masterplans
// it is a member of (access.hpp). Errors are {"error":code,"message":…}.
//
// Thread safety: handle() may run on many connections at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http_reply.hpp"

namespace rembuk::server {

class Hub;

namespace http_routes {

boost::beast::http::message_generator handle(
    Hub& hub, boost::beast::http::request<boost::beast::http::string_body>&& request,
    const RequestContext& context);

// "2026-11-24T15:02:11Z", "2026-11-24T15:02:11.5+07:00" → µs since the epoch.
std::optional<std::int64_t> parse_rfc3339_us(std::string_view text);

}  // namespace http_routes
}  // namespace rembuk::server
