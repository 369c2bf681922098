// The AccountStore contract, run against both stores: LMDB in a temp folder and PostgreSQL
// on the test server (a schema of its own per test). Only the `…/Postgres` cases need the
// `postgres` fixture (tests/accounts/CMakeLists.txt); they skip when PostgreSQL is not
// installed or this build has no libpq. Then what only PostgreSQL promises: two store objects
// on one database (two nodes) see each other's changes, racing nodes cannot both use one
// invitation or both rotate one refresh token, and a failure's message quotes no key.
#include "rembuk/accounts/account_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <latch>
#include <optional>
#include <thread>
#include <vector>

#include "rembuk/accounts/open_account_store.hpp"
#include "rembuk/accounts/secret_code.hpp"
#include "rembuk_test/temp_dir.hpp"
#ifdef REMBUK_PG_FIXTURE
#include <libpq-fe.h>

#include "pg_server.hpp"
#endif

namespace rembuk::accounts {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

enum class Backend { lmdb, postgres };

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::lmdb ? "Lmdb" : "Postgres";
}

class AccountStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (is_postgres()) {
#ifdef REMBUK_PG_FIXTURE
      auto& server = testing::PgServer::instance();
      if (!server.available()) {
        if (server.missing()) GTEST_SKIP() << server.why_not();
        FAIL() << server.why_not();
      }
      conninfo_ = server.conninfo();
      schema_ = server.unique_schema();
#else
      GTEST_SKIP() << "the tests were built without libpq and the PostgreSQL fixture";
#endif
    }
    reopen();
  }

  bool is_postgres() const { return GetParam() == Backend::postgres; }

  // A new store object on this test's accounts: another node, for PostgreSQL.
  std::unique_ptr<AccountStore> open() {
    auto opened = is_postgres() ? open_postgres_account_store(conninfo_, schema_)
                                : open_lmdb_account_store((dir_.path() / "accounts").string());
    if (!opened.ok()) {
      ADD_FAILURE() << "open failed: " << opened.error().message;
      return nullptr;
    }
    return std::move(opened).value();
  }

  void reopen() {
    store_.reset();  // LMDB: one environment per process at a time
    store_ = open();
    ASSERT_NE(store_, nullptr);
  }

  Account account(const std::string& user) {
    Account a;
    a.user = user;
    a.display_name = "Nama " + user;
    a.password_hash = "$argon2id$fake";
    a.created_at = kNow;
    return a;
  }

  Invitation invitation(const std::string& code, std::string kind = "join") {
    Invitation i;
    i.id = random_code(9);
    i.code_hash = code_hash(code);
    i.kind = std::move(kind);
    i.role = "opd_editor";
    i.opd = "diskominfo";
    i.masterplan = "padang-2019";
    i.invited_by = "admin";
    i.created_at = kNow;
    i.expires_at = kNow + 7 * 86400;
    return i;
  }

  RefreshSession session(const std::string& id, const std::string& user,
                         const std::string& token) {
    RefreshSession s;
    s.id = id;
    s.user = user;
    s.token_hash = code_hash(token);
    s.created_at = kNow;
    s.last_used_at = kNow;
    s.expires_at = kNow + 30 * 86400;
    return s;
  }

  testing::TempDir dir_{"rembuk-accounts-test"};
  std::string conninfo_;
  std::string schema_;
  std::unique_ptr<AccountStore> store_;
};

// What only the PostgreSQL store promises: two store objects on one database (two nodes)
// share everything and race safely, and PostgreSQL's own error text never leaks a key.
class PostgresAccountStoreTest : public AccountStoreTest {};

TEST_P(AccountStoreTest, AccountsSurviveReopenAndIdsAreUnique) {
  ASSERT_TRUE(store_->create_account(account("budi")).ok());
  auto again = store_->create_account(account("budi"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error, AccountError::user_taken);
  reopen();
  auto found = store_->find_account("budi");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->display_name, "Nama budi");
  EXPECT_FALSE(store_->find_account("ani")->has_value());
  EXPECT_EQ(store_->list_accounts()->size(), 1u);
}

TEST_P(AccountStoreTest, TheEnvironmentIsPrivate) {
  if (is_postgres()) GTEST_SKIP() << "the database's files are PostgreSQL's";
  struct stat st {};
  ASSERT_EQ(::stat((dir_.path() / "accounts" / "data.mdb").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_P(AccountStoreTest, DisableRevokesSessionsAndMovesTheCounter) {
  ASSERT_TRUE(store_->create_account(account("budi")).ok());
  ASSERT_TRUE(store_->create_session(session("s1", "budi", "t1")).ok());
  EXPECT_TRUE(*store_->access_active("budi", "s1", kNow));
  const auto before = store_->change_counter();
  auto disabled = store_->set_disabled("budi", true, kNow + 5);
  ASSERT_TRUE(disabled.ok());
  EXPECT_EQ(disabled->disabled_at, kNow + 5);
  EXPECT_GT(store_->change_counter(), before);
  EXPECT_FALSE(*store_->access_active("budi", "", kNow + 6));
  auto s = store_->find_session("s1");
  EXPECT_EQ((*s)->revoked_reason, "disabled");
  ASSERT_TRUE(store_->set_disabled("budi", false, kNow + 7).ok());
  EXPECT_TRUE(*store_->access_active("budi", "", kNow + 8));
  EXPECT_FALSE(*store_->access_active("budi", "s1", kNow + 8));  // its sessions stay dead
  EXPECT_EQ(store_->set_disabled("nobody", true, kNow).error().error, AccountError::not_found);
}

TEST_P(AccountStoreTest, InvitationIsOneTimeAndStoredAsHashOnly) {
  const std::string code = random_code(16);
  auto inv = invitation(code);
  ASSERT_TRUE(store_->create_invitation(inv).ok());
  auto found = store_->find_invitation_by_code(code_hash(code));
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->status(kNow), InvitationStatus::pending);

  auto used = store_->use_invitation(code_hash(code), account("budi"), false, kNow + 10);
  ASSERT_TRUE(used.ok()) << used.error().message;
  EXPECT_EQ(used->user, "budi");
  EXPECT_EQ(used->status(kNow + 10), InvitationStatus::used);
  EXPECT_TRUE(store_->find_account("budi")->has_value());

  auto twice = store_->use_invitation(code_hash(code), account("ani"), false, kNow + 11);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().error, AccountError::not_pending);
  EXPECT_EQ(twice.error().message, "used");
  EXPECT_FALSE(store_->find_account("ani")->has_value());

  // The code appears nowhere in the file.
  if (is_postgres()) return;
  store_.reset();
  std::ifstream in(dir_.path() / "accounts" / "data.mdb", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(code), std::string::npos);
  EXPECT_NE(bytes.find(code_hash(code)), std::string::npos);
}

TEST_P(AccountStoreTest, WithdrawnAndExpiredAreToldApart) {
  const std::string a = random_code(16), b = random_code(16);
  auto ia = invitation(a);
  auto ib = invitation(b);
  ib.expires_at = kNow + 60;
  ASSERT_TRUE(store_->create_invitation(ia).ok());
  ASSERT_TRUE(store_->create_invitation(ib).ok());
  ASSERT_TRUE(store_->withdraw_invitation(ia.id, kNow + 1).ok());
  EXPECT_EQ(store_->withdraw_invitation(ia.id, kNow + 2).error().message, "withdrawn");
  EXPECT_EQ(store_->use_invitation(code_hash(a), account("x1"), false, kNow + 2).error().message,
            "withdrawn");
  EXPECT_EQ(store_->use_invitation(code_hash(b), account("x2"), false, kNow + 61).error().message,
            "expired");
  EXPECT_EQ(store_->use_invitation(code_hash("nope"), account("x3"), false, kNow).error().error,
            AccountError::not_found);
  auto listed = store_->list_invitations("padang-2019");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);
  EXPECT_TRUE(store_->list_invitations("pariaman")->empty());
}

TEST_P(AccountStoreTest, UndoMakesTheInvitationPendingAndDropsTheAccount) {
  const std::string code = random_code(16);
  ASSERT_TRUE(store_->create_invitation(invitation(code)).ok());
  ASSERT_TRUE(store_->use_invitation(code_hash(code), account("budi"), false, kNow).ok());
  ASSERT_TRUE(store_->undo_invitation_use(code_hash(code), true).ok());
  EXPECT_FALSE(store_->find_account("budi")->has_value());
  EXPECT_EQ((*store_->find_invitation_by_code(code_hash(code)))->status(kNow),
            InvitationStatus::pending);
}

TEST_P(AccountStoreTest, ResetSetsThePasswordAndEndsSessions) {
  ASSERT_TRUE(store_->create_account(account("budi")).ok());
  ASSERT_TRUE(store_->create_session(session("s1", "budi", "t1")).ok());
  const std::string code = random_code(16);
  auto inv = invitation(code, "reset");
  inv.user = "budi";
  ASSERT_TRUE(store_->create_invitation(inv).ok());
  Account with_new = account("budi");
  with_new.password_hash = "$argon2id$new";
  with_new.display_name.clear();
  ASSERT_TRUE(store_->use_invitation(code_hash(code), with_new, true, kNow + 1).ok());
  auto budi = store_->find_account("budi");
  EXPECT_EQ((*budi)->password_hash, "$argon2id$new");
  EXPECT_EQ((*budi)->display_name, "Nama budi");
  EXPECT_FALSE(*store_->access_active("budi", "s1", kNow + 2));
}

TEST_P(AccountStoreTest, RotationAndReuseDetection) {
  ASSERT_TRUE(store_->create_account(account("budi")).ok());
  ASSERT_TRUE(store_->create_session(session("s1", "budi", "t1")).ok());
  auto r1 = store_->rotate_session("s1", code_hash("t1"), code_hash("t2"), kNow + 1, kNow + 100);
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->rotation, Rotation::rotated);
  auto r2 = store_->rotate_session("s1", code_hash("t2"), code_hash("t3"), kNow + 2, kNow + 100);
  EXPECT_EQ(r2->rotation, Rotation::rotated);
  // A token never of this family changes nothing.
  auto stranger = store_->rotate_session("s1", code_hash("zz"), code_hash("t9"), kNow + 3,
                                         kNow + 100);
  EXPECT_EQ(stranger->rotation, Rotation::unknown);
  EXPECT_TRUE(*store_->access_active("budi", "s1", kNow + 3));
  // The old t1 again: the whole family ends, the current t3 too.
  const auto before = store_->change_counter();
  auto reused = store_->rotate_session("s1", code_hash("t1"), code_hash("t4"), kNow + 4,
                                       kNow + 100);
  EXPECT_EQ(reused->rotation, Rotation::reused);
  EXPECT_GT(store_->change_counter(), before);
  EXPECT_FALSE(*store_->access_active("budi", "s1", kNow + 4));
  auto after = store_->rotate_session("s1", code_hash("t3"), code_hash("t5"), kNow + 5,
                                      kNow + 100);
  EXPECT_EQ(after->rotation, Rotation::inactive);
  EXPECT_EQ(after->session.revoked_reason, "reused");
}

TEST_P(AccountStoreTest, ExpiredSessionDoesNotRotate) {
  ASSERT_TRUE(store_->create_session(session("s1", "budi", "t1")).ok());
  auto r = store_->rotate_session("s1", code_hash("t1"), code_hash("t2"), kNow + 31 * 86400,
                                  kNow + 32 * 86400);
  EXPECT_EQ(r->rotation, Rotation::inactive);
}

TEST_P(AccountStoreTest, ListSessionsHidesHashesAndRevokeIsIdempotent) {
  ASSERT_TRUE(store_->create_session(session("s1", "budi", "t1")).ok());
  ASSERT_TRUE(store_->create_session(session("s2", "budi", "t2")).ok());
  ASSERT_TRUE(store_->create_session(session("s3", "ani", "t3")).ok());
  ASSERT_TRUE(store_->revoke_session("s1", "logout", kNow + 1).ok());
  ASSERT_TRUE(store_->revoke_session("s1", "ended", kNow + 2).ok());
  auto listed = store_->list_sessions("budi");
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "s2");  // active first
  EXPECT_EQ((*listed)[1].revoked_reason, "logout");
  for (const auto& s : *listed) EXPECT_TRUE(s.token_hash.empty());
  EXPECT_EQ(store_->revoke_session("nope", "ended", kNow).error().error, AccountError::not_found);
}

TEST_P(AccountStoreTest, ListsAreOrderedAndDuplicatesRefused) {
  for (const char* user : {"citra", "ani", "budi"}) {
    ASSERT_TRUE(store_->create_account(account(user)).ok());
  }
  auto accounts = store_->list_accounts();
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 3u);
  EXPECT_EQ((*accounts)[0].user, "ani");  // in user id order
  EXPECT_EQ((*accounts)[2].user, "citra");

  auto older = invitation("c1");
  older.id = "b-older";
  auto newer = invitation("c2");
  newer.id = "a-newer";
  newer.created_at = kNow + 5;
  auto tie = invitation("c3");
  tie.id = "c-tie";
  tie.created_at = kNow + 5;
  for (const auto& i : {older, newer, tie}) ASSERT_TRUE(store_->create_invitation(i).ok());
  auto listed = store_->list_invitations("");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].id, "a-newer");  // newest first, a tie in id order
  EXPECT_EQ((*listed)[1].id, "c-tie");
  EXPECT_EQ((*listed)[2].id, "b-older");

  auto same_code = invitation("c1");
  auto refused = store_->create_invitation(same_code);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "invitation code exists");
  auto same_id = invitation("c9");
  same_id.id = "c-tie";
  EXPECT_EQ(store_->create_invitation(same_id).error().message, "invitation id exists");
  ASSERT_TRUE(store_->create_session(session("s1", "ani", "t1")).ok());
  EXPECT_EQ(store_->create_session(session("s1", "ani", "t2")).error().error,
            AccountError::user_taken);
}

TEST_P(AccountStoreTest, RecordsKeepEveryByteAndField) {
  Account a = account("budi");
  a.display_name = std::string("Budi\0Santoso \xc3\xa9", 15);
  a.email = "budi@padang.go.id";
  a.roles = {"admin", "kementerian"};
  ASSERT_TRUE(store_->create_account(a).ok());
  RefreshSession s = session("s1", "budi", "t1");
  s.user_agent = "Mozilla \xff\xfe";  // header bytes need not be UTF-8
  s.client_address = "10.0.0.7";
  ASSERT_TRUE(store_->create_session(s).ok());
  reopen();
  auto found = store_->find_account("budi");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->display_name, a.display_name);
  EXPECT_EQ((*found)->roles, a.roles);
  EXPECT_EQ((*found)->email, a.email);
  EXPECT_EQ((*found)->password_hash, a.password_hash);
  auto back = store_->find_session("s1");
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->user_agent, s.user_agent);
  EXPECT_EQ((*back)->token_hash, s.token_hash);
  EXPECT_EQ((*back)->client_address, "10.0.0.7");
}

TEST_P(AccountStoreTest, AccessNeedsTheUsersOwnActiveSession) {
  ASSERT_TRUE(store_->create_account(account("budi")).ok());
  ASSERT_TRUE(store_->create_account(account("ani")).ok());
  ASSERT_TRUE(store_->create_session(session("s1", "budi", "t1")).ok());
  EXPECT_TRUE(*store_->access_active("budi", "s1", kNow));
  EXPECT_FALSE(*store_->access_active("ani", "s1", kNow));       // not hers
  EXPECT_FALSE(*store_->access_active("budi", "nope", kNow));    // no such session
  EXPECT_FALSE(*store_->access_active("nobody", "", kNow));      // no such account
  EXPECT_FALSE(*store_->access_active("budi", "s1", kNow + 31 * 86400));  // expired
}

// Two nodes: what one store object writes, another on the same database reads, and the
// change counter the second node's server polls moves.
TEST_P(PostgresAccountStoreTest, TwoNodesSeeEachOthersChanges) {
  auto other = open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(store_->create_account(account("budi")).ok());
  ASSERT_TRUE(other->find_account("budi")->has_value());
  EXPECT_EQ(other->create_account(account("budi")).error().error, AccountError::user_taken);

  const std::string code = random_code(16);
  ASSERT_TRUE(other->create_invitation(invitation(code)).ok());
  ASSERT_TRUE(store_->use_invitation(code_hash(code), account("ani"), false, kNow + 1).ok());
  EXPECT_EQ(other->use_invitation(code_hash(code), account("citra"), false, kNow + 2)
                .error()
                .message,
            "used");
  EXPECT_EQ(other->list_accounts()->size(), 2u);

  ASSERT_TRUE(store_->create_session(session("s1", "budi", "t1")).ok());
  auto rotated = other->rotate_session("s1", code_hash("t1"), code_hash("t2"), kNow + 3,
                                       kNow + 100);
  ASSERT_EQ(rotated->rotation, Rotation::rotated);
  EXPECT_EQ((*store_->find_session("s1"))->token_hash, code_hash("t2"));

  const auto seen = other->change_counter();
  ASSERT_TRUE(store_->set_disabled("budi", true, kNow + 4).ok());
  EXPECT_GT(other->change_counter(), seen);
  EXPECT_FALSE(*other->access_active("budi", "s1", kNow + 5));
  EXPECT_EQ((*other->find_session("s1"))->revoked_reason, "disabled");
}

// Two nodes accept one invitation at the same moment: exactly one of them makes an account.
TEST_P(PostgresAccountStoreTest, RacingNodesCannotBothUseOneInvitation) {
  auto other = open();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 20; ++round) {
    const std::string code = random_code(16);
    ASSERT_TRUE(store_->create_invitation(invitation(code)).ok());
    const std::string users[2] = {"budi" + std::to_string(round), "ani" + std::to_string(round)};
    AccountStore* nodes[2] = {store_.get(), other.get()};
    std::optional<AccountResult<Invitation>> outcomes[2];
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        outcomes[i] = nodes[i]->use_invitation(code_hash(code), account(users[i]), false,
                                               kNow + 1);
      });
    }
    for (auto& t : threads) t.join();
    const int won = (outcomes[0]->ok() ? 1 : 0) + (outcomes[1]->ok() ? 1 : 0);
    ASSERT_EQ(won, 1) << "round " << round;
    const int loser = outcomes[0]->ok() ? 1 : 0;
    EXPECT_EQ(outcomes[loser]->error().error, AccountError::not_pending);
    EXPECT_EQ(outcomes[loser]->error().message, "used");
    EXPECT_TRUE(store_->find_account(users[1 - loser])->has_value());
    EXPECT_FALSE(store_->find_account(users[loser])->has_value());
    EXPECT_EQ((*store_->find_invitation_by_code(code_hash(code)))->user, users[1 - loser]);
  }
}

// Two nodes present one refresh token at once: one rotates, the other is a reuse and ends
// the family — as when one node sees the two one after the other.
TEST_P(PostgresAccountStoreTest, RacingNodesCannotBothRotateOneToken) {
  auto other = open();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 20; ++round) {
    const std::string id = "s" + std::to_string(round);
    ASSERT_TRUE(store_->create_session(session(id, "budi", "t1")).ok());
    AccountStore* nodes[2] = {store_.get(), other.get()};
    std::optional<AccountResult<RotateOutcome>> outcomes[2];
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        outcomes[i] = nodes[i]->rotate_session(id, code_hash("t1"),
                                               code_hash("new" + std::to_string(i)), kNow + 1,
                                               kNow + 100);
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_TRUE(outcomes[0]->ok() && outcomes[1]->ok());
    const auto a = (*outcomes[0])->rotation;
    const auto b = (*outcomes[1])->rotation;
    EXPECT_TRUE((a == Rotation::rotated && b == Rotation::reused) ||
                (a == Rotation::reused && b == Rotation::rotated))
        << "round " << round;
    EXPECT_EQ((*store_->find_session(id))->revoked_reason, "reused");
  }
}

// A failure inside a transaction is a storage error whose message leaves out PostgreSQL's
// detail: for a refused row that detail lists the row, code hash included.
TEST_P(PostgresAccountStoreTest, AFailureNeverQuotesACodeHash) {
#ifdef REMBUK_PG_FIXTURE
  const std::string code = random_code(16);
  ASSERT_TRUE(store_->create_invitation(invitation(code)).ok());
  PGconn* admin = PQconnectdb(conninfo_.c_str());
  ASSERT_EQ(PQstatus(admin), CONNECTION_OK) << PQerrorMessage(admin);
  PGresult* altered = PQexec(admin, ("ALTER TABLE \"" + schema_ +
                                     "\".invitations ADD CONSTRAINT frozen CHECK (false) NOT VALID")
                                        .c_str());
  ASSERT_EQ(PQresultStatus(altered), PGRES_COMMAND_OK) << PQerrorMessage(admin);
  PQclear(altered);
  PQfinish(admin);

  auto used = store_->use_invitation(code_hash(code), account("budi"), false, kNow + 1);
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.error().error, AccountError::storage);
  EXPECT_NE(used.error().message.find("frozen"), std::string::npos) << used.error().message;
  std::string hex;  // how PostgreSQL shows the bytea of the hash (cut after 30 bytes)
  for (const unsigned char c : code_hash(code).substr(0, 16)) {
    static constexpr char digits[] = "0123456789abcdef";
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  for (const std::string& secret : {code, code_hash(code), hex}) {
    EXPECT_EQ(used.error().message.find(secret), std::string::npos) << used.error().message;
  }
  EXPECT_FALSE(store_->find_account("budi")->has_value()) << "the transaction rolled back";
  EXPECT_EQ((*store_->find_invitation_by_code(code_hash(code)))->status(kNow + 1),
            InvitationStatus::pending);
#endif
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountStoreTest,
                         ::testing::Values(Backend::lmdb, Backend::postgres), backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, PostgresAccountStoreTest,
                         ::testing::Values(Backend::postgres), backend_name);

TEST(OpenAccountStore, TheLogsLocationPicksTheStore) {
  testing::TempDir dir{"rembuk-accounts-test"};
  EXPECT_TRUE(is_postgres_location("postgres://rembuk@db/rembuk"));
  EXPECT_TRUE(is_postgres_location("postgresql://rembuk@db/rembuk"));
  EXPECT_FALSE(is_postgres_location("lmdb"));
  {
    auto lmdb = open_account_store("", dir.path().string());
    ASSERT_TRUE(lmdb.ok()) << lmdb.error().message;
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "accounts" / "data.mdb"));
  }
  EXPECT_TRUE(open_account_store("lmdb", dir.path().string()).ok());
  auto unknown = open_account_store("postgress://rembuk:Rahasia-2045@db/x", dir.path().string());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message.find("Rahasia-2045"), std::string::npos);
}

// A database that is not there is a storage error, not an exception, and the message does
// not repeat the password of the connection string.
TEST(OpenPostgresAccountStore, AnUnreachableDatabaseIsAStorageError) {
  auto opened = open_postgres_account_store("postgresql://rembuk:Rahasia-2045@127.0.0.1:1/rembuk"
                                            "?connect_timeout=2");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().error, AccountError::storage);
  EXPECT_EQ(opened.error().message.find("Rahasia-2045"), std::string::npos)
      << opened.error().message;
  EXPECT_FALSE(open_postgres_account_store("postgresql://127.0.0.1:1/x", "Bad-Schema").ok());
}

TEST(UserId, Pattern) {
  EXPECT_TRUE(valid_user_id("budi.santoso"));
  EXPECT_TRUE(valid_user_id("A1:b_c-d"));
  EXPECT_FALSE(valid_user_id(""));
  EXPECT_FALSE(valid_user_id(".budi"));
  EXPECT_FALSE(valid_user_id("budi santoso"));
  EXPECT_FALSE(valid_user_id(std::string(65, 'a')));
}

}  // namespace
}  // namespace rembuk::accounts
