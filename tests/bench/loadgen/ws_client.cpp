#include "ws_client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>

namespace rembuk::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

bool parse_ws_url(std::string_view url, WsTarget& out) {
  constexpr std::string_view scheme = "ws://";
  if (url.substr(0, scheme.size()) != scheme) return false;
  url.remove_prefix(scheme.size());
  const auto slash = url.find('/');
  const auto authority = url.substr(0, slash);
  out.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == authority.size()) return false;
  out.host = std::string(authority.substr(0, colon));
  out.port = std::string(authority.substr(colon + 1));
  return !out.host.empty();
}

WsClient::WsClient(asio::io_context& ioc) : ws_(ioc) {}

void WsClient::connect(const asio::ip::tcp::endpoint& endpoint, const WsTarget& target,
                       std::function<void(bool)> ready) {
  auto self = shared_from_this();
  beast::get_lowest_layer(ws_).async_connect(
      endpoint, [self, target, ready = std::move(ready)](beast::error_code ec) mutable {
        if (ec) return ready(false);
        beast::error_code ignored;
        beast::get_lowest_layer(self->ws_).set_option(asio::ip::tcp::no_delay(true), ignored);
        self->ws_.auto_fragment(false);
        self->ws_.read_message_max(64u << 20);
        const std::string host = target.host + ":" + target.port;
        self->ws_.async_handshake(host, target.path,
                                  [self, ready = std::move(ready)](beast::error_code hec) {
                                    if (hec) return ready(false);
                                    self->open_ = true;
                                    self->do_read();
                                    ready(true);
                                  });
      });
}

void WsClient::do_read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->lost();
    const auto data = self->buffer_.cdata();
    if (self->on_message_) {
      self->on_message_(std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
    self->buffer_.consume(self->buffer_.size());
    self->do_read();
  });
}

void WsClient::send(std::string text) {
  queue_.push_back(std::move(text));
  if (!writing_) do_write();
}

void WsClient::do_write() {
  if (queue_.empty() || !open_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  ws_.text(true);
  ws_.async_write(asio::buffer(queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->queue_.pop_front();
                    if (ec) {
                      self->writing_ = false;
                      return self->lost();
                    }
                    self->do_write();
                  });
}

void WsClient::lost() {
  if (!open_) return;
  open_ = false;
  if (on_closed_ && !closing_) on_closed_();
}

void WsClient::close() {
  if (!open_ || closing_) return;
  closing_ = true;
  ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
    self->open_ = false;
  });
}

}  // namespace rembuk::loadgen
