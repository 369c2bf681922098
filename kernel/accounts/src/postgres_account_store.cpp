// The AccountStore on PostgreSQL: tables beside the event log's, in its schema (default
// "rembuk"), so every node of `rembuk serve --store postgres://…` sees the same people.
//
//   accounts          user_id (key) → record
//   invitations       id (key), code_hash (unique), masterplan, created_at → record
//   refresh_sessions  id (key), user_id (indexed) → record
//   account_changes   the one row of the change counter
//
// `record` is the LMDB store's value byte for byte (record_json.hpp); the other columns
// are copies of its fields, for the keys and indexes. Everything is bytea: ids, names and
// user agents are bytes, not text in the database's encoding, and round-trip as they came.
//
// Each operation is one statement or one transaction. A transaction that decides on a row
// locks it first (SELECT … FOR UPDATE), so two nodes using one invitation or rotating one
// refresh token are serialised: the second reads what the first committed. Locks are taken
// in one order, invitation → account → sessions (by id) → change counter, so two
// transactions never wait on each other in a circle.
#include <atomic>
#include <exception>
#include <new>
#include <string>

#include "account_rules.hpp"
#include "pg_client.hpp"
#include "record_json.hpp"
#include "rembuk/accounts/account_store.hpp"

namespace rembuk::accounts {
namespace {

std::string check_schema(std::string_view schema) {
  if (schema.empty() || schema.size() > 40) return "schema name must be 1..40 characters";
  if (schema[0] < 'a' || schema[0] > 'z') return "schema name must start with a-z";
  for (const char c : schema) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return "schema name may hold only a-z, 0-9 and _";
  }
  return {};
}

AccountFailure storage(std::string message) {
  return AccountFailure{AccountError::storage, std::move(message)};
}

AccountFailure not_found(std::string message) {
  return AccountFailure{AccountError::not_found, std::move(message)};
}

template <typename T, typename Decode>
T decoded(std::string_view bytes, Decode decode, const char* what) {
  auto value = decode(bytes);
  if (!value) throw pg::PgFailure{std::string("a damaged ") + what};
  return std::move(*value);
}

Account account_from(std::string_view b) {
  return decoded<Account>(b, record_json::decode_account, "account record");
}
Invitation invitation_from(std::string_view b) {
  return decoded<Invitation>(b, record_json::decode_invitation, "invitation");
}
RefreshSession session_from(std::string_view b) {
  return decoded<RefreshSession>(b, record_json::decode_session, "session record");
}

class PostgresAccountStore final : public AccountStore {
 public:
  PostgresAccountStore(const std::string& conninfo, const std::string& schema)
      : pool_(conninfo), s_("\"" + schema + "\"."), schema_(schema) {}

  AccountResult<Unit> create_tables() {
    return run<Unit>("create the account tables", [&](pg::PgConnection& c) {
      // The same advisory lock as the event log's tables: nodes starting at once, one making
      // the log's tables and another these, would otherwise race on CREATE SCHEMA.
      // clang-format off
      c.exec_script(
          "BEGIN;"
          "SELECT pg_advisory_xact_lock(hashtext('rembuk schema " + schema_ + "'));"
          "CREATE SCHEMA IF NOT EXISTS \"" + schema_ + "\";"
          "CREATE TABLE IF NOT EXISTS " + s_ + "accounts ("
          "  user_id bytea PRIMARY KEY, record bytea NOT NULL);"
          "CREATE TABLE IF NOT EXISTS " + s_ + "invitations ("
          "  id bytea PRIMARY KEY, code_hash bytea NOT NULL UNIQUE, masterplan bytea NOT NULL,"
          "  created_at bigint NOT NULL, record bytea NOT NULL);"
          "CREATE TABLE IF NOT EXISTS " + s_ + "refresh_sessions ("
          "  id bytea PRIMARY KEY, user_id bytea NOT NULL, record bytea NOT NULL);"
          "CREATE INDEX IF NOT EXISTS refresh_sessions_user_id ON " + s_ +
          "refresh_sessions (user_id);"
          "CREATE TABLE IF NOT EXISTS " + s_ + "account_changes ("
          "  id int PRIMARY KEY CHECK (id = 1), counter bigint NOT NULL);"
          "INSERT INTO " + s_ + "account_changes VALUES (1, 0) ON CONFLICT (id) DO NOTHING;"
          "COMMIT;");
      // clang-format on
      return Unit{};
    });
  }

  // --- accounts ---

  AccountResult<Unit> create_account(const Account& account) override {
    return run<Unit>("create account", [&](pg::PgConnection& c) -> AccountResult<Unit> {
      if (!insert_account(c, account)) {
        return fail(AccountFailure{AccountError::user_taken, "user '" + account.user + "' exists"});
      }
      return Unit{};
    });
  }

  AccountResult<std::optional<Account>> find_account(std::string_view user) override {
    return run<std::optional<Account>>(
        "find account", [&](pg::PgConnection& c) { return account_row(c, user, false); });
  }

  AccountResult<std::vector<Account>> list_accounts() override {
    return run<std::vector<Account>>("list accounts", [&](pg::PgConnection& c) {
      // bytea sorts bytewise, as LMDB's keys do.
      auto rows = c.exec("SELECT record FROM " + s_ + "accounts ORDER BY user_id");
      std::vector<Account> out;
      for (int i = 0; i < rows.count(); ++i) {
        if (auto a = record_json::decode_account(rows.bytes(i, 0))) out.push_back(std::move(*a));
      }
      return out;
    });
  }

  AccountResult<Account> set_disabled(std::string_view user, bool disabled,
                                      std::int64_t now) override {
    return transaction<Account>("disable", [&](pg::PgConnection& c) -> AccountResult<Account> {
      auto found = account_row(c, user, true);
      if (!found) return fail(not_found("no account '" + std::string(user) + "'"));
      Account account = std::move(*found);
      account.disabled_at = disabled ? (account.disabled_at != 0 ? account.disabled_at : now) : 0;
      update_account(c, account);
      if (disabled) end_user_sessions(c, account.user, "disabled", now);
      bump(c);
      return account;
    });
  }

  // --- invitations ---

  AccountResult<Unit> create_invitation(const Invitation& invitation) override {
    return run<Unit>("create invitation", [&](pg::PgConnection& c) -> AccountResult<Unit> {
      pg::Params p;
      p.bytea(invitation.id)
          .bytea(invitation.code_hash)
          .bytea(invitation.masterplan)
          .int8(invitation.created_at)
          .bytea(record_json::encode(invitation));
      auto inserted = c.exec("INSERT INTO " + s_ +
                                 "invitations VALUES ($1, $2, $3, $4, $5)"
                                 " ON CONFLICT DO NOTHING",
                             p);
      if (inserted.affected() == 1) return Unit{};
      pg::Params code;
      code.bytea(invitation.code_hash);
      const bool code_taken =
          c.exec("SELECT 1 FROM " + s_ + "invitations WHERE code_hash = $1", code).count() > 0;
      return fail(AccountFailure{AccountError::user_taken,
                                 code_taken ? "invitation code exists" : "invitation id exists"});
    });
  }

  AccountResult<std::optional<Invitation>> find_invitation_by_code(
      std::string_view code_hash) override {
    return run<std::optional<Invitation>>("find invitation", [&](pg::PgConnection& c) {
      return invitation_row(c, "code_hash", code_hash, false);
    });
  }

  AccountResult<std::vector<Invitation>> list_invitations(std::string_view masterplan) override {
    return run<std::vector<Invitation>>("list invitations", [&](pg::PgConnection& c) {
      pg::Params p;
      std::string where;
      if (!masterplan.empty()) {
        p.bytea(masterplan);
        where = " WHERE masterplan = $1";
      }
      auto rows = c.exec("SELECT record FROM " + s_ + "invitations" + where + " ORDER BY id", p);
      std::vector<Invitation> out;
      for (int i = 0; i < rows.count(); ++i) {
        if (auto inv = record_json::decode_invitation(rows.bytes(i, 0))) {
          out.push_back(std::move(*inv));
        }
      }
      rules::sort_newest_first(out);
      return out;
    });
  }

  AccountResult<Invitation> withdraw_invitation(std::string_view id, std::int64_t now) override {
    return transaction<Invitation>(
        "withdraw invitation", [&](pg::PgConnection& c) -> AccountResult<Invitation> {
          auto found = invitation_row(c, "id", id, true);
          if (!found) return fail(not_found("no invitation '" + std::string(id) + "'"));
          Invitation invitation = std::move(*found);
          if (auto refused = rules::unless_pending(invitation, now))
            return fail(std::move(*refused));
          invitation.withdrawn_at = now;
          update_invitation(c, invitation);
          return invitation;
        });
  }

  AccountResult<Invitation> use_invitation(std::string_view code_hash, const Account& account,
                                           bool existing_account, std::int64_t now) override {
    return transaction<Invitation>(
        "use invitation", [&](pg::PgConnection& c) -> AccountResult<Invitation> {
          // The lock that makes an invitation one-time across nodes: a second user waits here
          // and then reads it used.
          auto found = invitation_row(c, "code_hash", code_hash, true);
          if (!found) return fail(not_found("no such invitation"));
          Invitation invitation = std::move(*found);
          if (auto refused = rules::unless_pending(invitation, now))
            return fail(std::move(*refused));
          if (invitation.kind == "reset") {
            auto target = account_row(c, invitation.user, true);
            if (!target) return fail(not_found("no account '" + invitation.user + "'"));
            rules::apply_reset(*target, account);
            update_account(c, *target);
            end_user_sessions(c, target->user, "reset", now);
            bump(c);
          } else if (!existing_account) {
            if (!insert_account(c, account)) {
              return fail(
                  AccountFailure{AccountError::user_taken, "user '" + account.user + "' exists"});
            }
          } else if (!account_row(c, account.user, false)) {
            return fail(not_found("no account '" + account.user + "'"));
          }
          rules::mark_used(invitation, account, now);
          update_invitation(c, invitation);
          return invitation;
        });
  }

  AccountResult<Unit> undo_invitation_use(std::string_view code_hash,
                                          bool delete_account) override {
    return transaction<Unit>(
        "undo invitation use", [&](pg::PgConnection& c) -> AccountResult<Unit> {
          auto found = invitation_row(c, "code_hash", code_hash, true);
          if (!found) return fail(not_found("no such invitation"));
          Invitation invitation = std::move(*found);
          if (delete_account && invitation.kind != "reset" && !invitation.user.empty()) {
            pg::Params p;
            p.bytea(invitation.user);
            c.exec("DELETE FROM " + s_ + "accounts WHERE user_id = $1", p);
          }
          rules::mark_unused(invitation);
          update_invitation(c, invitation);
          return Unit{};
        });
  }

  // --- sessions ---

  AccountResult<Unit> create_session(const RefreshSession& session) override {
    return run<Unit>("create session", [&](pg::PgConnection& c) -> AccountResult<Unit> {
      pg::Params p;
      p.bytea(session.id).bytea(session.user).bytea(record_json::encode(session));
      auto inserted = c.exec("INSERT INTO " + s_ +
                                 "refresh_sessions VALUES ($1, $2, $3)"
                                 " ON CONFLICT DO NOTHING",
                             p);
      if (inserted.affected() == 1) return Unit{};
      return fail(AccountFailure{AccountError::user_taken, "session id exists"});
    });
  }

  AccountResult<std::optional<RefreshSession>> find_session(std::string_view id) override {
    return run<std::optional<RefreshSession>>(
        "find session", [&](pg::PgConnection& c) { return session_row(c, id, false); });
  }

  AccountResult<std::vector<RefreshSession>> list_sessions(std::string_view user) override {
    return run<std::vector<RefreshSession>>("list sessions", [&](pg::PgConnection& c) {
      pg::Params p;
      p.bytea(user);
      auto rows =
          c.exec("SELECT record FROM " + s_ + "refresh_sessions WHERE user_id = $1 ORDER BY id", p);
      std::vector<RefreshSession> out;
      for (int i = 0; i < rows.count(); ++i) {
        if (auto s = record_json::decode_session(rows.bytes(i, 0))) out.push_back(std::move(*s));
      }
      rules::prepare_session_listing(out);
      return out;
    });
  }

  AccountResult<RotateOutcome> rotate_session(std::string_view id, std::string_view presented_hash,
                                              std::string_view new_hash, std::int64_t now,
                                              std::int64_t new_expiry) override {
    return transaction<RotateOutcome>(
        "rotate session", [&](pg::PgConnection& c) -> AccountResult<RotateOutcome> {
          RotateOutcome out;
          // Two nodes presenting one token: the second waits here, then finds it an earlier one.
          auto found = session_row(c, id, true);
          if (!found) return out;  // unknown
          RefreshSession session = std::move(*found);
          const auto step = rules::rotate(session, presented_hash, new_hash, now, new_expiry);
          if (step.write) update_session(c, session);
          if (step.moves_counter) bump(c);
          out.rotation = step.rotation;
          if (step.rotation != Rotation::unknown) out.session = std::move(session);
          return out;
        });
  }

  AccountResult<RefreshSession> revoke_session(std::string_view id, std::string_view reason,
                                               std::int64_t now) override {
    return transaction<RefreshSession>(
        "revoke session", [&](pg::PgConnection& c) -> AccountResult<RefreshSession> {
          auto found = session_row(c, id, true);
          if (!found) return fail(not_found("no session '" + std::string(id) + "'"));
          RefreshSession session = std::move(*found);
          if (rules::end_session(session, reason, now)) {
            update_session(c, session);
            bump(c);
          }
          return session;
        });
  }

  AccountResult<bool> access_active(std::string_view user, std::string_view session_id,
                                    std::int64_t now) override {
    return run<bool>("check access", [&](pg::PgConnection& c) -> AccountResult<bool> {
      // One statement: one snapshot of both rows, one round trip.
      pg::Params p;
      p.bytea(user).bytea(session_id);
      auto rows = c.exec("SELECT (SELECT record FROM " + s_ +
                             "accounts WHERE user_id = $1),"
                             " (SELECT record FROM " +
                             s_ + "refresh_sessions WHERE id = $2)",
                         p);
      if (rows.is_null(0, 0)) return false;
      if (account_from(rows.bytes(0, 0)).disabled()) return false;
      if (session_id.empty()) return true;
      if (rows.is_null(0, 1)) return false;
      const auto session = session_from(rows.bytes(0, 1));
      return session.user == user && session.revoked_at == 0 && now < session.expires_at;
    });
  }

  std::uint64_t change_counter() override {
    auto counter = run<std::uint64_t>("read the change counter", [&](pg::PgConnection& c) {
      auto rows = c.exec("SELECT counter FROM " + s_ + "account_changes WHERE id = 1");
      if (rows.count() != 1) throw pg::PgFailure{"account_changes has no row"};
      return static_cast<std::uint64_t>(rows.int8(0, 0));
    });
    // A failed read must not look like a change: the server would re-check, and sign out,
    // everyone while the database is away.
    if (counter) last_counter_.store(*counter);
    return last_counter_.load();
  }

 private:
  // One statement (or several that need no common snapshot) on a pooled connection.
  template <typename T, typename Body>
  AccountResult<T> run(std::string_view what, Body&& body) {
    try {
      auto lease = pool_.borrow();
      return body(*lease);
    } catch (const pg::PgFailure& f) {
      return fail(storage(std::string(what) + ": " + f.message));
    } catch (const std::bad_alloc&) {
      return fail(storage(std::string(what) + ": out of memory"));
    } catch (const std::exception&) {
      // Its text is not ours to vouch for (it could quote a value): none crosses the edge.
      return fail(storage(std::string(what) + ": an unexpected failure"));
    }
  }

  // BEGIN … COMMIT, or ROLLBACK when `body` refused. Thrown out of the middle, the connection
  // is left in its transaction, so the pool drops it and the server rolls it back.
  template <typename T, typename Body>
  AccountResult<T> transaction(std::string_view what, Body&& body) {
    return run<T>(what, [&](pg::PgConnection& c) -> AccountResult<T> {
      c.exec("BEGIN");
      AccountResult<T> result = body(c);
      c.exec(result.ok() ? "COMMIT" : "ROLLBACK");
      return result;
    });
  }

  std::string lock_clause(bool lock) const { return lock ? " FOR UPDATE" : ""; }

  std::optional<Account> account_row(pg::PgConnection& c, std::string_view user, bool lock) {
    pg::Params p;
    p.bytea(user);
    auto rows =
        c.exec("SELECT record FROM " + s_ + "accounts WHERE user_id = $1" + lock_clause(lock), p);
    if (rows.count() == 0) return std::nullopt;
    return account_from(rows.bytes(0, 0));
  }

  // `column` is "id" or "code_hash".
  std::optional<Invitation> invitation_row(pg::PgConnection& c, const char* column,
                                           std::string_view key, bool lock) {
    pg::Params p;
    p.bytea(key);
    auto rows = c.exec(
        "SELECT record FROM " + s_ + "invitations WHERE " + column + " = $1" + lock_clause(lock),
        p);
    if (rows.count() == 0) return std::nullopt;
    return invitation_from(rows.bytes(0, 0));
  }

  std::optional<RefreshSession> session_row(pg::PgConnection& c, std::string_view id, bool lock) {
    pg::Params p;
    p.bytea(id);
    auto rows = c.exec(
        "SELECT record FROM " + s_ + "refresh_sessions WHERE id = $1" + lock_clause(lock), p);
    if (rows.count() == 0) return std::nullopt;
    return session_from(rows.bytes(0, 0));
  }

  // False when the user id is taken (a racing insert waits for the first and then sees it).
  bool insert_account(pg::PgConnection& c, const Account& account) {
    pg::Params p;
    p.bytea(account.user).bytea(record_json::encode(account));
    return c.exec("INSERT INTO " + s_ + "accounts VALUES ($1, $2) ON CONFLICT DO NOTHING", p)
               .affected() == 1;
  }

  void update_account(pg::PgConnection& c, const Account& account) {
    pg::Params p;
    p.bytea(account.user).bytea(record_json::encode(account));
    c.exec("UPDATE " + s_ + "accounts SET record = $2 WHERE user_id = $1", p);
  }

  void update_invitation(pg::PgConnection& c, const Invitation& invitation) {
    pg::Params p;
    p.bytea(invitation.id).bytea(record_json::encode(invitation));
    c.exec("UPDATE " + s_ + "invitations SET record = $2 WHERE id = $1", p);
  }

  void update_session(pg::PgConnection& c, const RefreshSession& session) {
    pg::Params p;
    p.bytea(session.id).bytea(record_json::encode(session));
    c.exec("UPDATE " + s_ + "refresh_sessions SET record = $2 WHERE id = $1", p);
  }

  void end_user_sessions(pg::PgConnection& c, std::string_view user, std::string_view reason,
                         std::int64_t now) {
    pg::Params p;
    p.bytea(user);
    auto rows = c.exec(
        "SELECT record FROM " + s_ + "refresh_sessions WHERE user_id = $1 ORDER BY id FOR UPDATE",
        p);
    for (int i = 0; i < rows.count(); ++i) {
      auto session = session_from(rows.bytes(i, 0));
      if (rules::end_session(session, reason, now)) update_session(c, session);
    }
  }

  // Last in every transaction that takes it: the one row all such transactions share.
  void bump(pg::PgConnection& c) {
    c.exec("UPDATE " + s_ + "account_changes SET counter = counter + 1 WHERE id = 1");
  }

  pg::Pool pool_;
  const std::string s_;  // "schema". — the prefix of every table name
  const std::string schema_;
  std::atomic<std::uint64_t> last_counter_{0};
};

}  // namespace

AccountResult<std::unique_ptr<AccountStore>> open_postgres_account_store(
    const std::string& conninfo, const std::string& schema) {
  if (conninfo.empty()) return fail(storage("no connection string"));
  if (auto why = check_schema(schema); !why.empty()) return fail(storage(why));
  auto store = std::make_unique<PostgresAccountStore>(conninfo, schema);
  if (auto made = store->create_tables(); !made) return fail(std::move(made).error());
  return std::unique_ptr<AccountStore>(std::move(store));
}

}  // namespace rembuk::accounts
