#include "hub.hpp"

#include <unordered_map>

#include <boost/json.hpp>

#include "jwks_fetch.hpp"
#include "protocol.hpp"
#include "websocket_session.hpp"

namespace rembuk::server {

namespace {
accounts::LimiterOptions limiter_options(int free_failures) {
  accounts::LimiterOptions o;
  o.free_failures = free_failures;
  return o;
}
}  // namespace

Hub::Hub(ServerOptions options, store::EventLog& log, std::unique_ptr<CommandPath> commands,
         ViewSource* views)
    : options_(std::move(options)),
      log_(log),
      commands_(std::move(commands)),
      views_(views),
      overview_(make_overview(log)),
      account_limiter_(limiter_options(options_.sign_in_free_failures_per_account)),
      address_limiter_(limiter_options(options_.sign_in_free_failures_per_address)) {}

accounts::PasswordCost Hub::password_cost() const {
  if (options_.password_operations == 0 || options_.password_memory_bytes == 0) {
    return accounts::PasswordCost::interactive();
  }
  return {options_.password_operations, options_.password_memory_bytes};
}

Hub::~Hub() { stop_feed(); }

std::int64_t Hub::now_s() const {
  if (options_.clock_s) return options_.clock_s();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<Unit, std::string> Hub::start_oidc() {
  if (options_.oidc_issuer.empty() && options_.oidc_audience.empty() && options_.oidc_jwks.empty()) {
    return Unit{};
  }
  accounts::OidcOptions o;
  o.issuer = options_.oidc_issuer;
  o.audience = options_.oidc_audience;
  o.jwks = options_.oidc_jwks;
  o.user_claim = options_.oidc_user_claim;
  o.roles_claim = options_.oidc_roles_claim;
  o.opd_claim = options_.oidc_opd_claim;
  o.fetch = fetch_jwks;
  auto verifier = accounts::OidcVerifier::create(std::move(o));
  if (!verifier) return fail("OIDC: " + verifier.error());
  oidc_ = std::move(verifier).value();
  return Unit{};
}

Result<Unit, std::string> Hub::start_feed() {
  auto head = log_.head();
  if (!head) return fail("cannot read the log's head: " + head.error().message);
  metrics_.events_in_log.store(head->position);
  feed_ = log_.subscribe(head->position, [this](const std::vector<store::RecordedEvent>& batch) {
    on_committed(batch);
  });
  return Unit{};
}

void Hub::stop_feed() {
  if (feed_) {
    feed_->cancel();
    feed_.reset();
  }
}

void Hub::on_committed(const std::vector<store::RecordedEvent>& batch) {
  if (batch.empty()) return;
  metrics_.events_in_log.store(batch.back().position);
  // Split by masterplan, keeping each one's order.
  std::unordered_map<std::string_view, std::vector<const store::RecordedEvent*>> by_stream;
  std::vector<std::string_view> order;
  for (const auto& event : batch) {
    metrics_.observe_committed(event.time_us, event.command_id);
    auto [it, inserted] = by_stream.try_emplace(event.stream);
    if (inserted) order.push_back(event.stream);
    it->second.push_back(&event);
  }
  // A removed member loses the masterplan at once, open connections included.
  for (const auto& event : batch) {
    if (event.type != "MemberRemoved") continue;
    boost::system::error_code ec;
    const auto payload = boost::json::parse(event.payload, ec);
    const auto* user = ec || !payload.is_object() ? nullptr : payload.as_object().if_contains("userId");
    if (user == nullptr || !user->is_string()) continue;
    for (const auto& session : sessions()) {
      session->membership_ended(event.stream, std::string(user->as_string()));
    }
  }
  for (const auto stream : order) {
    std::shared_ptr<Room> room;
    {
      std::lock_guard lock(rooms_mutex_);
      auto it = rooms_.find(std::string(stream));
      if (it == rooms_.end()) continue;
      room = it->second;
    }
    const auto& events = by_stream[stream];
    room->publish(protocol::make_events_frame(
        stream, std::span<const store::RecordedEvent* const>(events), /*live=*/true, 0, {}));
  }
}

std::shared_ptr<Room> Hub::join(const std::string& masterplan, std::uint64_t session_id,
                                std::weak_ptr<WebsocketSession> session) {
  std::lock_guard lock(rooms_mutex_);
  auto& room = rooms_[masterplan];
  if (!room) room = std::make_shared<Room>(masterplan);
  room->add(session_id, std::move(session));
  return room;
}

void Hub::leave(const std::string& masterplan, std::uint64_t session_id) {
  std::shared_ptr<Room> room;
  {
    std::lock_guard lock(rooms_mutex_);
    auto it = rooms_.find(masterplan);
    if (it == rooms_.end()) return;
    room = it->second;
    room->remove(session_id);
    if (room->empty()) rooms_.erase(it);
  }
}

std::vector<std::shared_ptr<Room>> Hub::rooms() const {
  std::lock_guard lock(rooms_mutex_);
  std::vector<std::shared_ptr<Room>> out;
  out.reserve(rooms_.size());
  for (const auto& [name, room] : rooms_) out.push_back(room);
  return out;
}

bool Hub::register_session(std::uint64_t id, std::weak_ptr<WebsocketSession> session) {
  std::lock_guard lock(sessions_mutex_);
  if (sessions_.size() >= options_.max_connections) return false;
  sessions_.emplace(id, std::move(session));
  metrics_.connections.store(static_cast<std::int64_t>(sessions_.size()));
  return true;
}

void Hub::unregister_session(std::uint64_t id) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(id);
  metrics_.connections.store(static_cast<std::int64_t>(sessions_.size()));
}

std::vector<std::shared_ptr<WebsocketSession>> Hub::sessions() const {
  std::vector<std::shared_ptr<WebsocketSession>> out;
  std::lock_guard lock(sessions_mutex_);
  out.reserve(sessions_.size());
  for (const auto& [id, weak] : sessions_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

std::size_t Hub::session_count() const {
  std::lock_guard lock(sessions_mutex_);
  return sessions_.size();
}

}  // namespace rembuk::server
