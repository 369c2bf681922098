#include "account_rules.hpp"

#include <algorithm>
#include <string>

namespace rembuk::accounts::rules {

std::optional<AccountFailure> unless_pending(const Invitation& invitation, std::int64_t now) {
  const auto status = invitation.status(now);
  if (status == InvitationStatus::pending) return std::nullopt;
  return AccountFailure{AccountError::not_pending, std::string(to_string(status))};
}

void mark_used(Invitation& invitation, const Account& account, std::int64_t now) {
  invitation.used_at = now;
  if (invitation.kind != "reset") invitation.user = account.user;
}

void mark_unused(Invitation& invitation) {
  invitation.used_at = 0;
  if (invitation.kind != "reset") invitation.user.clear();
}

void apply_reset(Account& target, const Account& presented) {
  target.password_hash = presented.password_hash;
  if (!presented.display_name.empty()) target.display_name = presented.display_name;
}

bool end_session(RefreshSession& session, std::string_view reason, std::int64_t now) {
  if (session.revoked_at != 0) return false;
  session.revoked_at = now;
  session.revoked_reason = std::string(reason);
  return true;
}

RotationStep rotate(RefreshSession& session, std::string_view presented_hash,
                    std::string_view new_hash, std::int64_t now, std::int64_t new_expiry) {
  RotationStep step;
  const bool current = session.token_hash == presented_hash;
  const bool earlier = std::find(session.previous_hashes.begin(), session.previous_hashes.end(),
                                 presented_hash) != session.previous_hashes.end();
  if (!current && !earlier) return step;  // unknown: not provably of this family
  if (earlier) {
    // A token that was already exchanged: someone holds a copy. End the family, whoever
    // presented it (docs/security.md, "Refresh sessions").
    step.rotation = Rotation::reused;
    step.write = step.moves_counter = end_session(session, "reused", now);
    return step;
  }
  if (!session.active(now)) {
    step.rotation = Rotation::inactive;
    return step;
  }
  session.previous_hashes.push_back(session.token_hash);
  if (session.previous_hashes.size() > kMaxPreviousHashes) {
    session.previous_hashes.erase(session.previous_hashes.begin());
  }
  session.token_hash = std::string(new_hash);
  session.last_used_at = now;
  session.expires_at = new_expiry;
  step.rotation = Rotation::rotated;
  step.write = true;
  return step;
}

void sort_newest_first(std::vector<Invitation>& invitations) {
  std::stable_sort(
      invitations.begin(), invitations.end(),
      [](const Invitation& a, const Invitation& b) { return a.created_at > b.created_at; });
}

void prepare_session_listing(std::vector<RefreshSession>& sessions) {
  for (auto& s : sessions) {
    s.token_hash.clear();
    s.previous_hashes.clear();
  }
  std::stable_sort(sessions.begin(), sessions.end(),
                   [](const RefreshSession& a, const RefreshSession& b) {
                     if ((a.revoked_at == 0) != (b.revoked_at == 0)) return a.revoked_at == 0;
                     return a.last_used_at > b.last_used_at;
                   });
}

}  // namespace rembuk::accounts::rules
