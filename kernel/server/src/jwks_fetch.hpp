// fetch_jwks: GET an identity provider's key set (http:// or https://, the certificate
// checked against the system's trust store and the host name), for accounts::OidcVerifier.
// Bounded: 5 s, 256 KiB, 200 only.
//
// Thread safety: each call uses its own io_context; may be called from any thread.
#pragma once

#include <string>

#include "rembuk/common/result.hpp"

namespace rembuk::server {

Result<std::string, std::string> fetch_jwks(const std::string& url);

}  // namespace rembuk::server
