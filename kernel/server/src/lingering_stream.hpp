// LingeringTcpStream: a beast::tcp_stream whose WebSocket teardown (the server's side of a
// closing connection) drains what the client is still sending before it closes the socket.
//
// Why: when the server fails a connection while the client is still writing (a frame over
// the size limit: close code 1009), Beast's own TCP teardown shuts the sending side, reads
// once and closes. Closing a socket with unread data makes the kernel answer with a reset,
// and a client whose write then fails tears its end down before it has read the close frame
// that is already in its buffer: it sees an abnormal closure instead of 1009. Draining first
// (a "lingering close", as HTTP servers do) lets the close frame and the FIN arrive in order.
//
// Bounded: at most kLingerBytes or kLingerTime, then the socket is closed anyway, so a
// client that keeps sending cannot hold the connection open.
//
// Beast finds async_teardown by argument-dependent lookup; this overload is more specific
// than Beast's for basic_stream, so it is the one used for WsStream's plain connections.
//
// It also lets the session say that another message follows at once (set_more_follows), so
// that two messages queued together leave in one TCP segment (MSG_MORE), for TLS
// connections too: their records are written through this stream.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>

#include <sys/socket.h>

#include <boost/asio/compose.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/teardown.hpp>

namespace rembuk::server {

class LingeringTcpStream : public boost::beast::tcp_stream {
 public:
  using boost::beast::tcp_stream::tcp_stream;

  // While set, writes are sent with MSG_MORE: the kernel keeps them until a write without it,
  // so the next message leaves in the same TCP segment. Set it only when that next write is
  // certain to follow at once (the Linux kernel would otherwise hold the data up to 200 ms).
  void set_more_follows(bool more) { more_follows_ = more; }

  // Hides basic_stream's: Beast's websocket and TLS layers write through this one.
  template <class ConstBufferSequence, class WriteHandler>
  auto async_write_some(const ConstBufferSequence& buffers, WriteHandler&& handler) {
    if (more_follows_) {
      return socket().async_send(buffers, MSG_MORE, std::forward<WriteHandler>(handler));
    }
    return boost::beast::tcp_stream::async_write_some(buffers,
                                                      std::forward<WriteHandler>(handler));
  }

 private:
  bool more_follows_ = false;
};

inline constexpr std::size_t kLingerBytes = std::size_t{1} << 20;
inline constexpr std::chrono::milliseconds kLingerTime{2000};

namespace detail {

class LingeringTeardown {
 public:
  explicit LingeringTeardown(LingeringTcpStream& stream)
      : stream_(stream), buffer_(std::make_unique<std::array<char, 4096>>()) {}

  template <class Self>
  void operator()(Self& self, boost::beast::error_code ec = {}, std::size_t read = 0) {
    if (!started_) {
      started_ = true;
      stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
      if (ec) return finish(self, ec);
      stream_.expires_after(kLingerTime);
    } else {
      drained_ += read;
      // The client's FIN (eof) is the normal end; a timeout or the byte bound ends it too.
      if (ec || drained_ >= kLingerBytes) return finish(self, {});
    }
    stream_.async_read_some(boost::asio::buffer(*buffer_), std::move(self));
  }

 private:
  template <class Self>
  void finish(Self& self, boost::beast::error_code ec) {
    boost::beast::error_code ignored;
    stream_.expires_never();
    stream_.socket().close(ignored);
    self.complete(ec);
  }

  LingeringTcpStream& stream_;
  std::unique_ptr<std::array<char, 4096>> buffer_;
  std::size_t drained_ = 0;
  bool started_ = false;
};

}  // namespace detail

template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, LingeringTcpStream& stream,
                    TeardownHandler&& handler) {
  if (role == boost::beast::role_type::client) {
    boost::beast::websocket::async_teardown(role, stream.socket(),
                                            std::forward<TeardownHandler>(handler));
    return;
  }
  boost::asio::async_compose<TeardownHandler, void(boost::beast::error_code)>(
      detail::LingeringTeardown(stream), handler, stream);  // Asio moves from `handler`
}

// The blocking form, for completeness: Beast's (rembuk's server uses only the async one).
inline void teardown(boost::beast::role_type role, LingeringTcpStream& stream,
                     boost::beast::error_code& ec) {
  boost::beast::websocket::teardown(role, stream.socket(), ec);
}

}  // namespace rembuk::server
