#include "websocket_session.hpp"

#include <algorithm>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "access.hpp"
#include "hub.hpp"
#include "room.hpp"

namespace rembuk::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using protocol::ErrorCode;

namespace {

constexpr std::size_t kCatchUpChunk = 4096;
constexpr auto kCloseGrace = std::chrono::seconds(5);
constexpr std::size_t kKeepReadBuffer = 16 * 1024;
// A person's connection outlives its 15-minute access token while its sign-in session is
// alive; revocations arrive through recheck_account(), and this bounds how late a session
// that simply expired is noticed.
constexpr auto kAccountCheckEvery = std::chrono::seconds(30);
// An author's ack and its own events wait for each other (send_live) at most this long: both
// come from one commit, so only a fault (an ack never told) would reach it.
constexpr auto kHoldLimit = std::chrono::seconds(1);

#ifndef REMBUK_SERVER_VERSION
#define REMBUK_SERVER_VERSION "0.0.0"
#endif

}  // namespace

WebsocketSession::WebsocketSession(WsStream&& stream, Hub& hub)
    : hub_(hub),
      ws_(std::move(stream)),
      id_(hub.next_session_id()),
      session_name_("s" + std::to_string(id_)),
      bucket_(hub.options().commands_per_second),
      started_(Clock::now()),
      last_activity_(started_) {}

WebsocketSession::~WebsocketSession() {
  if (!finished_) leave_rooms();
  if (registered_) hub_.unregister_session(id_);
}

void WebsocketSession::run(beast::http::request<beast::http::string_body> request) {
  registered_ = hub_.register_session(id_, weak_from_this());
  ws_.visit([&](auto& ws) {
    // The WebSocket's own timeouts (and the sweeper) take over from the HTTP deadline.
    beast::get_lowest_layer(ws).expires_never();
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(beast::http::field::server, "rembuk/" REMBUK_SERVER_VERSION);
    }));
    ws.read_message_max(hub_.options().max_frame_bytes);
    ws.auto_fragment(false);
    ws.async_accept(request,
                    beast::bind_front_handler(&WebsocketSession::on_accept, shared_from_this()));
  });
}

void WebsocketSession::on_accept(beast::error_code ec) {
  if (ec) return on_closed();
  if (!registered_) {
    begin_close(static_cast<std::uint16_t>(websocket::close_code::try_again_later),
                "too many connections", false);
  }
  do_read();
}

void WebsocketSession::do_read() {
  ws_.visit([this](auto& ws) {
    ws.async_read(read_buffer_,
                  beast::bind_front_handler(&WebsocketSession::on_read, shared_from_this()));
  });
}

void WebsocketSession::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return on_closed();
  if (!closing_) {
    last_activity_ = Clock::now();
    if (!ws_.got_text()) {
      send_error(ErrorCode::binary_not_supported, "binary frames are not supported; send JSON text");
    } else {
      const auto data = read_buffer_.cdata();
      handle(std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
  }
  read_buffer_.consume(read_buffer_.size());
  if (read_buffer_.capacity() > kKeepReadBuffer) read_buffer_.shrink_to_fit();
  do_read();
}

void WebsocketSession::handle(std::string_view text) {
  protocol::DecodeLimits limits;
  limits.max_focus_bytes = hub_.options().max_focus_bytes;
  auto decoded = protocol::decode(text, limits);
  if (!decoded) {
    const auto& e = decoded.error();
    send_error(e.code, e.message, e.ref, e.path, e.id_json);
    return;
  }
  auto& message = decoded.value();
  const std::string& id_json = message.id_json;
  if (std::holds_alternative<protocol::Ping>(message.body)) {
    send_text(protocol::encode_pong(id_json));
    return;
  }
  if (auto* hello = std::get_if<protocol::Hello>(&message.body)) {
    handle_hello(*hello, id_json);
    return;
  }
  if (!claims_) {
    send_error(ErrorCode::not_authenticated, "say hello with a token first", {}, {}, id_json);
    return;
  }
  if (auto* m = std::get_if<protocol::Subscribe>(&message.body)) {
    handle_subscribe(*m, id_json);
  } else if (auto* u = std::get_if<protocol::Unsubscribe>(&message.body)) {
    handle_unsubscribe(*u, id_json);
  } else if (auto* s = std::get_if<protocol::Submit>(&message.body)) {
    handle_submit(*s, id_json);
  } else if (auto* p = std::get_if<protocol::Presence>(&message.body)) {
    handle_presence(*p, id_json);
  }
}

void WebsocketSession::handle_hello(protocol::Hello& hello, const std::string& id_json) {
  if (claims_) {
    send_error(ErrorCode::already_authenticated, "this connection already said hello", "hello",
               {}, id_json);
    return;
  }
  auto verified = authenticate(hub_, hello.token);
  if (!verified) {
    const auto& failure = verified.error();
    send_error(failure.error == TokenError::expired ? ErrorCode::token_expired
                                                    : ErrorCode::invalid_token,
               failure.message, "hello", "/token", id_json);
    return;
  }
  claims_ = std::move(verified.value());
  next_account_check_ = Clock::now() + kAccountCheckEvery;
  boost::json::object server;
  server["version"] = REMBUK_SERVER_VERSION;
  server["maxFrameBytes"] = hub_.options().max_frame_bytes;
  server["commandsPerSecond"] = hub_.options().commands_per_second;
  server["presenceTtlMs"] = hub_.options().presence_ttl.count();
  // A member's welcome lists the masterplans its memberships open.
  const auto masterplans = claims_->person() && !reads_every_masterplan(*claims_)
                               ? accessible_masterplans(hub_, *claims_)
                               : claims_->masterplans;
  send_text(protocol::encode_welcome(session_name_, claims_->user, claims_->roles, claims_->opd,
                                     masterplans, server, id_json));
}

void WebsocketSession::handle_subscribe(protocol::Subscribe& subscribe,
                                        const std::string& id_json) {
  const std::string& mp = subscribe.masterplan;
  if (!may_access(hub_, *claims_, mp)) {
    send_error(ErrorCode::forbidden,
               claims_->person() ? "you are not a member of masterplan '" + mp + "'"
                                 : "the token is not valid for masterplan '" + mp + "'",
               "subscribe", "/masterplan", id_json);
    return;
  }
  auto it = subscriptions_.find(mp);
  if (it == subscriptions_.end()) {
    if (subscriptions_.size() >= hub_.options().max_subscriptions_per_connection) {
      send_error(ErrorCode::too_many_subscriptions,
                 "at most " + std::to_string(hub_.options().max_subscriptions_per_connection) +
                     " subscriptions per connection",
                 "subscribe", {}, id_json);
      return;
    }
    it = subscriptions_.emplace(mp, SubscriptionState{}).first;
    hub_.metrics().subscriptions.fetch_add(1);
    // Join before reading: every event committed after the read is then delivered live.
    it->second.room = hub_.join(mp, id_, weak_from_this());
  } else {
    release_all(it->second);  // the catch-up below starts over from fromVersion
  }
  it->second.delivered = subscribe.from_version;
  if (!catch_up(mp, it->second, id_json)) {
    release_all(it->second);
    hub_.leave(mp, id_);
    subscriptions_.erase(it);
    hub_.metrics().subscriptions.fetch_sub(1);
    return;
  }
  for (auto& frame : it->second.room->presence_for(id_)) send(std::move(frame));
}

bool WebsocketSession::catch_up(const std::string& masterplan, SubscriptionState& sub,
                                const std::string& id_json) {
  auto& log = hub_.log();
  auto info = log.stream_info(masterplan);
  if (!info) {
    send_error(ErrorCode::read_failed, "cannot read the log: " + info.error().message,
               "subscribe", {}, id_json);
    return false;
  }
  const std::uint64_t current = info->has_value() ? (*info)->revision : 0;
  if (sub.delivered > current) {
    send_error(ErrorCode::invalid_field,
               "fromVersion " + std::to_string(sub.delivered) +
                   " is ahead of the masterplan's version " + std::to_string(current),
               "subscribe", "/fromVersion", id_json);
    return false;
  }
  if (current - sub.delivered > hub_.options().snapshot_threshold) {
    auto state = hub_.commands().state(masterplan, std::nullopt, std::nullopt);
    if (state && state->ok() && (*state)->version >= sub.delivered && (*state)->exists) {
      send_text(protocol::encode_snapshot(masterplan, (*state)->version, (*state)->json, id_json));
      sub.delivered = (*state)->version;
    }
  }
  bool sent = false;
  while (true) {
    auto chunk = log.read_stream(masterplan, sub.delivered + 1, kCatchUpChunk);
    if (!chunk) {
      send_error(ErrorCode::read_failed, "cannot read the log: " + chunk.error().message,
                 "subscribe", {}, id_json);
      return false;
    }
    if (chunk->empty() && sent) break;
    send(protocol::make_events_frame(masterplan, *chunk, /*live=*/false, sub.delivered, id_json));
    sent = true;
    if (!chunk->empty()) sub.delivered = chunk->back().revision;
    if (chunk->size() < kCatchUpChunk) break;
  }
  return true;
}

void WebsocketSession::handle_unsubscribe(protocol::Unsubscribe& unsubscribe,
                                          const std::string& id_json) {
  auto it = subscriptions_.find(unsubscribe.masterplan);
  if (it != subscriptions_.end()) {
    release_all(it->second);
    hub_.leave(unsubscribe.masterplan, id_);
    subscriptions_.erase(it);
    hub_.metrics().subscriptions.fetch_sub(1);
  }
  send_text(protocol::encode_unsubscribed(unsubscribe.masterplan, id_json));
}

void WebsocketSession::handle_submit(protocol::Submit& submit, const std::string& id_json) {
  auto reject = [&](std::string_view code, std::string_view message) {
    hub_.metrics().count_rejection(code);
    send_text(protocol::encode_reject(submit.command_id, submit.masterplan, code, message,
                                      boost::json::array{}, id_json));
  };
  if (!may_access(hub_, *claims_, submit.masterplan)) {
    return reject("forbidden", claims_->person()
                                   ? "you are not a member of masterplan '" + submit.masterplan +
                                         "'"
                                   : "the token is not valid for masterplan '" +
                                         submit.masterplan + "'");
  }
  if (hub_.stopping()) return reject("unavailable", "the server is shutting down");
  if (!bucket_.try_take()) {
    return reject("rate_limited", "more than " +
                                      std::to_string(hub_.options().commands_per_second) +
                                      " commands per second on this connection");
  }
  SubmitRequest request;
  request.masterplan = submit.masterplan;
  request.command_id = submit.command_id;
  request.user = claims_->user;
  request.roles = claims_->roles;
  request.opd = claims_->opd;
  request.base_version = submit.base_version;
  request.command = std::move(submit.command);

  if (auto it = subscriptions_.find(submit.masterplan); it != subscriptions_.end()) {
    it->second.awaiting.push_back(submit.command_id);
  }
  hub_.submit_started();
  const auto start = Clock::now();
  hub_.commands().submit(
      std::move(request),
      [self = shared_from_this(), start, command_id = std::move(submit.command_id),
       masterplan = std::move(submit.masterplan), id_json](SubmitResult result) mutable {
        // The session leaves this callback with the posted handler, not with the callback
        // object: that is destroyed later, on an engine thread, possibly after the server's
        // io_context (whose websocket service a session's destructor touches) is gone.
        auto session = std::move(self);
        Hub& hub = session->hub_;
        hub.metrics().observe_commit_latency(
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
        std::string text;
        if (result.accepted) {
          hub.metrics().commands_accepted.fetch_add(1, std::memory_order_relaxed);
          text = protocol::encode_ack(command_id, masterplan, result.version, result.duplicate,
                                      id_json);
        } else {
          hub.metrics().count_rejection(result.code);
          text = protocol::encode_reject(command_id, masterplan, result.code, result.message,
                                         result.violations, id_json);
        }
        // One wake-up of an io thread for the acks of a whole commit, not one each.
        auto executor = session->ws_.get_executor();
        const void* context = &asio::query(executor, asio::execution::context);
        const std::uint64_t version = result.accepted ? result.version : 0;
        hub.hand_to_io(context, [executor, session = std::move(session), version,
                                 masterplan = std::move(masterplan),
                                 command_id = std::move(command_id),
                                 text = std::move(text)]() mutable {
          asio::dispatch(executor, [session = std::move(session), version,
                                    masterplan = std::move(masterplan),
                                    command_id = std::move(command_id),
                                    text = std::move(text)]() mutable {
            session->send_ack(masterplan, command_id, version, make_frame(std::move(text)));
          });
        });
        hub.submit_finished();
      });
}

void WebsocketSession::handle_presence(protocol::Presence& presence, const std::string& id_json) {
  auto it = subscriptions_.find(presence.masterplan);
  if (it == subscriptions_.end()) {
    send_error(ErrorCode::not_subscribed,
               "subscribe to masterplan '" + presence.masterplan + "' before sending presence",
               "presence", "/masterplan", id_json);
    return;
  }
  if (!bucket_.try_take()) {
    send_error(ErrorCode::rate_limited, "too many messages per second on this connection",
               "presence", {}, id_json);
    return;
  }
  it->second.room->set_presence(id_, claims_->user, session_name_,
                                std::move(presence.focus_json), Clock::now());
}

void WebsocketSession::deliver(FramePtr frame) {
  auto self = shared_from_this();
  asio::post(ws_.get_executor(), [self = std::move(self), frame = std::move(frame)]() mutable {
    if (frame->kind == Frame::Kind::events && frame->live) {
      self->deliver_live(frame);
    } else {
      self->send(std::move(frame));
    }
  });
}

void WebsocketSession::deliver_live(const FramePtr& frame) {
  if (closing_) return;
  auto it = subscriptions_.find(frame->masterplan);
  if (it == subscriptions_.end()) return;
  auto& sub = it->second;
  if (frame->last_version <= sub.delivered) return;  // already sent (catch-up saw it)
  if (frame->first_version == sub.delivered + 1) {
    sub.delivered = frame->last_version;
    send_live(sub, frame);
    return;
  }
  // A gap or a partial overlap: read exactly what is missing from the log.
  auto events = hub_.log().read_stream(frame->masterplan, sub.delivered + 1,
                                       frame->last_version - sub.delivered);
  if (!events || events->empty()) {
    begin_close(static_cast<std::uint16_t>(websocket::close_code::internal_error),
                "cannot read the log", false);
    return;
  }
  sub.delivered = events->back().revision;
  send_live(sub, protocol::make_events_frame(frame->masterplan, *events, /*live=*/true, 0, {}));
}

// An author subscribed to the masterplan gets the live `events` with its own events, then its
// ack (docs/protocol.md), in one TCP segment: queued together, the first is written with
// MSG_MORE (do_write). One wake-up of the client and one loopback delivery instead of two.
// Whichever reaches this session first waits for the other: a frame that carries a command
// still awaiting its ack (and every frame after it, to keep the order), or an ack whose
// version has not been sent yet. Both come from the same commit, microseconds apart; an
// unsubscribe, a close or kHoldLimit sends whatever waits.
void WebsocketSession::send_live(SubscriptionState& sub, FramePtr frame) {
  bool waits = !sub.held_events.empty();
  for (const auto& id : sub.awaiting) {
    if (waits) break;
    waits = std::find(frame->command_ids.begin(), frame->command_ids.end(), id) !=
            frame->command_ids.end();
  }
  if (waits) {
    if (sub.held_events.empty() && sub.held_acks.empty()) sub.held_since = Clock::now();
    sub.held_events.push_back(std::move(frame));
  } else {
    send(std::move(frame), false);
  }
  // Acks whose events were still to come.
  for (std::size_t i = 0; i < sub.held_acks.size();) {
    if (sub.held_acks[i].version <= sub.delivered) {
      HeldAck held = std::move(sub.held_acks[i]);
      sub.held_acks.erase(sub.held_acks.begin() + static_cast<std::ptrdiff_t>(i));
      send_ack_now(sub, held.command_id, std::move(held.frame), false);
    } else {
      ++i;
    }
  }
  if (!writing_) do_write();
}

void WebsocketSession::send_ack(const std::string& masterplan, const std::string& command_id,
                                std::uint64_t version, FramePtr ack) {
  auto it = subscriptions_.find(masterplan);
  if (it == subscriptions_.end()) {
    send(std::move(ack));
    return;
  }
  auto& sub = it->second;
  if (version > sub.delivered) {
    if (sub.held_events.empty() && sub.held_acks.empty()) sub.held_since = Clock::now();
    sub.held_acks.push_back(HeldAck{version, command_id, std::move(ack)});
    return;
  }
  send_ack_now(sub, command_id, std::move(ack));
}

void WebsocketSession::send_ack_now(SubscriptionState& sub, const std::string& command_id,
                                    FramePtr ack, bool write_now) {
  // Every entry: a retry of the command on this connection is answered from the same events.
  std::erase(sub.awaiting, command_id);
  send_released(sub);
  send(std::move(ack), write_now);
}

void WebsocketSession::send_released(SubscriptionState& sub) {
  while (!sub.held_events.empty()) {
    const auto& ids = sub.held_events.front()->command_ids;
    for (const auto& id : sub.awaiting) {
      if (std::find(ids.begin(), ids.end(), id) != ids.end()) return;
    }
    send(std::move(sub.held_events.front()), false);
    sub.held_events.pop_front();
  }
}

void WebsocketSession::release_all(SubscriptionState& sub) {
  sub.awaiting.clear();
  send_released(sub);
  for (auto& held : sub.held_acks) send(std::move(held.frame), false);
  sub.held_acks.clear();
  if (!writing_) do_write();
}

void WebsocketSession::send_error(ErrorCode code, std::string_view message, std::string_view ref,
                                  std::string_view path, std::string_view id_json) {
  send_text(protocol::encode_error(code, message, ref, path, id_json));
}

void WebsocketSession::send(FramePtr frame, bool write_now) {
  if (closing_) return;
  const auto& options = hub_.options();
  if (queue_.size() + 1 > options.send_queue_limit ||
      queued_bytes_ + frame->bytes.size() > options.send_queue_bytes) {
    hub_.metrics().slow_clients_closed.fetch_add(1, std::memory_order_relaxed);
    begin_close(static_cast<std::uint16_t>(websocket::close_code::try_again_later),
                "send queue full: client too slow", false);
    return;
  }
  queued_bytes_ += frame->bytes.size();
  queue_.push_back(std::move(frame));
  if (write_now && !writing_) do_write();
}

void WebsocketSession::do_write() {
  if (writing_ || finished_) return;
  if (queue_.empty()) {
    if (closing_ && !close_sent_) do_close();
    return;
  }
  FramePtr first = std::move(queue_.front());
  queue_.pop_front();
  std::size_t bytes = first->bytes.size();
  if (first->kind == Frame::Kind::events && first->live && !queue_.empty()) {
    // Merge the live events of this masterplan that piled up behind it.
    std::vector<FramePtr> run{first};
    while (!queue_.empty()) {
      const auto& next = queue_.front();
      if (next->kind != Frame::Kind::events || !next->live ||
          next->masterplan != first->masterplan ||
          next->first_version != run.back()->last_version + 1) {
        break;
      }
      bytes += next->bytes.size();
      run.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    if (run.size() > 1) first = protocol::merge_events(run);
  }
  writing_ = std::move(first);
  writing_bytes_ = bytes;
  ws_.text(true);
  // The next message is written as soon as this one is: let both share a segment.
  ws_.more_follows(!queue_.empty());
  ws_.visit([this](auto& ws) {
    ws.async_write(asio::buffer(writing_->bytes),
                   beast::bind_front_handler(&WebsocketSession::on_write, shared_from_this()));
  });
}

void WebsocketSession::on_write(beast::error_code ec, std::size_t /*bytes*/) {
  queued_bytes_ -= writing_bytes_;
  writing_bytes_ = 0;
  writing_.reset();
  if (ec) {
    closing_ = true;
    close_sent_ = true;  // the stream is unusable; the read side ends the session
    queue_.clear();
    queued_bytes_ = 0;
    return;
  }
  hub_.metrics().messages_sent.fetch_add(1, std::memory_order_relaxed);
  do_write();
}

void WebsocketSession::begin_close(std::uint16_t code, std::string reason, bool flush) {
  if (closing_ || finished_) return;
  if (flush) {
    // Every ack is owed before the close frame, its events sent or not.
    for (auto& [mp, sub] : subscriptions_) release_all(sub);
  }
  closing_ = true;
  close_code_ = code;
  close_reason_ = std::move(reason);
  close_deadline_ = Clock::now() + kCloseGrace;
  if (!flush) {
    queue_.clear();
    queued_bytes_ = writing_bytes_;
  }
  if (!writing_) do_write();
}

void WebsocketSession::do_close() {
  close_sent_ = true;
  ws_.more_follows(false);
  websocket::close_reason reason;
  reason.code = close_code_;
  reason.reason.assign(close_reason_.data(),
                       std::min(close_reason_.size(), reason.reason.max_size()));
  ws_.visit([&](auto& ws) {
    ws.async_close(reason, [self = shared_from_this()](beast::error_code) {
      // The read loop sees the peer's answer (or the error) and ends the session.
    });
  });
}

void WebsocketSession::on_closed() {
  if (finished_) return;
  finished_ = true;
  closing_ = true;
  queue_.clear();
  queued_bytes_ = writing_bytes_;
  leave_rooms();
  if (registered_) {
    hub_.unregister_session(id_);
    registered_ = false;
  }
}

void WebsocketSession::leave_rooms() {
  for (const auto& [mp, sub] : subscriptions_) {
    hub_.leave(mp, id_);
    hub_.metrics().subscriptions.fetch_sub(1);
  }
  subscriptions_.clear();
}

void WebsocketSession::shutdown() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->begin_close(static_cast<std::uint16_t>(websocket::close_code::going_away),
                      "server shutting down", true);
  });
}

void WebsocketSession::sweep(Clock::time_point now) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), now] {
    if (self->finished_) return;
    const auto& options = self->hub_.options();
    if (self->closing_) {
      if (now > self->close_deadline_) {
        beast::error_code ignored;
        self->ws_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        self->ws_.socket().close(ignored);
      }
      return;
    }
    for (auto& [mp, sub] : self->subscriptions_) {
      if ((!sub.held_events.empty() || !sub.held_acks.empty()) &&
          now - sub.held_since > kHoldLimit) {
        self->release_all(sub);
      }
    }
    if (!self->claims_ && now - self->started_ > options.hello_timeout) {
      self->begin_close(static_cast<std::uint16_t>(websocket::close_code::policy_error),
                        "hello timeout", true);
    } else if (now - self->last_activity_ > options.idle_timeout) {
      self->begin_close(4000, "idle timeout", true);
    } else if (self->claims_ && self->claims_->person() && !self->claims_->external) {
      if (now >= self->next_account_check_) {
        self->next_account_check_ = now + kAccountCheckEvery;
        if (!still_signed_in(self->hub_, *self->claims_)) self->end_signed_out();
      }
    } else if (self->claims_ && self->hub_.now_s() >= self->claims_->expires_at) {
      self->send_error(ErrorCode::token_expired, "the token expired; reconnect with a new one");
      self->begin_close(static_cast<std::uint16_t>(websocket::close_code::policy_error),
                        "token expired", true);
    }
  });
}

void WebsocketSession::membership_ended(const std::string& masterplan, const std::string& user) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), masterplan, user] {
    if (self->finished_ || self->closing_ || !self->claims_ || !self->claims_->person()) return;
    if (self->claims_->user != user || reads_every_masterplan(*self->claims_)) return;
    if (self->subscriptions_.find(masterplan) == self->subscriptions_.end()) return;
    self->drop_subscription(masterplan);
    self->send_error(ErrorCode::forbidden,
                     "your membership of masterplan '" + masterplan + "' ended",
                     "subscribe", "/masterplan");
    self->send_text(protocol::encode_unsubscribed(masterplan, {}));
  });
}

void WebsocketSession::recheck_account() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->finished_ || self->closing_ || !self->claims_ || !self->claims_->person()) return;
    if (!still_signed_in(self->hub_, *self->claims_)) self->end_signed_out();
  });
}

void WebsocketSession::end_signed_out() {
  send_error(ErrorCode::invalid_token,
             "signed out: the account was disabled or the session ended");
  begin_close(static_cast<std::uint16_t>(websocket::close_code::policy_error), "signed out",
              true);
}

void WebsocketSession::drop_subscription(const std::string& masterplan) {
  auto it = subscriptions_.find(masterplan);
  if (it == subscriptions_.end()) return;
  release_all(it->second);
  hub_.leave(masterplan, id_);
  subscriptions_.erase(it);
  hub_.metrics().subscriptions.fetch_sub(1);
}

}  // namespace rembuk::server
