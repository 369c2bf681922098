// WsStream and HttpStream: one connection's stream, plain TCP or TLS (docs/security.md,
// "TLS"), behind one type so that WebsocketSession and HttpSession are written once.
//
// Each holds a std::variant of the two Beast stream types; every operation visits it. The
// cost is one branch per operation, far below a syscall; the gain is no template over the
// session classes (and so no second copy of their code in every header that names them).
//
// Thread safety: like the Beast streams they wrap — use from the connection's strand only.
#pragma once

#include <utility>
#include <variant>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "lingering_stream.hpp"

namespace rembuk::server {

// Plain connections close by draining first (lingering_stream.hpp); TLS ones by its shutdown.
using PlainStream = LingeringTcpStream;
using TlsStream = boost::beast::ssl_stream<PlainStream>;

// The HTTP side: a TCP stream, or a TLS stream over one (handshake done by the session).
class HttpStream {
 public:
  explicit HttpStream(boost::asio::ip::tcp::socket&& socket)
      : stream_(std::in_place_type<PlainStream>, std::move(socket)) {}
  HttpStream(boost::asio::ip::tcp::socket&& socket, boost::asio::ssl::context& tls)
      : stream_(std::in_place_type<TlsStream>, std::move(socket), tls) {}

  bool is_tls() const { return std::holds_alternative<TlsStream>(stream_); }
  PlainStream& tcp() {
    return std::visit([](auto& s) -> PlainStream& { return boost::beast::get_lowest_layer(s); },
                      stream_);
  }
  TlsStream& tls() { return std::get<TlsStream>(stream_); }
  PlainStream& plain() { return std::get<PlainStream>(stream_); }
  auto get_executor() { return tcp().get_executor(); }

  // Calls f with the concrete stream (PlainStream& or TlsStream&).
  template <class F>
  decltype(auto) visit(F&& f) {
    return std::visit(std::forward<F>(f), stream_);
  }

 private:
  std::variant<PlainStream, TlsStream> stream_;
};

// The WebSocket side, built from the HTTP side's stream after the upgrade request.
class WsStream {
 public:
  using Plain = boost::beast::websocket::stream<PlainStream>;
  using Tls = boost::beast::websocket::stream<TlsStream>;

  explicit WsStream(PlainStream&& s) : ws_(std::in_place_type<Plain>, std::move(s)) {}
  explicit WsStream(TlsStream&& s) : ws_(std::in_place_type<Tls>, std::move(s)) {}

  template <class F>
  decltype(auto) visit(F&& f) {
    return std::visit(std::forward<F>(f), ws_);
  }

  // The TCP socket under everything (to shut it down hard).
  boost::asio::ip::tcp::socket& socket() {
    return std::visit(
        [](auto& ws) -> boost::asio::ip::tcp::socket& {
          return boost::beast::get_lowest_layer(ws).socket();
        },
        ws_);
  }
  auto get_executor() {
    return std::visit([](auto& ws) { return ws.get_executor(); }, ws_);
  }
  bool got_text() const {
    return std::visit([](const auto& ws) { return ws.got_text(); }, ws_);
  }
  void text(bool value) {
    std::visit([value](auto& ws) { ws.text(value); }, ws_);
  }
  // The next message leaves in the same TCP segment as this one (LingeringTcpStream).
  void more_follows(bool value) {
    std::visit([value](auto& ws) { boost::beast::get_lowest_layer(ws).set_more_follows(value); },
               ws_);
  }

 private:
  std::variant<Plain, Tls> ws_;
};

}  // namespace rembuk::server
