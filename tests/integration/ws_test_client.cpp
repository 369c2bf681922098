#include "ws_test_client.hpp"

#include <future>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

namespace rembuk::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

struct WsTestClient::State : std::enable_shared_from_this<WsTestClient::State> {
  asio::io_context ioc;
  websocket::stream<asio::ip::tcp::socket> ws{ioc};
  beast::flat_buffer buffer;
  std::thread thread;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;

  mutable std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::string> inbox;       // GUARDED_BY(mutex)
  bool ended = false;                  // GUARDED_BY(mutex)
  std::optional<CloseInfo> close_info;  // GUARDED_BY(mutex)
  std::size_t received = 0;            // GUARDED_BY(mutex)
  bool paused = false;                 // io thread only
  bool reading = false;                // io thread only

  void do_read() {
    if (paused || reading) return;
    reading = true;
    ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->reading = false;
      std::lock_guard lock(self->mutex);
      if (ec) {
        self->ended = true;
        const auto reason = self->ws.reason();
        if (ec == websocket::error::closed || reason.code != 0) {
          self->close_info = CloseInfo{static_cast<std::uint16_t>(reason.code),
                                       std::string(reason.reason.c_str())};
        }
        self->cv.notify_all();
        return;
      }
      self->inbox.push_back(beast::buffers_to_string(self->buffer.data()));
      ++self->received;
      self->buffer.consume(self->buffer.size());
      self->cv.notify_all();
      asio::post(self->ioc, [self] { self->do_read(); });
    });
  }
};

std::unique_ptr<WsTestClient> WsTestClient::connect(std::uint16_t port, std::string* error,
                                                    int receive_buffer) {
  auto state = std::make_shared<State>();
  beast::error_code ec;
  auto& socket = beast::get_lowest_layer(state->ws);
  socket.open(asio::ip::tcp::v4(), ec);
  if (!ec && receive_buffer > 0) {
    socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer), ec);
  }
  if (!ec) socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (!ec) socket.set_option(asio::ip::tcp::no_delay(true), ec);
  if (!ec) state->ws.handshake("127.0.0.1:" + std::to_string(port), "/ws", ec);
  if (ec) {
    if (error) *error = ec.message();
    return nullptr;
  }
  state->ws.read_message_max(64u << 20);
  state->ws.auto_fragment(false);
  state->work.emplace(asio::make_work_guard(state->ioc));
  asio::post(state->ioc, [s = state] { s->do_read(); });
  state->thread = std::thread([s = state] { s->ioc.run(); });
  return std::unique_ptr<WsTestClient>(new WsTestClient(std::move(state)));
}

WsTestClient::WsTestClient(std::shared_ptr<State> state) : state_(std::move(state)) {}

WsTestClient::~WsTestClient() {
  asio::post(state_->ioc, [s = state_] {
    beast::error_code ignored;
    beast::get_lowest_layer(s->ws).close(ignored);
    s->work.reset();
  });
  if (state_->thread.joinable()) state_->thread.join();
}

namespace {
// Writes one message on the io thread and waits for it (one write in flight at a time).
void write_message(const std::shared_ptr<WsTestClient::State>& state, std::string bytes,
                   bool text) {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  auto payload = std::make_shared<std::string>(std::move(bytes));
  asio::post(state->ioc, [s = state, payload, done, text] {
    s->ws.text(text);
    s->ws.async_write(asio::buffer(*payload),
                      [payload, done](beast::error_code, std::size_t) { done->set_value(); });
  });
  future.wait();
}
}  // namespace

void WsTestClient::send(const std::string& text) { write_message(state_, text, true); }

void WsTestClient::send(const json::object& message) { send(json::serialize(message)); }

void WsTestClient::send_binary(const std::string& bytes) { write_message(state_, bytes, false); }

std::optional<json::object> WsTestClient::next(ms timeout) {
  std::unique_lock lock(state_->mutex);
  if (!state_->cv.wait_for(lock, timeout,
                           [&] { return !state_->inbox.empty() || state_->ended; })) {
    return std::nullopt;
  }
  if (state_->inbox.empty()) return std::nullopt;
  std::string text = std::move(state_->inbox.front());
  state_->inbox.pop_front();
  lock.unlock();
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return json::object{{"type", "<unparseable>"}, {"text", text}};
  return std::move(value.as_object());
}

std::optional<json::object> WsTestClient::next_of_type(const std::string& type, ms timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<ms>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto message = next(left);
    if (!message) return std::nullopt;
    if (message->at("type").as_string() == type) return message;
  }
}

std::optional<json::object> WsTestClient::request(const json::object& message,
                                                  const std::string& type, ms timeout) {
  send(message);
  return next_of_type(type, timeout);
}

bool WsTestClient::quiet_for(ms timeout) {
  std::unique_lock lock(state_->mutex);
  return !state_->cv.wait_for(lock, timeout, [&] { return !state_->inbox.empty(); });
}

std::optional<CloseInfo> WsTestClient::wait_closed(ms timeout) {
  std::unique_lock lock(state_->mutex);
  if (!state_->cv.wait_for(lock, timeout, [&] { return state_->ended; })) return std::nullopt;
  return state_->close_info.value_or(CloseInfo{});
}

bool WsTestClient::closed() const {
  std::lock_guard lock(state_->mutex);
  return state_->ended;
}

void WsTestClient::pause_reading() {
  asio::post(state_->ioc, [s = state_] { s->paused = true; });
}

void WsTestClient::resume_reading() {
  asio::post(state_->ioc, [s = state_] {
    s->paused = false;
    s->do_read();
  });
}

void WsTestClient::close() {
  asio::post(state_->ioc, [s = state_] {
    s->ws.async_close(websocket::close_code::normal, [s](beast::error_code) {});
  });
  wait_closed(ms(5000));
}

std::size_t WsTestClient::raw_messages() const {
  std::lock_guard lock(state_->mutex);
  return state_->received;
}

HttpAnswer http_get(std::uint16_t port, const std::string& target,
                    const std::string& bearer_token, const std::string& method,
                    std::chrono::seconds timeout) {
  namespace http = beast::http;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  stream.expires_after(timeout);
  stream.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return {};
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!bearer_token.empty()) req.set(http::field::authorization, "Bearer " + bearer_token);
  http::write(stream, req, ec);
  if (ec) return {};
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res, ec);
  if (ec) return {};
  HttpAnswer answer;
  answer.status = res.result_int();
  answer.body = res.body();
  answer.content_type = std::string(res[http::field::content_type]);
  answer.content_disposition = std::string(res[http::field::content_disposition]);
  answer.retry_after = std::string(res[http::field::retry_after]);
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return answer;
}

HttpAnswer http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
  namespace http = beast::http;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  stream.expires_after(std::chrono::seconds(20));
  stream.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return {};
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req, ec);
  if (ec) return {};
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res, ec);
  if (ec) return {};
  HttpAnswer answer;
  answer.status = res.result_int();
  answer.body = res.body();
  answer.content_type = std::string(res[http::field::content_type]);
  answer.set_cookie = std::string(res[http::field::set_cookie]);
  answer.retry_after = std::string(res[http::field::retry_after]);
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return answer;
}

json::object hello(const std::string& token) {
  return json::object{{"type", "hello"}, {"token", token}};
}

}  // namespace rembuk::testing
