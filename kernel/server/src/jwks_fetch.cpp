#include "jwks_fetch.hpp"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace rembuk::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::size_t kBodyLimit = 256 * 1024;
constexpr auto kTimeout = std::chrono::seconds(5);

template <typename Stream>
Result<std::string, std::string> get(Stream& stream, const std::string& host,
                                     const std::string& target) {
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, host);
  req.set(http::field::accept, "application/json");
  beast::error_code ec;
  http::write(stream, req, ec);
  if (ec) return fail("cannot send the request: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  http::read(stream, buffer, parser, ec);
  if (ec) return fail("no answer: " + ec.message());
  if (parser.get().result() != http::status::ok) {
    return fail("answered " + std::to_string(parser.get().result_int()));
  }
  return std::move(parser.get().body());
}

}  // namespace

Result<std::string, std::string> fetch_jwks(const std::string& url) {
  const bool tls = url.rfind("https://", 0) == 0;
  if (!tls && url.rfind("http://", 0) != 0) return fail("not an http(s) URL: " + url);
  const std::string rest = url.substr(tls ? 8 : 7);
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  const std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  std::string host = authority;
  std::string port = tls ? "443" : "80";
  if (const auto colon = authority.rfind(':');
      colon != std::string::npos && authority.find(']') == std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  asio::io_context ioc;
  asio::ip::tcp::resolver resolver(ioc);
  beast::error_code ec;
  const auto addresses = resolver.resolve(host, port, ec);
  if (ec) return fail("cannot resolve " + host + ": " + ec.message());
  if (!tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(kTimeout);
    stream.connect(addresses, ec);
    if (ec) return fail("cannot connect to " + authority + ": " + ec.message());
    return get(stream, authority, target);
  }
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_default_verify_paths(ec);
  context.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
  if (SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) != 1) {
    return fail(std::string("cannot set the TLS server name"));
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(host));
  beast::get_lowest_layer(stream).expires_after(kTimeout);
  beast::get_lowest_layer(stream).connect(addresses, ec);
  if (ec) return fail("cannot connect to " + authority + ": " + ec.message());
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return fail("TLS with " + authority + " failed: " + ec.message());
  return get(stream, authority, target);
}

}  // namespace rembuk::server
