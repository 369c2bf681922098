// The PostgreSQL account store in a build without libpq: opening fails cleanly.
#include "rembuk/accounts/account_store.hpp"

namespace rembuk::accounts {

AccountResult<std::unique_ptr<AccountStore>> open_postgres_account_store(const std::string&,
                                                                         const std::string&) {
  return fail(AccountFailure{AccountError::storage,
                             "this build has no PostgreSQL backend (libpq-dev was not installed)"});
}

}  // namespace rembuk::accounts
