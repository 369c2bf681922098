// WebsocketSession: one client connection after the HTTP upgrade (docs/protocol.md).
//
// Concurrency: everything a session does runs on its strand (the socket's executor).
// Other threads (rooms broadcasting, the engine's callbacks, the sweeper, shutdown) only
// call the thread-safe entry points below, which post to the strand. One read and at most
// one write are in flight at a time (do_x starts an operation, on_x completes it).
//
// Sending: frames wait in a bounded queue of shared immutable buffers. Live `events`
// frames of one masterplan that pile up are merged into one message before writing. A
// client whose queue exceeds send_queue_limit messages or send_queue_bytes is closed with
// 1013; nobody else waits for it.
//
// Subscriptions: per masterplan the session remembers the last version it delivered; a
// live frame that repeats it is dropped, one that skips ahead makes the session read the
// gap from the log first, so the client sees every version exactly once.
//
// Lifetime: shared_ptr-owned; the pending read keeps it alive until the socket closes.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "frame.hpp"
#include "limits.hpp"
#include "ws_stream.hpp"
#include "protocol.hpp"
#include "rembuk/server/token.hpp"

namespace rembuk::server {

class Hub;
class Room;

class WebsocketSession : public std::enable_shared_from_this<WebsocketSession> {
 public:
  using Clock = std::chrono::steady_clock;

  // `stream`: the connection after the HTTP upgrade request was read (plain or TLS).
  WebsocketSession(WsStream&& stream, Hub& hub);
  ~WebsocketSession();

  // Accepts the upgrade request. Call once, right after construction.
  void run(boost::beast::http::request<boost::beast::http::string_body> request);

  // Thread-safe entry points (each posts to the strand).
  void deliver(FramePtr frame);
  void shutdown();  // close with 1001 after the queued messages
  void sweep(Clock::time_point now);
  // A MemberRemoved of `user` in `masterplan` was committed: a person's session of that user
  // loses the subscription at once (unless a global role lets them read every masterplan).
  void membership_ended(const std::string& masterplan, const std::string& user);
  // The account store changed: a person's session whose account was disabled or whose
  // sign-in session ended is told and closed (1008).
  void recheck_account();

  std::uint64_t id() const { return id_; }

 private:
  struct HeldAck {
    std::uint64_t version = 0;
    std::string command_id;
    FramePtr frame;
  };
  struct SubscriptionState {
    std::uint64_t delivered = 0;  // the last version sent to the client
    std::shared_ptr<Room> room;
    // An author's ack and its own live events leave together (send_ack): the commands
    // submitted here whose ack is not sent yet, the live frames that wait for one of those
    // acks (and every later one, in order), and the acks that wait for their events.
    std::vector<std::string> awaiting;
    std::deque<FramePtr> held_events;
    std::vector<HeldAck> held_acks;
    Clock::time_point held_since{};  // when the oldest of those began to wait
  };

  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle(std::string_view text);
  void handle_hello(protocol::Hello& hello, const std::string& id_json);
  void handle_subscribe(protocol::Subscribe& subscribe, const std::string& id_json);
  void handle_unsubscribe(protocol::Unsubscribe& unsubscribe, const std::string& id_json);
  void handle_submit(protocol::Submit& submit, const std::string& id_json);
  void handle_presence(protocol::Presence& presence, const std::string& id_json);

  bool catch_up(const std::string& masterplan, SubscriptionState& sub,
                const std::string& id_json);
  void deliver_live(const FramePtr& frame);
  void send_live(SubscriptionState& sub, FramePtr frame);
  void send_ack(const std::string& masterplan, const std::string& command_id,
                std::uint64_t version, FramePtr ack);
  void send_ack_now(SubscriptionState& sub, const std::string& command_id, FramePtr ack,
                    bool write_now = true);
  void send_released(SubscriptionState& sub);
  void release_all(SubscriptionState& sub);
  // Queues the frame; write_now = false leaves the write to a later call in the same turn, so
  // that the frames queued together can share a TCP segment (do_write).
  void send(FramePtr frame, bool write_now = true);
  void send_text(std::string text) { send(make_frame(std::move(text))); }
  void send_error(protocol::ErrorCode code, std::string_view message, std::string_view ref = {},
                  std::string_view path = {}, std::string_view id_json = {});
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void begin_close(std::uint16_t code, std::string reason, bool flush);
  void do_close();
  void on_closed();
  void leave_rooms();
  void drop_subscription(const std::string& masterplan);
  void end_signed_out();

  Hub& hub_;
  WsStream ws_;
  boost::beast::flat_buffer read_buffer_;
  const std::uint64_t id_;
  std::string session_name_;
  bool registered_ = false;

  std::optional<Claims> claims_;
  std::unordered_map<std::string, SubscriptionState> subscriptions_;
  TokenBucket bucket_;
  Clock::time_point started_;
  Clock::time_point last_activity_;
  Clock::time_point next_account_check_;

  std::deque<FramePtr> queue_;
  std::size_t queued_bytes_ = 0;
  FramePtr writing_;  // the frame being written, or null
  std::size_t writing_bytes_ = 0;

  bool closing_ = false;  // a close was decided; nothing more is read or queued
  bool close_sent_ = false;
  bool flush_before_close_ = false;
  bool finished_ = false;  // the read loop ended; rooms left
  std::uint16_t close_code_ = 1000;
  std::string close_reason_;
  Clock::time_point close_deadline_;
};

}  // namespace rembuk::server
