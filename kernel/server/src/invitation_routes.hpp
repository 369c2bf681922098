// invitation_routes: joining by invitation, and the admin's view of accounts
// (docs/protocol.md, "Invitations", "Accounts").
//
//   POST   /api/invitations              {role, opd?, masterplan, expiresIn?} → 201
//                                        {id, code, url, expiresAt, …}; admin, or the
//                                        masterplan's tim_pelaksana
//   GET    /api/invitations?masterplan=  → {invitations:[…]} (never a code)
//   DELETE /api/invitations/{id}         → {id, status:"withdrawn"}
//   GET    /api/invitations/{code}       → {status, kind, role, opd, masterplan, cityName,
//                                        expiresAt}: what the invitation page shows
//   POST   /api/invitations/{code}/accept {displayName, password, user?} → as login; a
//                                        join appends MemberAdded through the engine
//   GET    /api/users[?masterplan=]      → {users:[…]}: every account (admin), or the display
//                                        names of a masterplan's members (its readers)
//   POST   /api/users/{id}/disable|enable → the account (admin); disabling ends its
//                                        sessions and closes its connections
//
// Thread safety: handle() may run on many connections at once. Accepting a join waits on
// the calling I/O thread for the engine's commit of MemberAdded (bounded).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "http_reply.hpp"

namespace rembuk::server {

class Hub;

namespace invitation_routes {

// REQUIRES: `path` starts with "/api/invitations" or "/api/users".
http_reply::Response handle(Hub& hub, const http_reply::Request& req, std::string_view path,
                            const std::map<std::string, std::string>& query,
                            const RequestContext& context);

}  // namespace invitation_routes
}  // namespace rembuk::server
