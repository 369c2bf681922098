#include "http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http_routes.hpp"
#include "hub.hpp"
#include "websocket_session.hpp"

namespace rembuk::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {
constexpr std::size_t kBodyLimit = 64 * 1024;

HttpStream make_stream(asio::ip::tcp::socket&& socket, asio::ssl::context* tls) {
  if (tls != nullptr) return HttpStream(std::move(socket), *tls);
  return HttpStream(std::move(socket));
}
}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket&& socket, Hub& hub, asio::ssl::context* tls)
    : stream_(make_stream(std::move(socket), tls)), hub_(hub) {
  hub_.http_session_opened();
}

HttpSession::~HttpSession() { hub_.http_session_closed(); }

void HttpSession::run() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->stream_.is_tls()) return self->do_read();
    // The handshake shares the request deadline: a peer that stalls it is cut off too.
    self->stream_.tcp().expires_after(self->hub_.options().http_request_timeout);
    self->stream_.tls().async_handshake(
        asio::ssl::stream_base::server, self->buffer_.data(),
        beast::bind_front_handler(&HttpSession::on_handshake, self));
  });
}

void HttpSession::on_handshake(beast::error_code ec, std::size_t bytes) {
  if (ec) return;  // not TLS, bad certificate, timeout: drop the connection
  buffer_.consume(bytes);
  do_read();
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(kBodyLimit);
  // One deadline for the whole request: dripping bytes does not extend it (slowloris).
  stream_.tcp().expires_after(hub_.options().http_request_timeout);
  stream_.visit([this](auto& s) {
    http::async_read(s, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  });
}

void HttpSession::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec) return;  // timeout, reset, bad request: drop the connection
  if (beast::websocket::is_upgrade(parser_->get())) {
    auto ws = stream_.is_tls() ? WsStream(std::move(stream_.tls()))
                               : WsStream(std::move(stream_.plain()));
    std::make_shared<WebsocketSession>(std::move(ws), hub_)->run(parser_->release());
    return;
  }
  hub_.metrics().http_requests.fetch_add(1, std::memory_order_relaxed);
  const auto connections =
      static_cast<std::int64_t>(hub_.session_count()) + hub_.http_sessions();
  const auto target = parser_->get().target();
  // /healthz and /metrics stay open: operators need them most during a flood.
  const bool monitoring = target == "/healthz" || target == "/metrics";
  if (connections > static_cast<std::int64_t>(hub_.options().max_connections) && !monitoring) {
    // Over maxConnections: answer (so a client knows why) and close.
    http::response<http::string_body> busy{http::status::service_unavailable,
                                           parser_->get().version()};
    busy.set(http::field::content_type, "application/json");
    busy.set(http::field::retry_after, "5");
    busy.body() = R"({"error":"unavailable","message":"too many connections"})";
    busy.keep_alive(false);
    busy.prepare_payload();
    return write(http::message_generator(std::move(busy)), false);
  }
  RequestContext context;
  context.tls = stream_.is_tls();
  beast::error_code peer_error;
  const auto peer = stream_.tcp().socket().remote_endpoint(peer_error);
  if (!peer_error) context.client_address = peer.address().to_string();
  if (monitoring) {
    // Answered at once, on this thread: operators need them most when the pool is busy.
    auto response = http_routes::handle(hub_, parser_->release(), context);
    const bool keep_alive = response.keep_alive();
    return write(std::move(response), keep_alive);
  }
  hub_.run_blocking([self = shared_from_this(), request = parser_->release(),
                     context = std::move(context)]() mutable {
    auto response = http_routes::handle(self->hub_, std::move(request), context);
    const bool keep_alive = response.keep_alive();
    asio::post(self->stream_.get_executor(),
               [self, response = std::move(response), keep_alive]() mutable {
                 self->write(std::move(response), keep_alive);
               });
  });
}

void HttpSession::write(http::message_generator response, bool keep_alive) {
  // The answer may have taken longer than the request's deadline: the write gets its own.
  stream_.tcp().expires_after(hub_.options().http_request_timeout);
  stream_.visit([&](auto& s) {
    beast::async_write(s, std::move(response),
                       beast::bind_front_handler(&HttpSession::on_write, shared_from_this(),
                                                 keep_alive));
  });
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return;
  if (!keep_alive) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ignored;
  // TLS: the close_notify is skipped on purpose; the response is complete and a peer that
  // stops reading must not hold the connection open.
  stream_.tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace rembuk::server
