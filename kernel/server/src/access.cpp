#include "access.hpp"

#include <algorithm>

#include "hub.hpp"
#include "rembuk/accounts/account_store.hpp"

namespace rembuk::server {

namespace {

// A token of the city's identity provider as a person's claims: the roles rembuk knows are
// kept (global ones give every masterplan; member roles only add to a membership).
Result<Claims, TokenFailure> external_claims(Hub& hub, std::string_view token) {
  auto identity = hub.oidc()->verify(token, hub.now_s());
  if (!identity) {
    return fail(TokenFailure{identity.error().expired ? TokenError::expired
                                                      : TokenError::bad_signature,
                             identity.error().message});
  }
  Claims claims;
  claims.user = std::move(identity->user);
  for (auto& role : identity->roles) {
    const auto& known = known_roles();
    if (std::find(known.begin(), known.end(), role) != known.end()) {
      claims.roles.push_back(std::move(role));
    }
  }
  claims.opd = std::move(identity->opd);
  claims.expires_at = identity->expires_at;
  claims.external = true;
  if (claims.expires_at <= hub.now_s()) {
    return fail(TokenFailure{TokenError::expired, "the token expired"});
  }
  return claims;
}

}  // namespace

Result<Claims, TokenFailure> authenticate(Hub& hub, std::string_view token) {
  auto claims = verify_token(token, hub.options().token_secret, hub.now_s());
  if (!claims && claims.error().error == TokenError::bad_algorithm && hub.oidc() != nullptr) {
    claims = external_claims(hub, token);
  }
  if (!claims) return claims;
  if (claims->person() && !still_signed_in(hub, *claims)) {
    return fail(TokenFailure{TokenError::revoked,
                             "signed out: the account is disabled or the session ended"});
  }
  return claims;
}

bool still_signed_in(Hub& hub, const Claims& claims) {
  if (!claims.person()) return true;
  auto* accounts = hub.options().accounts;
  if (claims.external) {
    // The provider decides who signs in; a local account of the same id can still be
    // disabled here.
    if (accounts == nullptr) return true;
    auto account = accounts->find_account(claims.user);
    return account.ok() && !(*account && (*account)->disabled());
  }
  if (accounts == nullptr) return false;
  auto active = accounts->access_active(claims.user, claims.session, hub.now_s());
  return active.ok() && *active;
}

bool reads_every_masterplan(const Claims& claims) {
  return std::any_of(claims.roles.begin(), claims.roles.end(),
                     [](const std::string& r) { return r == "admin" || r == "kementerian"; });
}

bool may_access(Hub& hub, const Claims& claims, std::string_view masterplan) {
  if (!claims.person()) return claims.allows(masterplan);
  if (reads_every_masterplan(claims)) return true;
  auto people = hub.commands().people(masterplan, claims.user);
  return people && people->ok() && (*people)->member;
}

std::vector<std::string> accessible_masterplans(Hub& hub, const Claims& claims) {
  std::vector<std::string> out;
  auto streams = hub.log().streams();
  if (!streams) return out;
  for (const auto& s : *streams) {
    if (store::is_system_stream(s.stream)) continue;
    if (may_access(hub, claims, s.stream)) out.push_back(s.stream);
  }
  return out;
}

}  // namespace rembuk::server
