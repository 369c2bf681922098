#include "bearer.hpp"

#include <string_view>
#include <utility>

#include <boost/beast/http/field.hpp>

#include "access.hpp"
#include "hub.hpp"

namespace rembuk::server {

namespace http = boost::beast::http;

std::optional<Claims> bearer_claims(Hub& hub, const http_reply::Request& req) {
  const auto header = req[http::field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.substr(0, kBearer.size()) != kBearer) {
    return std::nullopt;
  }
  auto claims = authenticate(hub, header.substr(kBearer.size()));
  if (!claims) return std::nullopt;
  return std::move(claims).value();
}

http_reply::Response unauthorized(const http_reply::Request& req) {
  auto res = http_reply::error(req, http::status::unauthorized, "unauthorized",
                   "send Authorization: Bearer <token> with a valid, unexpired token");
  res.set(http::field::www_authenticate, "Bearer");
  return res;
}

}  // namespace rembuk::server
