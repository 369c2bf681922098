#include "bare_server.hpp"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/execution/context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "raw_lmdb.hpp"
#include "rembuk/common/thread_name.hpp"

namespace rembuk::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class BareSession;

// What the writer acks once the transaction holding it is committed.
struct Pending {
  std::shared_ptr<BareSession> session;
  std::string ack;
};

// One thread committing what has queued; acks go back in one post per io context.
class Writer {
 public:
  Writer(const std::string& dir, bool nosync)
      : db_(dir + "/bare", nosync ? RawSync::none : RawSync::two_syncs),
        record_(300, 'r'),  // the size of an edit's event record in rembuk's log
        thread_([this] {
          name_this_thread("bare-writer");
          run();
        }) {}

  void submit(Pending pending) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(pending));
    }
    cv_.notify_one();
  }

 private:
  void run();

  RawLmdb db_;
  const std::string record_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Pending> queue_;  // GUARDED_BY(mutex_)
  std::thread thread_;          // never joined: the process ends by a signal
};

class BareSession : public std::enable_shared_from_this<BareSession> {
 public:
  BareSession(tcp::socket socket, Writer& writer)
      : ws_(std::move(socket)), context_(static_cast<asio::io_context*>(
                                    &asio::query(ws_.get_executor(), asio::execution::context))),
        writer_(writer) {}

  asio::io_context& context() { return *context_; }

  void run() {
    ws_.async_accept([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->read();
    });
  }

  // On the session's io thread.
  void send(std::string text) {
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) write();
  }

 private:
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      const auto data = self->buffer_.data();
      self->handle(std::string_view(static_cast<const char*>(data.data()), data.size()));
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  void handle(std::string_view text) {
    boost::system::error_code ec;
    auto message = boost::json::parse(text, ec);
    if (ec || !message.is_object()) return;
    const auto& object = message.as_object();
    const auto* type = object.if_contains("type");
    if (type == nullptr || !type->is_string()) return;
    if (type->as_string() == "hello") {
      send(R"({"type":"welcome"})");
      return;
    }
    if (type->as_string() != "submit") return;
    const auto* id = object.if_contains("commandId");
    const auto* masterplan = object.if_contains("masterplan");
    if (id == nullptr || !id->is_string() || masterplan == nullptr || !masterplan->is_string()) {
      return;
    }
    boost::json::object ack;
    ack["type"] = "ack";
    ack["commandId"] = id->as_string();
    ack["masterplan"] = masterplan->as_string();
    ack["version"] = ++version_;
    writer_.submit(Pending{shared_from_this(), boost::json::serialize(ack)});
  }

  void write() {
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return;
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) self->write();
                    });
  }

  websocket::stream<tcp::socket> ws_;
  asio::io_context* context_;
  Writer& writer_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  std::int64_t version_ = 0;
};

void Writer::run() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return !queue_.empty(); });
      batch.swap(queue_);
    }
    db_.commit(batch.size(), record_);
    std::map<asio::io_context*, std::vector<Pending>> by_context;
    for (auto& pending : batch) by_context[&pending.session->context()].push_back(std::move(pending));
    for (auto& [context, acks] : by_context) {
      asio::post(*context, [acks = std::move(acks)]() mutable {
        for (auto& pending : acks) pending.session->send(std::move(pending.ack));
      });
    }
  }
}

}  // namespace

void run_bare_server(const BareServerOptions& options, const std::string& dir, int port_fd) {
  Writer writer(dir, options.nosync);
  unsigned n = options.threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  for (unsigned i = 0; i < n; ++i) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
    work.push_back(asio::make_work_guard(*contexts.back()));
  }
  tcp::acceptor acceptor(*contexts[0], {asio::ip::make_address("127.0.0.1"), 0});
  const std::uint16_t port = acceptor.local_endpoint().port();
  std::size_t next = 0;
  std::function<void()> accept = [&] {
    auto& context = *contexts[next];
    next = (next + 1) % contexts.size();
    acceptor.async_accept(context, [&](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true));
        auto session = std::make_shared<BareSession>(std::move(socket), writer);
        asio::post(session->context(), [session] { session->run(); });
      }
      accept();
    });
  };
  accept();
  if (::write(port_fd, &port, sizeof port) != sizeof port) _exit(5);
  ::close(port_fd);
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < n; ++i) {
    threads.emplace_back([&, i] {
      name_this_thread("bare-io");
      contexts[i]->run();
    });
  }
  name_this_thread("bare-io");
  contexts[0]->run();
  _exit(0);
}

}  // namespace rembuk::bench
