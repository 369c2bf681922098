// WsTestClient: a small Beast WebSocket client for tests and benchmarks.
//
// One background thread runs the client's io_context and keeps reading; received text
// messages wait in a queue that the test pops with a deadline (no fixed sleeps). Writes
// are posted to that thread, so the client can be used from the test thread freely.
// pause_reading() stops reading (to play a slow consumer); resume_reading() restarts.
//
// Thread safety: one test thread per client, plus the client's own io thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

namespace rembuk::testing {

struct CloseInfo {
  std::uint16_t code = 0;
  std::string reason;
};

class WsTestClient {
 public:
  using ms = std::chrono::milliseconds;

  // Connects to 127.0.0.1:port and does the WebSocket handshake. nullptr on failure
  // (`error` says why). `receive_buffer`: SO_RCVBUF in bytes, 0 = the system default.
  static std::unique_ptr<WsTestClient> connect(std::uint16_t port, std::string* error = nullptr,
                                               int receive_buffer = 0);
  ~WsTestClient();

  void send(const std::string& text);
  void send(const boost::json::object& message);
  void send_binary(const std::string& bytes);

  // The next message, or nullopt when none arrives in time (or the connection closed).
  std::optional<boost::json::object> next(ms timeout = ms(5000));
  // Skips messages of other types (e.g. presence) until one of `type` arrives.
  std::optional<boost::json::object> next_of_type(const std::string& type,
                                                  ms timeout = ms(5000));
  // Sends and returns the next message of `type`.
  std::optional<boost::json::object> request(const boost::json::object& message,
                                             const std::string& type, ms timeout = ms(5000));
  // True when nothing arrives within `timeout`.
  bool quiet_for(ms timeout);

  // Waits until the server closed the connection; its close frame (code 0: none).
  std::optional<CloseInfo> wait_closed(ms timeout = ms(5000));
  bool closed() const;

  void pause_reading();
  void resume_reading();
  // Sends a close frame (1000) and waits for the connection to end.
  void close();

  std::size_t raw_messages() const;

  struct State;  // implementation detail (ws_test_client.cpp)

 private:
  explicit WsTestClient(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

struct HttpAnswer {
  unsigned status = 0;  // 0: no answer (connection failed)
  std::string body;
  std::string content_type;
  std::string content_disposition;
  std::string set_cookie;   // the Set-Cookie header, if any
  std::string retry_after;  // the Retry-After header, if any
};

// One blocking HTTP/1.1 GET (or another method) to 127.0.0.1:port, given up after `timeout`.
HttpAnswer http_get(std::uint16_t port, const std::string& target,
                    const std::string& bearer_token = {}, const std::string& method = "GET",
                    std::chrono::seconds timeout = std::chrono::seconds(10));

// One blocking HTTP/1.1 request with a body and extra headers ({"Cookie", "a=b"}, …).
HttpAnswer http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers = {});

// The "hello" message for a token.
boost::json::object hello(const std::string& token);

}  // namespace rembuk::testing
