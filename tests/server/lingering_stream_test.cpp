// The server's lingering close (lingering_stream.hpp) on a real loopback TCP connection: what
// the client sent and the server never read is drained, so the client sees an orderly end of
// stream instead of a reset; a client that never closes is cut off after the time bound.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "lingering_stream.hpp"

namespace rembuk::server {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A connected pair on 127.0.0.1: a plain client socket and the server's stream.
struct Connection {
  asio::io_context ioc;
  tcp::socket client{ioc};
  std::optional<LingeringTcpStream> server;

  Connection() {
    tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    client.connect(acceptor.local_endpoint());
    server.emplace(acceptor.accept());
  }

  // Runs the server's teardown to its end; the error it reported.
  boost::system::error_code teardown() {
    std::optional<boost::system::error_code> result;
    async_teardown(boost::beast::role_type::server, *server,
                   [&](boost::system::error_code ec) { result = ec; });
    ioc.run();
    EXPECT_TRUE(result.has_value()) << "the teardown never finished";
    return result.value_or(asio::error::operation_aborted);
  }
};

TEST(LingeringClose, WhatTheClientSentIsDrainedAndTheClientSeesAnOrderlyEnd) {
  Connection c;
  // Unread by the server when its teardown starts (small enough for loopback's buffers, so the
  // blocking write returns). A socket closed with unread data answers with a reset.
  asio::write(c.client, asio::buffer(std::string(64 * 1024, 'x')));
  std::optional<boost::system::error_code> result;
  std::thread server([&] { result = c.teardown(); });
  // The server's FIN, then the client's own close, as a WebSocket client does after the close
  // frame.
  char byte = 0;
  boost::system::error_code read;
  c.client.read_some(asio::buffer(&byte, 1), read);
  // A teardown that closes without draining does so now (and its reset arrives while this
  // socket is still open); a lingering one waits for the FIN below.
  std::this_thread::sleep_for(50ms);
  boost::system::error_code ignored;
  c.client.shutdown(tcp::socket::shutdown_send, ignored);
  server.join();
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(*result) << result->message();
  EXPECT_EQ(read, asio::error::eof) << read.message();
  // No reset arrived: the server read everything before it closed.
  int error = 0;
  socklen_t length = sizeof error;
  ASSERT_EQ(getsockopt(c.client.native_handle(), SOL_SOCKET, SO_ERROR, &error, &length), 0);
  EXPECT_EQ(error, 0) << std::strerror(error);
}

TEST(LingeringClose, AClientThatNeverClosesIsCutOffAfterTheTimeBound) {
  Connection c;
  asio::write(c.client, asio::buffer(std::string(4096, 'x')));
  const auto began = std::chrono::steady_clock::now();
  EXPECT_FALSE(c.teardown());
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_GE(took, kLingerTime - 100ms);  // it did wait for the client
  EXPECT_LT(took, kLingerTime + 5s);     // and then gave up
  EXPECT_FALSE(c.server->socket().is_open());
}

}  // namespace
}  // namespace rembuk::server
