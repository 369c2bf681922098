// Listener: accepts TCP connections and hands each to an HttpSession on its own strand
// (with the TLS context, when the server has one), on the io contexts in turn.
//
// Thread safety: run() once; stop() from any thread (posts to the acceptor's strand).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>

#include "rembuk/common/result.hpp"

namespace rembuk::server {

class Hub;

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // `tls`: when not null, every connection speaks TLS first (https:// and wss://).
  // `ioc` runs the acceptor; `contexts` (not empty) get the connections in turn.
  // REQUIRES: `tls` and the contexts outlive the listener and its sessions.
  Listener(boost::asio::io_context& ioc, std::vector<boost::asio::io_context*> contexts, Hub& hub,
           boost::asio::ssl::context* tls = nullptr);

  // Opens, binds and listens; an error says why.
  Result<Unit, std::string> open(const boost::asio::ip::tcp::endpoint& endpoint);
  std::uint16_t port() const { return port_; }

  void run();
  void stop();

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  std::vector<boost::asio::io_context*> contexts_;
  std::size_t next_context_ = 0;  // on strand_
  Hub& hub_;
  boost::asio::ssl::context* tls_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace rembuk::server
