#include "bare_server.hpp"

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
#include <unordered_map>
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

// A submit the writer commits, then acks to its session and publishes to the masterplan's
// subscribers.
struct Pending {
  std::shared_ptr<BareSession> session;
  std::string masterplan;
  std::string command_id;
  std::string command;  // the submitted command, serialised: the live event's payload
};

// Who subscribed to which masterplan. Sessions come and go on the io threads; the writer
// reads it once per commit.
class Rooms {
 public:
  void join(const std::string& masterplan, const std::shared_ptr<BareSession>& session) {
    std::lock_guard lock(mutex_);
    auto& members = rooms_[masterplan];
    if (std::find(members.begin(), members.end(), session) == members.end()) {
      members.push_back(session);
    }
  }

  void leave(const BareSession* session) {
    std::lock_guard lock(mutex_);
    for (auto it = rooms_.begin(); it != rooms_.end();) {
      std::erase_if(it->second, [&](const auto& member) { return member.get() == session; });
      it = it->second.empty() ? rooms_.erase(it) : std::next(it);
    }
  }

  using Map = std::unordered_map<std::string, std::vector<std::shared_ptr<BareSession>>>;

  // Calls `read(rooms)` under the lock: the writer looks up a whole commit's masterplans at
  // once, taking the lock once per commit.
  template <typename Read>
  void read(Read&& read) const {
    std::lock_guard lock(mutex_);
    read(static_cast<const Map&>(rooms_));
  }

 private:
  mutable std::mutex mutex_;
  Map rooms_;
};

// What one io context is handed after a commit: acks and live events, in commit order.
struct Outgoing {
  std::shared_ptr<BareSession> session;
  std::shared_ptr<const std::string> text;
};

// One thread committing what has queued; the acks and live events of a commit go to each io
// context in one post.
class Writer {
 public:
  Writer(const std::string& dir, bool nosync, const Rooms& rooms)
      : db_(dir + "/bare", nosync ? RawSync::none : RawSync::two_syncs),
        rooms_(rooms),
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
  const Rooms& rooms_;
  std::unordered_map<std::string, std::int64_t> versions_;  // per masterplan; writer thread
  const std::string record_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Pending> queue_;  // GUARDED_BY(mutex_)
  std::thread thread_;          // never joined: the process ends by a signal
};

class BareSession : public std::enable_shared_from_this<BareSession> {
 public:
  BareSession(tcp::socket socket, Writer& writer, Rooms& rooms)
      : ws_(std::move(socket)), context_(static_cast<asio::io_context*>(
                                    &asio::query(ws_.get_executor(), asio::execution::context))),
        writer_(writer),
        rooms_(rooms) {}

  asio::io_context& context() { return *context_; }

  void run() {
    ws_.async_accept([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->read();
    });
  }

  // On the session's io thread.
  void send(std::shared_ptr<const std::string> text) {
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) write();
  }

 private:
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->rooms_.leave(self.get());
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
      send(std::make_shared<const std::string>(R"({"type":"welcome"})"));
      return;
    }
    const auto* masterplan = object.if_contains("masterplan");
    if (masterplan == nullptr || !masterplan->is_string()) return;
    if (type->as_string() == "subscribe") {
      // No history is kept: the catch-up is empty and every later commit comes live.
      rooms_.join(std::string(masterplan->as_string()), shared_from_this());
      std::string reply = R"({"type":"events","masterplan":)";
      reply += boost::json::serialize(masterplan->as_string());
      reply += R"(,"events":[],"version":0,"catchUp":true})";
      send(std::make_shared<const std::string>(std::move(reply)));
      return;
    }
    if (type->as_string() != "submit") return;
    const auto* id = object.if_contains("commandId");
    const auto* command = object.if_contains("command");
    if (id == nullptr || !id->is_string() || command == nullptr) return;
    writer_.submit(Pending{shared_from_this(), std::string(masterplan->as_string()),
                           std::string(id->as_string()), boost::json::serialize(*command)});
  }

  void write() {
    ws_.async_write(asio::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return;
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) self->write();
                    });
  }

  websocket::stream<tcp::socket> ws_;
  asio::io_context* context_;
  Writer& writer_;
  Rooms& rooms_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
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
    // Each committed submit: its ack, and one live `events` message shared by every
    // subscriber of its masterplan (the author too, as rembuk's protocol says).
    std::map<asio::io_context*, std::vector<Outgoing>> by_context;
    rooms_.read([&](const Rooms::Map& rooms) {
      for (auto& pending : batch) {
        const auto version = ++versions_[pending.masterplan];
        const auto masterplan =
            boost::json::serialize(boost::json::string_view(pending.masterplan));
        const auto command_id =
            boost::json::serialize(boost::json::string_view(pending.command_id));
        const auto version_text = std::to_string(version);
        auto ack = std::make_shared<std::string>(R"({"type":"ack","commandId":)");
        *ack += command_id;
        *ack += R"(,"masterplan":)";
        *ack += masterplan;
        *ack += R"(,"version":)";
        *ack += version_text;
        *ack += '}';
        auto& context = pending.session->context();
        by_context[&context].push_back(Outgoing{std::move(pending.session), std::move(ack)});
        const auto room = rooms.find(pending.masterplan);
        if (room == rooms.end()) continue;
        auto events = std::make_shared<std::string>(R"({"type":"events","masterplan":)");
        *events += masterplan;
        *events += R"(,"events":[{"type":"Edited","version":)";
        *events += version_text;
        *events += R"(,"commandId":)";
        *events += command_id;
        *events += R"(,"payload":)";
        *events += pending.command;
        *events += R"(}],"version":)";
        *events += version_text;
        *events += '}';
        for (const auto& member : room->second) {
          by_context[&member->context()].push_back(Outgoing{member, events});
        }
      }
    });
    for (auto& [context, outgoing] : by_context) {
      asio::post(*context, [outgoing = std::move(outgoing)]() mutable {
        for (auto& out : outgoing) out.session->send(std::move(out.text));
      });
    }
  }
}

}  // namespace

void run_bare_server(const BareServerOptions& options, const std::string& dir,
                     const std::function<void(std::uint16_t port)>& listening) {
  Rooms rooms;
  Writer writer(dir, options.nosync, rooms);
  unsigned n = options.threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  for (unsigned i = 0; i < n; ++i) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
    work.push_back(asio::make_work_guard(*contexts.back()));
  }
  tcp::acceptor acceptor(*contexts[0], {asio::ip::make_address("127.0.0.1"), options.port});
  const std::uint16_t port = acceptor.local_endpoint().port();
  std::size_t next = 0;
  std::function<void()> accept = [&] {
    auto& context = *contexts[next];
    next = (next + 1) % contexts.size();
    acceptor.async_accept(context, [&](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true));
        auto session = std::make_shared<BareSession>(std::move(socket), writer, rooms);
        asio::post(session->context(), [session] { session->run(); });
      }
      accept();
    });
  };
  accept();
  listening(port);
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
