// External servers for the WebSocket scenarios: `--targets 127.0.0.1:P1,127.0.0.1:P2 --secret
// FILE` points ws-edits at rembuk nodes already running (e.g. several nodes on one PostgreSQL,
// tests/postgres/scale_bench.sh) instead of forking one. Clients are spread round-robin over
// the targets; tokens are minted with the nodes' shared secret (their DATA/secret file).
#pragma once

#include <charconv>
#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "rembuk/common/result.hpp"
#include "rembuk/server/token.hpp"

namespace rembuk::bench {

struct ExternalTargets {
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;  // at least one
  std::string secret;  // the nodes' shared token secret (DATA/secret)

  // A token for `user` with `roles`, valid for an hour on every target.
  std::string token(const std::string& user, const std::vector<std::string>& roles) const {
    server::Claims c;
    c.user = user;
    c.roles = roles;
    c.issued_at = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    c.expires_at = c.issued_at + 3600;
    return server::issue_token(c, secret);
  }
};

// Parses "HOST:PORT,HOST:PORT" (HOST a numeric address) and reads the secret file. The
// failure says what is wrong: an empty list, a malformed item, an unreadable or short secret.
inline Result<ExternalTargets, std::string> parse_targets(const std::string& list,
                                                          const std::string& secret_file) {
  ExternalTargets t;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    const auto colon = item.rfind(':');
    if (colon == std::string::npos) return fail("target '" + item + "' is not HOST:PORT");
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(item.substr(0, colon), ec);
    unsigned port = 0;
    const char* first = item.data() + colon + 1;
    const char* last = item.data() + item.size();
    const auto parsed = std::from_chars(first, last, port);
    if (ec || parsed.ec != std::errc() || parsed.ptr != last || port == 0 || port > 65535) {
      return fail("target '" + item + "' is not a numeric HOST:PORT");
    }
    t.endpoints.emplace_back(address, static_cast<unsigned short>(port));
  }
  if (t.endpoints.empty()) return fail(std::string("--targets names no server"));
  std::ifstream file(secret_file, std::ios::binary);
  if (!file) return fail("cannot read the secret file '" + secret_file + "'");
  t.secret.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  if (t.secret.size() < 16) return fail("'" + secret_file + "' is not a token secret");
  return t;
}

}  // namespace rembuk::bench
