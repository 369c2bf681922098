// http_reply: the pieces every HTTP route shares — answers with rembuk's headers, JSON
// errors {"error":code,"message":…}, URL decoding, and who sent a request.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

namespace rembuk::server {

// Who sent a request, as the connection saw it.
struct RequestContext {
  std::string client_address;  // the peer's IP address, e.g. "127.0.0.1"
  bool tls = false;            // the connection is https
};

namespace http_reply {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Status = boost::beast::http::status;

// An answer with `body` (none for HEAD), Server and Cache-Control: no-store headers.
Response make(const Request& req, Status status, std::string body,
              std::string_view content_type = "application/json");

// {"error":code,"message":message}. REQUIRES: neither names a secret.
Response error(const Request& req, Status status, std::string_view code,
               std::string_view message);

std::optional<std::string> url_decode(std::string_view in, bool plus_is_space);

}  // namespace http_reply
}  // namespace rembuk::server
