#include "listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "http_session.hpp"

namespace rembuk::server {

namespace asio = boost::asio;
namespace beast = boost::beast;

Listener::Listener(asio::io_context& ioc, std::vector<asio::io_context*> contexts, Hub& hub,
                   asio::ssl::context* tls)
    : contexts_(std::move(contexts)),
      hub_(hub),
      tls_(tls),
      strand_(asio::make_strand(ioc)),
      acceptor_(strand_) {}

Result<Unit, std::string> Listener::open(const asio::ip::tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("open: " + ec.message());
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("set_option: " + ec.message());
  acceptor_.bind(endpoint, ec);
  if (ec) {
    return fail("cannot listen on " + endpoint.address().to_string() + ":" +
                std::to_string(endpoint.port()) + ": " + ec.message());
  }
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen: " + ec.message());
  port_ = acceptor_.local_endpoint().port();
  return Unit{};
}

void Listener::run() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->do_accept(); });
}

void Listener::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    beast::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::do_accept() {
  if (stopped_) return;
  // Each connection gets its own strand, on the next io context.
  auto& context = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_.async_accept(asio::make_strand(context),
                         beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, asio::ip::tcp::socket socket) {
  if (stopped_) return;
  if (!ec) {
    beast::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    std::make_shared<HttpSession>(std::move(socket), hub_, tls_)->run();
  } else if (ec == asio::error::no_descriptors) {
    // Out of file descriptors: back off instead of spinning.
    auto timer = std::make_shared<asio::steady_timer>(strand_, std::chrono::milliseconds(50));
    timer->async_wait([self = shared_from_this(), timer](beast::error_code) { self->do_accept(); });
    return;
  }
  do_accept();
}

}  // namespace rembuk::server
