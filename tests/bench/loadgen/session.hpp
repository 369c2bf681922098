// One client of the system under test: a WebSocket plus that system's Protocol. It connects,
// sends the protocol's opening, and hands every decoded message to its owner. Single-threaded
// like WsClient: use it on the io_context's thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "protocol.hpp"
#include "ws_client.hpp"

namespace rembuk::loadgen {

// What every run needs to reach the system under test.
struct Target {
  std::string system;  // "rembuk" | "sharedb"
  WsTarget ws;
  boost::asio::ip::tcp::endpoint endpoint;
  std::string token;   // rembuk only
};

class Session {
 public:
  using OnIncoming = std::function<void(Session&, const Incoming&)>;

  Session(boost::asio::io_context& ioc, const Target& target);
  ~Session();  // detaches its handlers: the socket may outlive it by a few callbacks
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Connects; then every message goes to `handler` (the first one that matters is `ready`).
  // A failed connect or a lost connection ends the process: a benchmark with a dead client
  // would print a wrong figure.
  void start(OnIncoming handler);
  void send(std::string text) { ws_->send(std::move(text)); }
  Protocol& protocol() { return *protocol_; }
  void close() { ws_->close(); }

 private:
  std::shared_ptr<WsClient> ws_;
  std::unique_ptr<Protocol> protocol_;
  const Target& target_;
  bool stopping_ = false;
};

// Resolves HOST:PORT of `target.ws` into `target.endpoint`; false (with a message on stderr)
// when it does not resolve.
bool resolve(boost::asio::io_context& ioc, Target& target);

// Makes each document exist (runs `ioc` until done); false on a refusal that matters.
bool seed_documents(boost::asio::io_context& ioc, const Target& target,
                    const std::vector<std::string>& documents);

[[noreturn]] void die(const std::string& why);

}  // namespace rembuk::loadgen
