// The decisions every AccountStore makes on its records, whatever holds them: so that the
// LMDB and the PostgreSQL store cannot drift apart on what a reused refresh token, a used
// invitation or a listing order means (account_store.hpp states the contract).
//
// Pure functions on values; the stores read, lock and write the records around them.
// Thread safety: none needed.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "rembuk/accounts/account_store.hpp"

namespace rembuk::accounts::rules {

// Earlier tokens a session remembers for the reuse check; older ones are forgotten.
inline constexpr std::size_t kMaxPreviousHashes = 64;

// not_pending naming why, when `invitation` cannot be used or withdrawn at `now`.
std::optional<AccountFailure> unless_pending(const Invitation& invitation, std::int64_t now);

// Marks `invitation` used by `account` (a reset keeps naming its own user).
void mark_used(Invitation& invitation, const Account& account, std::int64_t now);
// Pending again, as before mark_used().
void mark_unused(Invitation& invitation);
// What a reset invitation changes on the account it resets.
void apply_reset(Account& target, const Account& presented);

// Ends `session` for `reason`; false when it had already ended (then it is unchanged).
bool end_session(RefreshSession& session, std::string_view reason, std::int64_t now);

// What rotate_session() does to a session it found.
struct RotationStep {
  Rotation rotation = Rotation::unknown;
  bool write = false;          // `session` changed and must be stored
  bool moves_counter = false;  // the change can end access (a family revoked for reuse)
};
RotationStep rotate(RefreshSession& session, std::string_view presented_hash,
                    std::string_view new_hash, std::int64_t now, std::int64_t new_expiry);

// list_invitations()' order: newest first, ties in id order. REQUIRES: `invitations` in id
// order (as both stores read them).
void sort_newest_first(std::vector<Invitation>& invitations);
// list_sessions()' order and form: active first, then by last use, newest first; no token
// hashes. REQUIRES: `sessions` in id order.
void prepare_session_listing(std::vector<RefreshSession>& sessions);

}  // namespace rembuk::accounts::rules
