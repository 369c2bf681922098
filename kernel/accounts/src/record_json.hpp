// The stored form of account records: one JSON object per LMDB value, and per `record`
// column of the PostgreSQL tables.
//
//   account    = {"user","displayName","email","passwordHash","roles":[…],"createdAt",
//                 "disabledAt"}
//   invitation = {"id","codeHash","kind","role","opd","masterplan","user","invitedBy",
//                 "createdAt","expiresAt","usedAt","withdrawnAt"}
//   session    = {"id","user","tokenHash","previousHashes":[…],"createdAt","lastUsedAt",
//                 "expiresAt","revokedAt","revokedReason","clientAddress","userAgent"}
//
// Times are integers (seconds since the epoch; 0 = never). Unknown keys are ignored and
// missing ones take their defaults, so a later version can add fields.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rembuk/accounts/account_store.hpp"

namespace rembuk::accounts::record_json {

std::string encode(const Account& account);
std::string encode(const Invitation& invitation);
std::string encode(const RefreshSession& session);

std::optional<Account> decode_account(std::string_view text);
std::optional<Invitation> decode_invitation(std::string_view text);
std::optional<RefreshSession> decode_session(std::string_view text);

}  // namespace rembuk::accounts::record_json
