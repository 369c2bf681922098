// access: who a token is and which masterplans it may see (docs/security.md, "Who sees which
// masterplan").
//
//   service token (`rembuk token issue`)  its own roles, OPD and `masterplans` claim
//   person (access token with "sid")      the account must be enabled and the session alive;
//                                         global role admin or kementerian: every
//                                         masterplan; otherwise exactly the masterplans
//                                         whose member list names the user — membership,
//                                         read now, not copied into the token
//
// Thread safety: every function may be called from any thread (the Hub's parts are).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rembuk/common/result.hpp"
#include "rembuk/server/token.hpp"

namespace rembuk::server {

class Hub;

// Verifies a bearer or hello token; a person's token also against the account store.
Result<Claims, TokenFailure> authenticate(Hub& hub, std::string_view token);

// True when a person's account and session are still active (service tokens: true).
bool still_signed_in(Hub& hub, const Claims& claims);

// True for a person whose global roles let them read every masterplan.
bool reads_every_masterplan(const Claims& claims);

// True when `claims` may read (subscribe, HTTP reads) and submit to `masterplan`; what a
// submit may change is then the engine's rule 8, with the member's role.
bool may_access(Hub& hub, const Claims& claims, std::string_view masterplan);

// The masterplans (not system streams) `claims` may access, for welcome and the list.
std::vector<std::string> accessible_masterplans(Hub& hub, const Claims& claims);

}  // namespace rembuk::server
