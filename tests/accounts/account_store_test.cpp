#include "rembuk/accounts/account_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "rembuk/accounts/secret_code.hpp"
#include "rembuk_test/temp_dir.hpp"

namespace rembuk::accounts {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

class AccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    store_.reset();
    auto opened = open_lmdb_account_store((dir_.path() / "accounts").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
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
  std::unique_ptr<AccountStore> store_;
};

TEST_F(AccountStoreTest, AccountsSurviveReopenAndIdsAreUnique) {
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

TEST_F(AccountStoreTest, TheEnvironmentIsPrivate) {
  struct stat st {};
  ASSERT_EQ(::stat((dir_.path() / "accounts" / "data.mdb").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AccountStoreTest, DisableRevokesSessionsAndMovesTheCounter) {
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

TEST_F(AccountStoreTest, InvitationIsOneTimeAndStoredAsHashOnly) {
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
  store_.reset();
  std::ifstream in(dir_.path() / "accounts" / "data.mdb", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(code), std::string::npos);
  EXPECT_NE(bytes.find(code_hash(code)), std::string::npos);
}

TEST_F(AccountStoreTest, WithdrawnAndExpiredAreToldApart) {
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

TEST_F(AccountStoreTest, UndoMakesTheInvitationPendingAndDropsTheAccount) {
  const std::string code = random_code(16);
  ASSERT_TRUE(store_->create_invitation(invitation(code)).ok());
  ASSERT_TRUE(store_->use_invitation(code_hash(code), account("budi"), false, kNow).ok());
  ASSERT_TRUE(store_->undo_invitation_use(code_hash(code), true).ok());
  EXPECT_FALSE(store_->find_account("budi")->has_value());
  EXPECT_EQ((*store_->find_invitation_by_code(code_hash(code)))->status(kNow),
            InvitationStatus::pending);
}

TEST_F(AccountStoreTest, ResetSetsThePasswordAndEndsSessions) {
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

TEST_F(AccountStoreTest, RotationAndReuseDetection) {
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

TEST_F(AccountStoreTest, ExpiredSessionDoesNotRotate) {
  ASSERT_TRUE(store_->create_session(session("s1", "budi", "t1")).ok());
  auto r = store_->rotate_session("s1", code_hash("t1"), code_hash("t2"), kNow + 31 * 86400,
                                  kNow + 32 * 86400);
  EXPECT_EQ(r->rotation, Rotation::inactive);
}

TEST_F(AccountStoreTest, ListSessionsHidesHashesAndRevokeIsIdempotent) {
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
