// A light asynchronous WebSocket client (Boost.Beast, text frames) for rembuk-loadgen. Many
// of them share one io_context on one thread; they are not thread-safe: every call and every
// callback happens on that thread. One write in flight, the rest queued in order.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace rembuk::loadgen {

// Where to connect: ws://HOST:PORT/PATH split up (only plain ws://, loopback in practice).
struct WsTarget {
  std::string host;
  std::string port;
  std::string path = "/";
};
// Parses "ws://HOST:PORT[/PATH]"; false when it is not of that form.
bool parse_ws_url(std::string_view url, WsTarget& out);

class WsClient : public std::enable_shared_from_this<WsClient> {
 public:
  using OnMessage = std::function<void(std::string_view)>;

  explicit WsClient(boost::asio::io_context& ioc);

  // Connects, does the WebSocket handshake, starts reading, then calls `ready(ok)`.
  void connect(const boost::asio::ip::tcp::endpoint& endpoint, const WsTarget& target,
               std::function<void(bool)> ready);
  // Called for every text message; the view is valid only during the call.
  void on_message(OnMessage handler) { on_message_ = std::move(handler); }
  // Called once when the connection ends (read error or close) after it was open.
  void on_closed(std::function<void()> handler) { on_closed_ = std::move(handler); }
  void send(std::string text);
  bool open() const { return open_; }
  void close();

 private:
  void do_read();
  void do_write();
  void lost();

  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool open_ = false;
  bool closing_ = false;
  OnMessage on_message_;
  std::function<void()> on_closed_;
};

}  // namespace rembuk::loadgen
