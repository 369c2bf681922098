#include "http_reply.hpp"

#include <boost/beast/http.hpp>

#include "protocol.hpp"

namespace rembuk::server::http_reply {

namespace http = boost::beast::http;

#ifndef REMBUK_SERVER_VERSION
#define REMBUK_SERVER_VERSION "0.0.0"
#endif

Response make(const Request& req, Status status, std::string body,
              std::string_view content_type) {
  Response res{status, req.version()};
  res.set(http::field::server, "rembuk/" REMBUK_SERVER_VERSION);
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  if (req.method() == http::verb::head) {
    res.content_length(body.size());
  } else {
    res.body() = std::move(body);
    res.prepare_payload();
  }
  return res;
}

Response error(const Request& req, Status status, std::string_view code,
               std::string_view message) {
  std::string body = "{\"error\":";
  protocol::append_json_string(body, code);
  body += ",\"message\":";
  protocol::append_json_string(body, message);
  body += '}';
  return make(req, status, std::move(body));
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> url_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (plus_is_space && in[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

}  // namespace rembuk::server::http_reply
