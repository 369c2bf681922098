// Opening the accounts that belong with the log a command line names: `--store postgres://…`
// keeps them in that database (every node sees the same people), otherwise they live in
// LMDB in DATA/accounts, beside the LMDB log.
//
// Thread safety: a free function.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "rembuk/accounts/account_store.hpp"

namespace rembuk::accounts {

// True for "postgres://…" and "postgresql://…" (the rule of the log's `--store`).
bool is_postgres_location(std::string_view store);

// `store` as `--store` takes it: empty or "lmdb" → open_lmdb_account_store(data_dir +
// "/accounts"); postgres://… → open_postgres_account_store(store) (the log's schema).
// Anything else fails (storage) without repeating `store`, which may hold a password.
AccountResult<std::unique_ptr<AccountStore>> open_account_store(const std::string& store,
                                                                const std::string& data_dir);

}  // namespace rembuk::accounts
