// AccountStore: people, apart from the hash-chained event log (docs/security.md, "Accounts").
//
// Personal data must be correctable and deletable while the log is kept forever, so accounts,
// invitations and refresh sessions live here; the log names people by user id only.
//
//   Account        user id, display name, optional email, Argon2id hash, global roles
//                  ("admin", "kementerian"; masterplan roles come from membership events),
//                  created / disabled times
//   Invitation     a one-time code (stored as its SHA-256 only) that makes an account and a
//                  membership (kind "join"), or sets a new password (kind "reset")
//   RefreshSession one sign-in: a family of refresh tokens, rotated at every use; the hash
//                  of the current token and of every earlier one, so that a reused old
//                  token is recognised and ends the whole family
//
// Every change that can end someone's access (disable, revoke, password reset) increments a
// change counter; a server reads it cheaply and re-checks its open connections when it moves,
// also when the change came from another process (`rembuk user disable` on the same folder,
// or on the same database) or another node.
//
// Times are seconds since the epoch, passed in by the caller (tests use their own clock).
//
// Two implementations with the same semantics: LMDB in a folder of its own (one machine),
// and PostgreSQL (every node of a shared database sees the same people).
//
// Thread safety: every member may be called from any thread, and several processes may open
// the same store (LMDB serialises writers across processes; PostgreSQL locks the rows a
// change decides on, so two nodes cannot both use one invitation or rotate one token).
// Errors are values, never exceptions, and no message carries a password hash, code or token.
// Ownership: the store owns its environment or connections; records are returned by value.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/common/result.hpp"

namespace rembuk::accounts {

struct Account {
  std::string user;  // ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$, the id the log uses
  std::string display_name;
  std::string email;                // empty: none
  std::string password_hash;        // empty: no password yet (cannot sign in)
  std::vector<std::string> roles;   // global roles: "admin", "kementerian"; often empty
  std::int64_t created_at = 0;
  std::int64_t disabled_at = 0;     // 0: enabled
  bool disabled() const { return disabled_at != 0; }
};

enum class InvitationStatus { pending, used, withdrawn, expired };
std::string_view to_string(InvitationStatus status);

struct Invitation {
  std::string id;         // public handle for listing and withdrawing (not the code)
  std::string code_hash;  // SHA-256 hex of the code; the code itself is never stored
  std::string kind = "join";  // "join": new member; "reset": a new password for `user`
  std::string role;       // member role, or a global role ("admin", "kementerian")
  std::string opd;        // for opd_editor
  std::string masterplan; // empty for a global role and for a reset
  std::string user;       // reset: whose password; join: set once used
  std::string invited_by;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t used_at = 0;
  std::int64_t withdrawn_at = 0;

  InvitationStatus status(std::int64_t now) const;
};

struct RefreshSession {
  std::string id;          // public (shown to its owner); the refresh token starts with it
  std::string user;
  std::string token_hash;  // SHA-256 hex of the current refresh token
  std::vector<std::string> previous_hashes;  // earlier tokens of this family (reuse check)
  std::int64_t created_at = 0;
  std::int64_t last_used_at = 0;
  std::int64_t expires_at = 0;  // the family ends here unless refreshed (sliding)
  std::int64_t revoked_at = 0;
  std::string revoked_reason;   // "logout", "ended", "reused", "disabled", "reset"
  std::string client_address;
  std::string user_agent;
  bool active(std::int64_t now) const { return revoked_at == 0 && now < expires_at; }
};

enum class AccountError {
  storage,           // LMDB or PostgreSQL failed (message says how)
  user_taken,        // create: the user id exists
  not_found,         // no such account / invitation / session
  not_pending,       // invitation already used, withdrawn or expired
};

struct AccountFailure {
  AccountError error;
  std::string message;
};

template <typename T>
using AccountResult = Result<T, AccountFailure>;

// What rotate_session() found.
enum class Rotation {
  rotated,   // the presented token was current: the session now holds `new_hash`
  reused,    // an earlier token of the family: the family is revoked ("reused")
  unknown,   // no such session, or a token that never belonged to it: nothing changed
  inactive,  // the session was revoked or expired
};

struct RotateOutcome {
  Rotation rotation = Rotation::unknown;
  RefreshSession session;  // after the change (rotated, reused, inactive)
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Accounts.
  virtual AccountResult<Unit> create_account(const Account& account) = 0;
  virtual AccountResult<std::optional<Account>> find_account(std::string_view user) = 0;
  virtual AccountResult<std::vector<Account>> list_accounts() = 0;
  // Disabling revokes every session of the user ("disabled"). not_found for no account.
  virtual AccountResult<Account> set_disabled(std::string_view user, bool disabled,
                                              std::int64_t now) = 0;

  // Invitations. The invitation's `id` and `code_hash` must be new.
  virtual AccountResult<Unit> create_invitation(const Invitation& invitation) = 0;
  virtual AccountResult<std::optional<Invitation>> find_invitation_by_code(
      std::string_view code_hash) = 0;
  // Every invitation (of `masterplan` when not empty), newest first.
  virtual AccountResult<std::vector<Invitation>> list_invitations(std::string_view masterplan) = 0;
  virtual AccountResult<Invitation> withdraw_invitation(std::string_view id, std::int64_t now) = 0;

  // Uses a pending invitation, in one transaction:
  //   join, `account` new      → creates it (user_taken if the id exists)
  //   join, `account` existing → REQUIRES: the caller checked its password; no change to it
  //   reset                     → sets `account.password_hash` on the invitation's user and
  //                               revokes the user's sessions ("reset")
  // and marks the invitation used by `account.user`. not_pending names why it is not.
  virtual AccountResult<Invitation> use_invitation(std::string_view code_hash,
                                                   const Account& account, bool existing_account,
                                                   std::int64_t now) = 0;
  // Undoes use_invitation() of a join when the membership could not be recorded: the
  // invitation is pending again and an account it created is deleted.
  virtual AccountResult<Unit> undo_invitation_use(std::string_view code_hash,
                                                  bool delete_account) = 0;

  // Refresh sessions.
  virtual AccountResult<Unit> create_session(const RefreshSession& session) = 0;
  virtual AccountResult<std::optional<RefreshSession>> find_session(std::string_view id) = 0;
  // Sessions of `user` (active ones first), without their token hashes.
  virtual AccountResult<std::vector<RefreshSession>> list_sessions(std::string_view user) = 0;
  // The current token is replaced by `new_hash` and the expiry slides to `new_expiry`.
  virtual AccountResult<RotateOutcome> rotate_session(std::string_view id,
                                                      std::string_view presented_hash,
                                                      std::string_view new_hash,
                                                      std::int64_t now,
                                                      std::int64_t new_expiry) = 0;
  virtual AccountResult<RefreshSession> revoke_session(std::string_view id,
                                                       std::string_view reason,
                                                       std::int64_t now) = 0;

  // True when `user` exists, is enabled, and (when `session_id` is not empty) that session
  // belongs to the user and is active: what an access token of this session still needs.
  virtual AccountResult<bool> access_active(std::string_view user, std::string_view session_id,
                                            std::int64_t now) = 0;

  // Moves at every change that can end access (see above). Cheap: one read transaction or
  // one query. When the read fails, the value last read (0 before any): a store that cannot
  // be read does not look changed.
  virtual std::uint64_t change_counter() = 0;
};

// Opens (creating if absent) the LMDB account store in `directory` (its own environment,
// e.g. DATA/accounts, apart from the event log's).
AccountResult<std::unique_ptr<AccountStore>> open_lmdb_account_store(const std::string& directory);

// Opens the PostgreSQL account store of `conninfo` (a libpq URI or connection string),
// creating its tables when absent: `accounts`, `invitations`, `refresh_sessions` and
// `account_changes` in `schema` ([a-z0-9_], 1..40 characters), the event log's schema by
// default, so one database holds a deployment's log and people. Every multi-step change is
// one transaction that locks its rows first. Connections are pooled and made again after
// the database was away; the message of a failure names neither a secret nor the password
// of `conninfo`. A build without libpq still has this declaration; opening then fails
// (storage).
AccountResult<std::unique_ptr<AccountStore>> open_postgres_account_store(
    const std::string& conninfo, const std::string& schema = "rembuk");

// ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$ — the ids of docs/commands.md, "Ids".
bool valid_user_id(std::string_view user);

}  // namespace rembuk::accounts
