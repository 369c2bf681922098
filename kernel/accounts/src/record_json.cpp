#include "record_json.hpp"

#include <boost/json.hpp>

namespace rembuk::accounts::record_json {

namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  // serialize() writes a string's bytes as they are, and some are not UTF-8 (a user agent
  // header, or one cut at 200 bytes inside a character): read back what was written.
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  json::value v = json::parse(text, ec, {}, options);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t num(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (const auto* i = v->if_int64()) return *i;
  if (const auto* u = v->if_uint64()) return static_cast<std::int64_t>(*u);
  return 0;
}

std::vector<std::string> list(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& item : v->as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

}  // namespace

std::string encode(const Account& a) {
  json::object o;
  o["user"] = a.user;
  o["displayName"] = a.display_name;
  o["email"] = a.email;
  o["passwordHash"] = a.password_hash;
  o["roles"] = strings(a.roles);
  o["createdAt"] = a.created_at;
  o["disabledAt"] = a.disabled_at;
  return json::serialize(o);
}

std::string encode(const Invitation& i) {
  json::object o;
  o["id"] = i.id;
  o["codeHash"] = i.code_hash;
  o["kind"] = i.kind;
  o["role"] = i.role;
  o["opd"] = i.opd;
  o["masterplan"] = i.masterplan;
  o["user"] = i.user;
  o["invitedBy"] = i.invited_by;
  o["createdAt"] = i.created_at;
  o["expiresAt"] = i.expires_at;
  o["usedAt"] = i.used_at;
  o["withdrawnAt"] = i.withdrawn_at;
  return json::serialize(o);
}

std::string encode(const RefreshSession& s) {
  json::object o;
  o["id"] = s.id;
  o["user"] = s.user;
  o["tokenHash"] = s.token_hash;
  o["previousHashes"] = strings(s.previous_hashes);
  o["createdAt"] = s.created_at;
  o["lastUsedAt"] = s.last_used_at;
  o["expiresAt"] = s.expires_at;
  o["revokedAt"] = s.revoked_at;
  o["revokedReason"] = s.revoked_reason;
  o["clientAddress"] = s.client_address;
  o["userAgent"] = s.user_agent;
  return json::serialize(o);
}

std::optional<Account> decode_account(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return std::nullopt;
  Account a;
  a.user = str(*o, "user");
  if (a.user.empty()) return std::nullopt;
  a.display_name = str(*o, "displayName");
  a.email = str(*o, "email");
  a.password_hash = str(*o, "passwordHash");
  a.roles = list(*o, "roles");
  a.created_at = num(*o, "createdAt");
  a.disabled_at = num(*o, "disabledAt");
  return a;
}

std::optional<Invitation> decode_invitation(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return std::nullopt;
  Invitation i;
  i.id = str(*o, "id");
  if (i.id.empty()) return std::nullopt;
  i.code_hash = str(*o, "codeHash");
  i.kind = str(*o, "kind");
  i.role = str(*o, "role");
  i.opd = str(*o, "opd");
  i.masterplan = str(*o, "masterplan");
  i.user = str(*o, "user");
  i.invited_by = str(*o, "invitedBy");
  i.created_at = num(*o, "createdAt");
  i.expires_at = num(*o, "expiresAt");
  i.used_at = num(*o, "usedAt");
  i.withdrawn_at = num(*o, "withdrawnAt");
  return i;
}

std::optional<RefreshSession> decode_session(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return std::nullopt;
  RefreshSession s;
  s.id = str(*o, "id");
  if (s.id.empty()) return std::nullopt;
  s.user = str(*o, "user");
  s.token_hash = str(*o, "tokenHash");
  s.previous_hashes = list(*o, "previousHashes");
  s.created_at = num(*o, "createdAt");
  s.last_used_at = num(*o, "lastUsedAt");
  s.expires_at = num(*o, "expiresAt");
  s.revoked_at = num(*o, "revokedAt");
  s.revoked_reason = str(*o, "revokedReason");
  s.client_address = str(*o, "clientAddress");
  s.user_agent = str(*o, "userAgent");
  return s;
}

}  // namespace rembuk::accounts::record_json
