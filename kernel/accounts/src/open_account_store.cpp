#include "rembuk/accounts/open_account_store.hpp"

#include <filesystem>

namespace rembuk::accounts {

bool is_postgres_location(std::string_view store) {
  return store.rfind("postgres://", 0) == 0 || store.rfind("postgresql://", 0) == 0;
}

AccountResult<std::unique_ptr<AccountStore>> open_account_store(const std::string& store,
                                                                const std::string& data_dir) {
  if (is_postgres_location(store)) return open_postgres_account_store(store);
  if (!store.empty() && store != "lmdb") {
    return fail(AccountFailure{AccountError::storage, "unknown store (lmdb or postgres://…)"});
  }
  return open_lmdb_account_store((std::filesystem::path(data_dir) / "accounts").string());
}

}  // namespace rembuk::accounts
