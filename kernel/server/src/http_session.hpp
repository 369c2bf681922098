// HttpSession: reads HTTP requests on one connection; hands a WebSocket upgrade to a
// WebsocketSession, answers everything else through http_routes (keep-alive). With TLS
// configured it first does the TLS handshake, inside the same request deadline. A request
// other than /healthz and /metrics is answered on the hub's blocking pool
// (Hub::run_blocking), and the answer written back on the connection's strand.
//
// Thread safety: runs on the connection's strand only, but for http_routes::handle.
#pragma once

#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "ws_stream.hpp"

namespace rembuk::server {

class Hub;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `tls`: the server's TLS context, or null for plain HTTP.
  HttpSession(boost::asio::ip::tcp::socket&& socket, Hub& hub, boost::asio::ssl::context* tls);
  ~HttpSession();
  void run();

 private:
  void on_handshake(boost::beast::error_code ec, std::size_t bytes);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void write(boost::beast::http::message_generator response, bool keep_alive);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void do_close();

  HttpStream stream_;
  boost::beast::flat_buffer buffer_;
  Hub& hub_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
};

}  // namespace rembuk::server
