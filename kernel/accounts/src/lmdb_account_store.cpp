// The AccountStore on LMDB: its own environment (DATA/accounts), apart from the event log.
//
//   accounts          user id        → account record (record_json.hpp)
//   invitations       invitation id  → invitation record
//   invitation_codes  code hash      → invitation id
//   sessions          session id     → session record
//   meta              "changes"      → u64 (8 bytes, native order): the change counter
//
// Every operation is one transaction; writers are serialised by LMDB, also across
// processes (the server and `rembuk user …` on the same folder).
#include <lmdb.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "account_rules.hpp"
#include "record_json.hpp"
#include "rembuk/accounts/account_store.hpp"

namespace rembuk::accounts {

namespace {

constexpr std::size_t kMapSize = std::size_t{1} << 30;  // sparse; accounts are small

AccountFailure storage_failure(std::string_view what, int rc) {
  return AccountFailure{AccountError::storage, std::string(what) + ": " + mdb_strerror(rc)};
}

MDB_val val(std::string_view s) {
  return MDB_val{s.size(), const_cast<char*>(s.data())};
}

std::string_view view(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

// A transaction that aborts unless committed.
class Txn {
 public:
  Txn(MDB_env* env, bool write) {
    rc_ = mdb_txn_begin(env, nullptr, write ? 0 : MDB_RDONLY, &txn_);
    if (rc_ != 0) txn_ = nullptr;
  }
  ~Txn() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
  }
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  int begin_error() const { return rc_; }
  MDB_txn* get() const { return txn_; }
  int commit() {
    const int rc = mdb_txn_commit(txn_);
    txn_ = nullptr;
    return rc;
  }

 private:
  MDB_txn* txn_ = nullptr;
  int rc_ = 0;
};

}  // namespace

std::string_view to_string(InvitationStatus status) {
  switch (status) {
    case InvitationStatus::pending: return "pending";
    case InvitationStatus::used: return "used";
    case InvitationStatus::withdrawn: return "withdrawn";
    case InvitationStatus::expired: return "expired";
  }
  return "unknown";
}

InvitationStatus Invitation::status(std::int64_t now) const {
  if (used_at != 0) return InvitationStatus::used;
  if (withdrawn_at != 0) return InvitationStatus::withdrawn;
  if (now >= expires_at) return InvitationStatus::expired;
  return InvitationStatus::pending;
}

bool valid_user_id(std::string_view user) {
  if (user.empty() || user.size() > 64) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(user.front())) return false;
  return std::all_of(user.begin(), user.end(), [&](char c) {
    return alnum(c) || c == '_' || c == '.' || c == ':' || c == '-';
  });
}

namespace {

class LmdbAccountStore final : public AccountStore {
 public:
  ~LmdbAccountStore() override {
    if (env_ != nullptr) mdb_env_close(env_);
  }

  AccountResult<Unit> open(const std::string& directory) {
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) {
      return fail(AccountFailure{AccountError::storage,
                                 "cannot create " + directory + ": " + ec.message()});
    }
    std::filesystem::permissions(directory, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    if (int rc = mdb_env_create(&env_); rc != 0) return fail(storage_failure("mdb_env_create", rc));
    mdb_env_set_maxdbs(env_, 8);
    mdb_env_set_mapsize(env_, kMapSize);
    if (int rc = mdb_env_open(env_, directory.c_str(), 0, 0600); rc != 0) {
      return fail(storage_failure("cannot open accounts in " + directory, rc));
    }
    Txn txn(env_, true);
    if (txn.begin_error() != 0) return fail(storage_failure("begin", txn.begin_error()));
    for (auto [name, dbi] : {std::pair{"accounts", &accounts_}, {"invitations", &invitations_},
                             {"invitation_codes", &codes_}, {"sessions", &sessions_},
                             {"meta", &meta_}}) {
      if (int rc = mdb_dbi_open(txn.get(), name, MDB_CREATE, dbi); rc != 0) {
        return fail(storage_failure(std::string("open database ") + name, rc));
      }
    }
    if (int rc = txn.commit(); rc != 0) return fail(storage_failure("commit", rc));
    return Unit{};
  }

  // --- accounts ---

  AccountResult<Unit> create_account(const Account& account) override {
    return write([&](MDB_txn* txn) -> AccountResult<Unit> {
      return put_new(txn, accounts_, account.user, record_json::encode(account),
                     AccountError::user_taken, "user '" + account.user + "' exists");
    });
  }

  AccountResult<std::optional<Account>> find_account(std::string_view user) override {
    return read([&](MDB_txn* txn) { return get_account(txn, user); });
  }

  AccountResult<std::vector<Account>> list_accounts() override {
    return read([&](MDB_txn* txn) -> AccountResult<std::vector<Account>> {
      std::vector<Account> out;
      auto scanned = scan(txn, accounts_, [&](std::string_view value) {
        if (auto a = record_json::decode_account(value)) out.push_back(std::move(*a));
      });
      if (!scanned) return fail(std::move(scanned).error());
      return out;
    });
  }

  AccountResult<Account> set_disabled(std::string_view user, bool disabled,
                                      std::int64_t now) override {
    return write([&](MDB_txn* txn) -> AccountResult<Account> {
      auto found = get_account(txn, user);
      if (!found) return fail(std::move(found).error());
      if (!*found) return fail(not_found("no account '" + std::string(user) + "'"));
      Account account = std::move(**found);
      account.disabled_at = disabled ? (account.disabled_at != 0 ? account.disabled_at : now) : 0;
      if (auto r = put(txn, accounts_, account.user, record_json::encode(account)); !r) {
        return fail(std::move(r).error());
      }
      if (disabled) {
        if (auto r = revoke_user_sessions(txn, account.user, "disabled", now); !r) {
          return fail(std::move(r).error());
        }
      }
      if (auto bumped = bump(txn); !bumped) return fail(std::move(bumped).error());
      return account;
    });
  }

  // --- invitations ---

  AccountResult<Unit> create_invitation(const Invitation& invitation) override {
    return write([&](MDB_txn* txn) -> AccountResult<Unit> {
      if (auto r = put_new(txn, codes_, invitation.code_hash, invitation.id,
                           AccountError::user_taken, "invitation code exists");
          !r) {
        return r;
      }
      return put_new(txn, invitations_, invitation.id, record_json::encode(invitation),
                     AccountError::user_taken, "invitation id exists");
    });
  }

  AccountResult<std::optional<Invitation>> find_invitation_by_code(
      std::string_view code_hash) override {
    return read([&](MDB_txn* txn) { return invitation_by_code(txn, code_hash); });
  }

  AccountResult<std::vector<Invitation>> list_invitations(std::string_view masterplan) override {
    return read([&](MDB_txn* txn) -> AccountResult<std::vector<Invitation>> {
      std::vector<Invitation> out;
      auto scanned = scan(txn, invitations_, [&](std::string_view value) {
        auto i = record_json::decode_invitation(value);
        if (i && (masterplan.empty() || i->masterplan == masterplan)) out.push_back(std::move(*i));
      });
      if (!scanned) return fail(std::move(scanned).error());
      rules::sort_newest_first(out);
      return out;
    });
  }

  AccountResult<Invitation> withdraw_invitation(std::string_view id, std::int64_t now) override {
    return write([&](MDB_txn* txn) -> AccountResult<Invitation> {
      auto found = get_invitation(txn, id);
      if (!found) return fail(std::move(found).error());
      if (!*found) return fail(not_found("no invitation '" + std::string(id) + "'"));
      Invitation invitation = std::move(**found);
      if (auto refused = rules::unless_pending(invitation, now)) return fail(std::move(*refused));
      invitation.withdrawn_at = now;
      if (auto r = put(txn, invitations_, invitation.id, record_json::encode(invitation)); !r) {
        return fail(std::move(r).error());
      }
      return invitation;
    });
  }

  AccountResult<Invitation> use_invitation(std::string_view code_hash, const Account& account,
                                           bool existing_account, std::int64_t now) override {
    return write([&](MDB_txn* txn) -> AccountResult<Invitation> {
      auto found = invitation_by_code(txn, code_hash);
      if (!found) return fail(std::move(found).error());
      if (!*found) return fail(not_found("no such invitation"));
      Invitation invitation = std::move(**found);
      if (auto refused = rules::unless_pending(invitation, now)) return fail(std::move(*refused));
      if (invitation.kind == "reset") {
        auto target = get_account(txn, invitation.user);
        if (!target) return fail(std::move(target).error());
        if (!*target) return fail(not_found("no account '" + invitation.user + "'"));
        Account updated = std::move(**target);
        rules::apply_reset(updated, account);
        if (auto r = put(txn, accounts_, updated.user, record_json::encode(updated)); !r) {
          return fail(std::move(r).error());
        }
        if (auto r = revoke_user_sessions(txn, updated.user, "reset", now); !r) {
          return fail(std::move(r).error());
        }
        if (auto r = bump(txn); !r) return fail(std::move(r).error());
      } else if (!existing_account) {
        if (auto r = put_new(txn, accounts_, account.user, record_json::encode(account),
                             AccountError::user_taken, "user '" + account.user + "' exists");
            !r) {
          return fail(std::move(r).error());
        }
      } else {
        auto target = get_account(txn, account.user);
        if (!target) return fail(std::move(target).error());
        if (!*target) return fail(not_found("no account '" + account.user + "'"));
      }
      rules::mark_used(invitation, account, now);
      if (auto r = put(txn, invitations_, invitation.id, record_json::encode(invitation)); !r) {
        return fail(std::move(r).error());
      }
      return invitation;
    });
  }

  AccountResult<Unit> undo_invitation_use(std::string_view code_hash,
                                          bool delete_account) override {
    return write([&](MDB_txn* txn) -> AccountResult<Unit> {
      auto found = invitation_by_code(txn, code_hash);
      if (!found) return fail(std::move(found).error());
      if (!*found) return fail(not_found("no such invitation"));
      Invitation invitation = std::move(**found);
      if (delete_account && invitation.kind != "reset" && !invitation.user.empty()) {
        MDB_val key = val(invitation.user);
        const int rc = mdb_del(txn, accounts_, &key, nullptr);
        if (rc != 0 && rc != MDB_NOTFOUND) return fail(storage_failure("delete account", rc));
      }
      rules::mark_unused(invitation);
      return put(txn, invitations_, invitation.id, record_json::encode(invitation));
    });
  }

  // --- sessions ---

  AccountResult<Unit> create_session(const RefreshSession& session) override {
    return write([&](MDB_txn* txn) -> AccountResult<Unit> {
      return put_new(txn, sessions_, session.id, record_json::encode(session),
                     AccountError::user_taken, "session id exists");
    });
  }

  AccountResult<std::optional<RefreshSession>> find_session(std::string_view id) override {
    return read([&](MDB_txn* txn) { return get_session(txn, id); });
  }

  AccountResult<std::vector<RefreshSession>> list_sessions(std::string_view user) override {
    return read([&](MDB_txn* txn) -> AccountResult<std::vector<RefreshSession>> {
      std::vector<RefreshSession> out;
      auto scanned = scan(txn, sessions_, [&](std::string_view value) {
        auto s = record_json::decode_session(value);
        if (s && s->user == user) out.push_back(std::move(*s));
      });
      if (!scanned) return fail(std::move(scanned).error());
      rules::prepare_session_listing(out);
      return out;
    });
  }

  AccountResult<RotateOutcome> rotate_session(std::string_view id, std::string_view presented_hash,
                                              std::string_view new_hash, std::int64_t now,
                                              std::int64_t new_expiry) override {
    return write([&](MDB_txn* txn) -> AccountResult<RotateOutcome> {
      RotateOutcome out;
      auto found = get_session(txn, id);
      if (!found) return fail(std::move(found).error());
      if (!*found) return out;  // unknown
      RefreshSession session = std::move(**found);
      const auto step = rules::rotate(session, presented_hash, new_hash, now, new_expiry);
      if (step.write) {
        if (auto r = put(txn, sessions_, session.id, record_json::encode(session)); !r) {
          return fail(std::move(r).error());
        }
      }
      if (step.moves_counter) {
        if (auto r = bump(txn); !r) return fail(std::move(r).error());
      }
      out.rotation = step.rotation;
      if (step.rotation != Rotation::unknown) out.session = std::move(session);
      return out;
    });
  }

  AccountResult<RefreshSession> revoke_session(std::string_view id, std::string_view reason,
                                               std::int64_t now) override {
    return write([&](MDB_txn* txn) -> AccountResult<RefreshSession> {
      auto found = get_session(txn, id);
      if (!found) return fail(std::move(found).error());
      if (!*found) return fail(not_found("no session '" + std::string(id) + "'"));
      RefreshSession session = std::move(**found);
      if (rules::end_session(session, reason, now)) {
        if (auto r = put(txn, sessions_, session.id, record_json::encode(session)); !r) {
          return fail(std::move(r).error());
        }
        if (auto r = bump(txn); !r) return fail(std::move(r).error());
      }
      return session;
    });
  }

  AccountResult<bool> access_active(std::string_view user, std::string_view session_id,
                                    std::int64_t now) override {
    return read([&](MDB_txn* txn) -> AccountResult<bool> {
      auto account = get_account(txn, user);
      if (!account) return fail(std::move(account).error());
      if (!*account || (*account)->disabled()) return false;
      if (session_id.empty()) return true;
      auto session = get_session(txn, session_id);
      if (!session) return fail(std::move(session).error());
      return *session && (*session)->user == user && (*session)->revoked_at == 0 &&
             now < (*session)->expires_at;
    });
  }

  std::uint64_t change_counter() override {
    auto counter = read([&](MDB_txn* txn) -> AccountResult<std::uint64_t> { return counter_in(txn); });
    // A failed read must not look like a change: the server would re-check, and sign out,
    // everyone.
    if (counter) last_counter_.store(*counter);
    return last_counter_.load();
  }

 private:
  static AccountFailure not_found(std::string message) {
    return AccountFailure{AccountError::not_found, std::move(message)};
  }

  template <typename F>
  auto read(F&& f) -> decltype(f(nullptr)) {
    Txn txn(env_, false);
    if (txn.begin_error() != 0) return fail(storage_failure("read", txn.begin_error()));
    return f(txn.get());
  }

  template <typename F>
  auto write(F&& f) -> decltype(f(nullptr)) {
    Txn txn(env_, true);
    if (txn.begin_error() != 0) return fail(storage_failure("write", txn.begin_error()));
    auto result = f(txn.get());
    if (!result) return result;  // aborted by Txn
    if (int rc = txn.commit(); rc != 0) return fail(storage_failure("commit", rc));
    return result;
  }

  AccountResult<std::optional<std::string>> get(MDB_txn* txn, MDB_dbi dbi, std::string_view key) {
    MDB_val k = val(key);
    MDB_val v{};
    const int rc = mdb_get(txn, dbi, &k, &v);
    if (rc == MDB_NOTFOUND) return std::optional<std::string>{};
    if (rc != 0) return fail(storage_failure("read", rc));
    return std::optional<std::string>(std::string(view(v)));
  }

  AccountResult<Unit> put(MDB_txn* txn, MDB_dbi dbi, std::string_view key, std::string_view value) {
    MDB_val k = val(key);
    MDB_val v = val(value);
    if (int rc = mdb_put(txn, dbi, &k, &v, 0); rc != 0) return fail(storage_failure("write", rc));
    return Unit{};
  }

  AccountResult<Unit> put_new(MDB_txn* txn, MDB_dbi dbi, std::string_view key,
                              std::string_view value, AccountError taken, std::string message) {
    MDB_val k = val(key);
    MDB_val v = val(value);
    const int rc = mdb_put(txn, dbi, &k, &v, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) return fail(AccountFailure{taken, std::move(message)});
    if (rc != 0) return fail(storage_failure("write", rc));
    return Unit{};
  }

  template <typename F>
  AccountResult<Unit> scan(MDB_txn* txn, MDB_dbi dbi, F&& each) {
    MDB_cursor* cursor = nullptr;
    if (int rc = mdb_cursor_open(txn, dbi, &cursor); rc != 0) {
      return fail(storage_failure("cursor", rc));
    }
    MDB_val k{};
    MDB_val v{};
    int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
    while (rc == 0) {
      each(view(v));
      rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cursor);
    if (rc != MDB_NOTFOUND) return fail(storage_failure("scan", rc));
    return Unit{};
  }

  AccountResult<std::optional<Account>> get_account(MDB_txn* txn, std::string_view user) {
    auto raw = get(txn, accounts_, user);
    if (!raw) return fail(std::move(raw).error());
    if (!*raw) return std::optional<Account>{};
    auto decoded = record_json::decode_account(**raw);
    if (!decoded) return fail(AccountFailure{AccountError::storage, "a damaged account record"});
    return decoded;
  }

  AccountResult<std::optional<Invitation>> get_invitation(MDB_txn* txn, std::string_view id) {
    auto raw = get(txn, invitations_, id);
    if (!raw) return fail(std::move(raw).error());
    if (!*raw) return std::optional<Invitation>{};
    auto decoded = record_json::decode_invitation(**raw);
    if (!decoded) return fail(AccountFailure{AccountError::storage, "a damaged invitation"});
    return decoded;
  }

  AccountResult<std::optional<Invitation>> invitation_by_code(MDB_txn* txn,
                                                              std::string_view code_hash) {
    auto id = get(txn, codes_, code_hash);
    if (!id) return fail(std::move(id).error());
    if (!*id) return std::optional<Invitation>{};
    return get_invitation(txn, **id);
  }

  AccountResult<std::optional<RefreshSession>> get_session(MDB_txn* txn, std::string_view id) {
    auto raw = get(txn, sessions_, id);
    if (!raw) return fail(std::move(raw).error());
    if (!*raw) return std::optional<RefreshSession>{};
    auto decoded = record_json::decode_session(**raw);
    if (!decoded) return fail(AccountFailure{AccountError::storage, "a damaged session record"});
    return decoded;
  }

  AccountResult<Unit> revoke_user_sessions(MDB_txn* txn, std::string_view user,
                                           std::string_view reason, std::int64_t now) {
    std::vector<RefreshSession> hit;
    auto scanned = scan(txn, sessions_, [&](std::string_view value) {
      auto s = record_json::decode_session(value);
      if (s && s->user == user && rules::end_session(*s, reason, now)) {
        hit.push_back(std::move(*s));
      }
    });
    if (!scanned) return scanned;
    for (auto& s : hit) {
      if (auto r = put(txn, sessions_, s.id, record_json::encode(s)); !r) return r;
    }
    return Unit{};
  }

  AccountResult<std::uint64_t> counter_in(MDB_txn* txn) {
    auto raw = get(txn, meta_, "changes");
    if (!raw) return fail(std::move(raw).error());
    std::uint64_t n = 0;
    if (*raw && (*raw)->size() == sizeof n) std::memcpy(&n, (*raw)->data(), sizeof n);
    return n;
  }

  AccountResult<Unit> bump(MDB_txn* txn) {
    auto n = counter_in(txn);
    if (!n) return fail(std::move(n).error());
    const std::uint64_t next = *n + 1;
    return put(txn, meta_, "changes",
               std::string_view(reinterpret_cast<const char*>(&next), sizeof next));
  }

  MDB_env* env_ = nullptr;
  MDB_dbi accounts_ = 0;
  MDB_dbi invitations_ = 0;
  MDB_dbi codes_ = 0;
  MDB_dbi sessions_ = 0;
  MDB_dbi meta_ = 0;
  std::atomic<std::uint64_t> last_counter_{0};
};

}  // namespace

AccountResult<std::unique_ptr<AccountStore>> open_lmdb_account_store(const std::string& directory) {
  auto store = std::make_unique<LmdbAccountStore>();
  if (auto opened = store->open(directory); !opened) return fail(std::move(opened).error());
  return std::unique_ptr<AccountStore>(std::move(store));
}

}  // namespace rembuk::accounts
