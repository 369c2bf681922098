#include "invitation_routes.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <future>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "access.hpp"
#include "bearer.hpp"
#include "command_path.hpp"
#include "hub.hpp"
#include "json_body.hpp"
#include "rembuk/accounts/account_store.hpp"
#include "rembuk/accounts/password.hpp"
#include "rembuk/accounts/secret_code.hpp"
#include "rembuk/server/token.hpp"
#include "sign_in.hpp"

namespace rembuk::server::invitation_routes {

namespace http = boost::beast::http;
namespace json = boost::json;
using http_reply::error;
using http_reply::make;
using http_reply::Request;
using http_reply::Response;

namespace {

constexpr std::array<std::string_view, 5> kMemberRoles{"viewer", "opd_editor", "tim_pelaksana",
                                                       "dewan", "reviewer"};
constexpr std::array<std::string_view, 2> kGlobalRoles{"admin", "kementerian"};
constexpr auto kMembershipWait = std::chrono::seconds(15);

bool one_of(std::string_view value, auto const& list) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

void log_line(const std::string& line) {
  std::fprintf(stderr, "rembuk serve: %s\n", line.c_str());
}

bool is_admin(const Claims& c) {
  return std::find(c.roles.begin(), c.roles.end(), "admin") != c.roles.end();
}

// Admins invite anyone anywhere; the Tim Pelaksana invites members of its own masterplan.
bool may_invite(Hub& hub, const Claims& c, const std::string& masterplan, std::string_view role) {
  if (is_admin(c) && (c.person() || c.allows(masterplan))) return true;
  if (one_of(role, kGlobalRoles) || masterplan.empty()) return false;
  if (!c.person()) {
    return c.allows(masterplan) &&
           std::find(c.roles.begin(), c.roles.end(), "tim_pelaksana") != c.roles.end();
  }
  auto people = hub.commands().people(masterplan, c.user);
  return people && people->ok() && (*people)->member && (*people)->role == "tim_pelaksana";
}

std::string base_url(Hub& hub, const Request& req, const RequestContext& context) {
  std::string base = hub.options().public_url;
  if (base.empty()) {
    std::string host(req[http::field::host]);
    const bool plain = !host.empty() && host.size() < 256 &&
                       std::all_of(host.begin(), host.end(), [](char ch) {
                         return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' ||
                                ch == '-' || ch == ':' || ch == '[' || ch == ']';
                       });
    if (!plain) host = "localhost";
    base = std::string(context.tls ? "https://" : "http://") + host + "/";
  }
  if (base.back() != '/') base += '/';
  return base;
}

json::object invitation_json(const accounts::Invitation& i, std::int64_t now) {
  json::object o;
  o["id"] = i.id;
  o["kind"] = i.kind;
  o["role"] = i.role;
  if (!i.opd.empty()) o["opd"] = i.opd;
  if (!i.masterplan.empty()) o["masterplan"] = i.masterplan;
  o["invitedBy"] = i.invited_by;
  o["createdAt"] = sign_in::iso_time(i.created_at);
  o["expiresAt"] = sign_in::iso_time(i.expires_at);
  o["status"] = to_string(i.status(now));
  if (!i.user.empty()) o["user"] = i.user;
  if (i.used_at != 0) o["usedAt"] = sign_in::iso_time(i.used_at);
  if (i.withdrawn_at != 0) o["withdrawnAt"] = sign_in::iso_time(i.withdrawn_at);
  return o;
}

// 410 with a message in Indonesian and English, for the invitation page.
Response not_pending(const Request& req, std::string_view status) {
  if (status == "used") {
    return error(req, http::status::gone, "invitation_used",
                 "Undangan ini sudah dipakai. / This invitation was already used.");
  }
  if (status == "withdrawn") {
    return error(req, http::status::gone, "invitation_withdrawn",
                 "Undangan ini sudah ditarik. / This invitation was withdrawn.");
  }
  return error(req, http::status::gone, "invitation_expired",
               "Undangan ini sudah kedaluwarsa. / This invitation has expired.");
}

Response unknown_invitation(const Request& req) {
  return error(req, http::status::not_found, "invitation_not_found",
               "Undangan tidak ditemukan. / No such invitation.");
}

std::optional<std::int64_t> expires_in(Hub& hub, JsonBody& body, const Request& req,
                                       std::optional<Response>& problem) {
  const auto* v = body.object().if_contains("expiresIn");
  if (v == nullptr || v->is_null()) return hub.options().invitation_ttl_s;
  std::optional<std::int64_t> seconds;
  if (const auto* i = v->if_int64()) seconds = *i;
  if (const auto* u = v->if_uint64(); u && *u < (1ull << 40)) seconds = static_cast<std::int64_t>(*u);
  if (const auto* s = v->if_string()) {
    if (auto d = parse_duration(*s)) seconds = d->count();
  }
  if (!seconds || *seconds < 60 || *seconds > hub.options().max_invitation_ttl_s) {
    problem = error(req, http::status::bad_request, "invalid_field",
                    "expiresIn must be seconds or a duration like 7d, between 60 s and " +
                        std::to_string(hub.options().max_invitation_ttl_s / 86400) + " days");
    return std::nullopt;
  }
  return seconds;
}

Response create(Hub& hub, const Request& req, const RequestContext& context) {
  auto claims = bearer_claims(hub, req);
  if (!claims) return unauthorized(req);
  std::optional<Response> problem;
  auto body = JsonBody::parse(req, sign_in::kBodyLimit, problem);
  if (!body) return std::move(*problem);
  const auto role = body->text("role", 1, 64, true);
  if (body->problem()) return std::move(*body->problem());
  const bool global = one_of(*role, kGlobalRoles);
  if (!global && !one_of(*role, kMemberRoles)) {
    return error(req, http::status::bad_request, "invalid_field",
                 "role must be one of viewer, opd_editor, tim_pelaksana, dewan, reviewer, "
                 "admin, kementerian");
  }
  const auto masterplan = body->text("masterplan", 1, 200, !global);
  if (body->problem()) return std::move(*body->problem());
  const auto opd = body->text("opd", 1, 64, *role == "opd_editor");
  if (body->problem()) return std::move(*body->problem());
  if (opd && *role != "opd_editor") {
    return error(req, http::status::bad_request, "invalid_field", "opd is only for opd_editor");
  }
  if (opd && !accounts::valid_user_id(*opd)) {  // the same id pattern as every entity
    return error(req, http::status::bad_request, "invalid_field", "opd is not a valid OPD id");
  }
  const auto ttl = expires_in(hub, *body, req, problem);
  if (!ttl) return std::move(*problem);
  const std::string mp = masterplan.value_or("");
  if (!may_invite(hub, *claims, mp, *role)) {
    return error(req, http::status::forbidden, "forbidden",
                 global ? "only an admin invites an admin or the ministry"
                        : "only an admin or the masterplan's tim_pelaksana invites");
  }
  if (!mp.empty()) {
    auto people = hub.commands().people(mp, claims->user);
    if (!people || !people->ok() || !(*people)->exists) {
      return error(req, http::status::not_found, "masterplan_not_found",
                   "no masterplan '" + mp + "'");
    }
  }
  const auto now = hub.now_s();
  accounts::Invitation invitation;
  const std::string code = accounts::random_code(24);
  invitation.id = accounts::random_code(9);
  invitation.code_hash = accounts::code_hash(code);
  invitation.role = *role;
  invitation.opd = opd.value_or("");
  invitation.masterplan = mp;
  invitation.invited_by = claims->user;
  invitation.created_at = now;
  invitation.expires_at = now + *ttl;
  auto created = hub.options().accounts->create_invitation(invitation);
  if (!created) {
    return error(req, http::status::service_unavailable, "unavailable", created.error().message);
  }
  log_line("invitation " + invitation.id + " (" + invitation.role +
           (mp.empty() ? "" : " in " + mp) + ") made by '" + claims->user + "'");
  json::object out = invitation_json(invitation, now);
  out["code"] = code;
  out["url"] = base_url(hub, req, context) + "#invite=" + code;
  return make(req, http::status::created, json::serialize(out));
}

Response list(Hub& hub, const Request& req, const std::map<std::string, std::string>& query) {
  auto claims = bearer_claims(hub, req);
  if (!claims) return unauthorized(req);
  const auto it = query.find("masterplan");
  const std::string mp = it == query.end() ? "" : it->second;
  if (mp.empty() ? !is_admin(*claims) : !may_invite(hub, *claims, mp, "viewer")) {
    return error(req, http::status::forbidden, "forbidden",
                 mp.empty() ? "only an admin lists every invitation; name a masterplan"
                            : "only an admin or the masterplan's tim_pelaksana lists invitations");
  }
  auto listed = hub.options().accounts->list_invitations(mp);
  if (!listed) {
    return error(req, http::status::service_unavailable, "unavailable", listed.error().message);
  }
  json::array out;
  const auto now = hub.now_s();
  for (const auto& i : *listed) out.push_back(invitation_json(i, now));
  return make(req, http::status::ok,
              json::serialize(json::object{{"invitations", std::move(out)}}));
}

Response withdraw(Hub& hub, const Request& req, const std::string& id) {
  auto claims = bearer_claims(hub, req);
  if (!claims) return unauthorized(req);
  auto* accounts = hub.options().accounts;
  auto listed = accounts->list_invitations("");
  if (!listed) {
    return error(req, http::status::service_unavailable, "unavailable", listed.error().message);
  }
  const auto found = std::find_if(listed->begin(), listed->end(),
                                  [&](const accounts::Invitation& i) { return i.id == id; });
  if (found == listed->end()) return unknown_invitation(req);
  if (!may_invite(hub, *claims, found->masterplan, found->role)) {
    return error(req, http::status::forbidden, "forbidden",
                 "only an admin or the masterplan's tim_pelaksana withdraws an invitation");
  }
  auto withdrawn = accounts->withdraw_invitation(id, hub.now_s());
  if (!withdrawn) {
    if (withdrawn.error().error == accounts::AccountError::not_pending) {
      return not_pending(req, withdrawn.error().message);
    }
    return error(req, http::status::service_unavailable, "unavailable",
                 withdrawn.error().message);
  }
  log_line("invitation " + id + " withdrawn by '" + claims->user + "'");
  return make(req, http::status::ok,
              json::serialize(invitation_json(*withdrawn, hub.now_s())));
}

Response show(Hub& hub, const Request& req, const std::string& code,
              const RequestContext& context) {
  const auto now = hub.now_s();
  const std::string address_key = "address:" + context.client_address;
  if (const auto wait = hub.address_limiter().retry_after(address_key, now); wait > 0) {
    auto res = error(req, http::status::too_many_requests, "rate_limited",
                     "too many unknown codes; try again in " + std::to_string(wait) + " s");
    res.set(http::field::retry_after, std::to_string(wait));
    return res;
  }
  auto found = hub.options().accounts->find_invitation_by_code(accounts::code_hash(code));
  if (!found) {
    return error(req, http::status::service_unavailable, "unavailable", found.error().message);
  }
  if (!*found) {
    hub.address_limiter().failed(address_key, now);
    return unknown_invitation(req);
  }
  const auto& i = **found;
  json::object o;
  o["status"] = to_string(i.status(now));
  o["kind"] = i.kind;
  o["role"] = i.role;
  if (!i.opd.empty()) o["opd"] = i.opd;
  if (!i.masterplan.empty()) {
    o["masterplan"] = i.masterplan;
    auto people = hub.commands().people(i.masterplan, "");
    if (people && people->ok()) o["cityName"] = (*people)->city_name;
  }
  if (i.kind == "reset") o["user"] = i.user;
  o["expiresAt"] = sign_in::iso_time(i.expires_at);
  return make(req, http::status::ok, json::serialize(o));
}

// "Budi Santoso, S.T." → "budi.santoso.s.t"
std::string user_id_from(std::string_view name) {
  std::string out;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 128) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (!out.empty() && out.back() != '.') {
      out.push_back('.');
    }
    if (out.size() >= 40) break;
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out.empty() ? "pengguna" : out;
}

std::optional<SubmitResult> submit_and_wait(Hub& hub, SubmitRequest request) {
  auto promise = std::make_shared<std::promise<SubmitResult>>();
  auto future = promise->get_future();
  hub.submit_started();
  hub.commands().submit(std::move(request), [promise, &hub](SubmitResult result) {
    promise->set_value(std::move(result));
    hub.submit_finished();
  });
  if (future.wait_for(kMembershipWait) != std::future_status::ready) return std::nullopt;
  return future.get();
}

Response accept(Hub& hub, const Request& req, const std::string& code,
                const RequestContext& context) {
  auto* accounts = hub.options().accounts;
  const auto now = hub.now_s();
  const std::string address_key = "address:" + context.client_address;
  if (const auto wait = hub.address_limiter().retry_after(address_key, now); wait > 0) {
    auto res = error(req, http::status::too_many_requests, "rate_limited",
                     "too many failed attempts; try again in " + std::to_string(wait) + " s");
    res.set(http::field::retry_after, std::to_string(wait));
    return res;
  }
  std::optional<Response> problem;
  auto body = JsonBody::parse(req, sign_in::kBodyLimit, problem);
  if (!body) return std::move(*problem);
  const std::string hash = accounts::code_hash(code);
  auto found = accounts->find_invitation_by_code(hash);
  if (!found) {
    return error(req, http::status::service_unavailable, "unavailable", found.error().message);
  }
  if (!*found) {
    hub.address_limiter().failed(address_key, now);
    return unknown_invitation(req);
  }
  const accounts::Invitation invitation = **found;
  if (invitation.status(now) != accounts::InvitationStatus::pending) {
    return not_pending(req, to_string(invitation.status(now)));
  }
  const bool reset = invitation.kind == "reset";
  const auto display_name = body->text("displayName", 1, 200, !reset);
  if (body->problem()) return std::move(*body->problem());
  const auto password = body->text("password", 1, accounts::kMaxPasswordLength, true);
  if (body->problem()) return std::move(*body->problem());
  const auto chosen = body->text("user", 1, 64, false);
  if (body->problem()) return std::move(*body->problem());
  if (chosen && !accounts::valid_user_id(*chosen)) {
    return error(req, http::status::bad_request, "invalid_field",
                 "user must match ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$");
  }

  std::vector<std::string> city_names;
  if (!invitation.masterplan.empty()) {
    city_names.push_back(invitation.masterplan);
    auto people = hub.commands().people(invitation.masterplan, "");
    if (people && people->ok()) city_names.push_back((*people)->city_name);
  }

  accounts::Account account;
  bool existing = false;
  if (reset) {
    account.user = invitation.user;
    existing = true;
  } else if (chosen) {
    account.user = *chosen;
    auto known = accounts->find_account(*chosen);
    if (!known) {
      return error(req, http::status::service_unavailable, "unavailable", known.error().message);
    }
    if (known->has_value()) {
      // Joining another masterplan with an account one already has: its password proves it.
      if (one_of(invitation.role, kGlobalRoles) ||
          !accounts::verify_password((*known)->password_hash, *password)) {
        hub.address_limiter().failed(address_key, now);
        return error(req, http::status::conflict, "user_taken",
                     "this user id is taken; choose another, or give its password to join "
                     "with it");
      }
      existing = true;
    }
  } else {
    const std::string base = user_id_from(*display_name);
    for (int n = 1; n < 100 && account.user.empty(); ++n) {
      const std::string candidate = n == 1 ? base : base + "-" + std::to_string(n);
      auto known = accounts->find_account(candidate);
      if (known && !known->has_value()) account.user = candidate;
    }
    if (account.user.empty()) account.user = base + "-" + accounts::random_code(4);
  }
  if (!(existing && !reset)) {
    if (auto violation = accounts::check_password_policy(*password, account.user, city_names)) {
      return error(req, http::status::bad_request, violation->code, violation->message);
    }
    auto hashed = accounts::hash_password(*password, hub.password_cost());
    if (!hashed) return error(req, http::status::service_unavailable, "unavailable", hashed.error());
    account.password_hash = std::move(hashed).value();
  }
  account.display_name = display_name.value_or("");
  if (one_of(invitation.role, kGlobalRoles)) account.roles = {invitation.role};
  account.created_at = now;

  auto used = accounts->use_invitation(hash, account, existing, now);
  if (!used) {
    const auto& f = used.error();
    if (f.error == accounts::AccountError::not_pending) return not_pending(req, f.message);
    if (f.error == accounts::AccountError::user_taken) {
      return error(req, http::status::conflict, "user_taken", "this user id is taken");
    }
    if (f.error == accounts::AccountError::not_found) return unknown_invitation(req);
    return error(req, http::status::service_unavailable, "unavailable", f.message);
  }

  if (!reset && !invitation.masterplan.empty() && one_of(invitation.role, kMemberRoles)) {
    SubmitRequest request;
    request.masterplan = invitation.masterplan;
    request.command_id = "invitation-" + invitation.id;
    // The inviter's act, checked when the invitation was made.
    request.user = invitation.invited_by;
    request.roles = {"admin"};
    request.command = json::object{{"type", "AddMember"},
                                   {"userId", account.user},
                                   {"name", account.display_name},
                                   {"role", invitation.role}};
    if (!invitation.opd.empty()) request.command["opdId"] = invitation.opd;
    auto outcome = submit_and_wait(hub, std::move(request));
    if (!outcome || !outcome->accepted) {
      (void)accounts->undo_invitation_use(hash, !existing);
      const std::string why = outcome ? outcome->code + ": " + outcome->message
                                      : std::string("the masterplan did not answer in time");
      log_line("invitation " + invitation.id + " not accepted: " + why);
      return error(req, http::status::conflict, "membership_refused",
                   "the membership could not be recorded (" + why + ")");
    }
  }
  auto stored = accounts->find_account(account.user);
  if (!stored || !stored->has_value()) {
    return error(req, http::status::service_unavailable, "unavailable", "the account vanished");
  }
  log_line("invitation " + invitation.id + " " + (reset ? "(password reset) " : "") +
           "accepted by '" + account.user + "'");
  return sign_in::start(hub, req, context, **stored);
}

json::object account_json(const accounts::Account& a) {
  json::object o;
  o["user"] = a.user;
  o["displayName"] = a.display_name;
  if (!a.email.empty()) o["email"] = a.email;
  json::array roles;
  for (const auto& r : a.roles) roles.emplace_back(r);
  o["roles"] = std::move(roles);
  o["createdAt"] = sign_in::iso_time(a.created_at);
  o["disabled"] = a.disabled();
  if (a.disabled()) o["disabledAt"] = sign_in::iso_time(a.disabled_at);
  return o;
}

Response users(Hub& hub, const Request& req, std::string_view rest,
               const std::map<std::string, std::string>& query) {
  auto claims = bearer_claims(hub, req);
  if (!claims) return unauthorized(req);
  auto* accounts = hub.options().accounts;
  if (rest.empty()) {
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      return error(req, http::status::method_not_allowed, "method_not_allowed", "GET only");
    }
    const auto it = query.find("masterplan");
    const std::string mp = it == query.end() ? "" : it->second;
    if (mp.empty() && !is_admin(*claims)) {
      return error(req, http::status::forbidden, "forbidden",
                   "only an admin lists every account; name a masterplan");
    }
    if (!mp.empty() && !may_access(hub, *claims, mp)) {
      return error(req, http::status::forbidden, "forbidden",
                   "not a member of masterplan '" + mp + "'");
    }
    auto listed = accounts->list_accounts();
    if (!listed) {
      return error(req, http::status::service_unavailable, "unavailable", listed.error().message);
    }
    json::array out;
    for (const auto& a : *listed) {
      if (mp.empty()) {
        out.push_back(account_json(a));
        continue;
      }
      auto people = hub.commands().people(mp, a.user);
      if (people && people->ok() && (*people)->member) {
        out.push_back(json::object{{"user", a.user}, {"displayName", a.display_name}});
      }
    }
    return make(req, http::status::ok, json::serialize(json::object{{"users", std::move(out)}}));
  }
  const auto slash = rest.find('/');
  const auto user = http_reply::url_decode(rest.substr(0, slash), false);
  const std::string_view action = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (!user || (action != "disable" && action != "enable")) {
    return error(req, http::status::not_found, "not_found", "no such resource");
  }
  if (req.method() != http::verb::post) {
    return error(req, http::status::method_not_allowed, "method_not_allowed", "POST only");
  }
  if (!is_admin(*claims)) {
    return error(req, http::status::forbidden, "forbidden", "only an admin disables an account");
  }
  auto changed = accounts->set_disabled(*user, action == "disable", hub.now_s());
  if (!changed) {
    if (changed.error().error == accounts::AccountError::not_found) {
      return error(req, http::status::not_found, "user_not_found", "no such account");
    }
    return error(req, http::status::service_unavailable, "unavailable", changed.error().message);
  }
  log_line("account '" + changed->user + "' " + (action == "disable" ? "disabled" : "enabled") +
           " by '" + claims->user + "'");
  return make(req, http::status::ok, json::serialize(account_json(*changed)));
}

}  // namespace

Response handle(Hub& hub, const Request& req, std::string_view path,
                const std::map<std::string, std::string>& query, const RequestContext& context) {
  if (hub.options().accounts == nullptr) {
    return error(req, http::status::not_implemented, "accounts_unavailable",
                 "this server has no account store");
  }
  constexpr std::string_view kUsers = "/api/users";
  if (path == kUsers) return users(hub, req, {}, query);
  if (path.substr(0, kUsers.size() + 1) == "/api/users/") {
    return users(hub, req, path.substr(kUsers.size() + 1), query);
  }
  constexpr std::string_view kInvitations = "/api/invitations";
  if (path == kInvitations) {
    if (req.method() == http::verb::post) return create(hub, req, context);
    if (req.method() == http::verb::get || req.method() == http::verb::head) {
      return list(hub, req, query);
    }
    return error(req, http::status::method_not_allowed, "method_not_allowed", "GET or POST");
  }
  if (path.substr(0, kInvitations.size() + 1) != "/api/invitations/") {
    return error(req, http::status::not_found, "not_found", "no such resource");
  }
  std::string_view rest = path.substr(kInvitations.size() + 1);
  const auto slash = rest.find('/');
  const auto key = http_reply::url_decode(rest.substr(0, slash), false);
  const std::string_view action = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (!key || key->empty() || key->size() > 100) return unknown_invitation(req);
  if (action == "accept") {
    if (req.method() != http::verb::post) {
      return error(req, http::status::method_not_allowed, "method_not_allowed", "POST only");
    }
    return accept(hub, req, *key, context);
  }
  if (!action.empty()) return error(req, http::status::not_found, "not_found", "no such resource");
  if (req.method() == http::verb::delete_) return withdraw(hub, req, *key);
  if (req.method() == http::verb::get || req.method() == http::verb::head) {
    return show(hub, req, *key, context);
  }
  return error(req, http::status::method_not_allowed, "method_not_allowed", "GET or DELETE");
}

}  // namespace rembuk::server::invitation_routes
