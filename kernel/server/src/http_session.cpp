#include "http_session.hpp"

#include <boost/asio/dispatch.hpp>
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
constexpr auto kHttpTimeout = std::chrono::seconds(30);
constexpr std::size_t kBodyLimit = 64 * 1024;
}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket&& socket, Hub& hub)
    : stream_(std::move(socket)), hub_(hub) {}

void HttpSession::run() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(kBodyLimit);
  stream_.expires_after(kHttpTimeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec) return;  // timeout, reset, bad request: drop the connection
  if (beast::websocket::is_upgrade(parser_->get())) {
    stream_.expires_never();
    std::make_shared<WebsocketSession>(stream_.release_socket(), hub_)->run(parser_->release());
    return;
  }
  hub_.metrics().http_requests.fetch_add(1, std::memory_order_relaxed);
  auto response = http_routes::handle(hub_, parser_->release());
  const bool keep_alive = response.keep_alive();
  beast::async_write(stream_, std::move(response),
                     beast::bind_front_handler(&HttpSession::on_write, shared_from_this(),
                                               keep_alive));
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return;
  if (!keep_alive) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace rembuk::server
