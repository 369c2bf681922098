// `rembuk token issue --data DIR --user U --role R [--role R2] [--opd O] [--masterplan ID]
// [--ttl 8h]`: prints one HS256 token signed with the secret in DIR/secret (created if
// absent), and nothing else, so `TOKEN=$(rembuk token issue …)` works.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "rembuk/server/token.hpp"

namespace rembuk::cli {

namespace {

struct TokenArgs {
  std::string data = "./rembuk-data";
  std::string user;
  std::vector<std::string> roles;
  std::string opd;
  std::vector<std::string> masterplans;
  std::string ttl = "8h";
};

[[noreturn]] void refuse(const std::string& why) {
  std::fprintf(stderr, "rembuk token issue: %s\n", why.c_str());
  throw CLI::RuntimeError(2);
}

}  // namespace

void add_token_command(CLI::App& app) {
  auto* token = app.add_subcommand("token", "Make access tokens (JWT HS256)");
  token->require_subcommand(1);
  auto* issue = token->add_subcommand("issue", "Print a token for a user");
  auto args = std::make_shared<TokenArgs>();
  issue->add_option("--data", args->data, "Data folder holding the secret")->capture_default_str();
  issue->add_option("--user", args->user, "User id (the token's sub)")->required();
  issue->add_option("--role", args->roles,
                    "Role: viewer, opd_editor, tim_pelaksana, dewan, reviewer, admin (repeatable)")
      ->required();
  issue->add_option("--opd", args->opd, "The OPD an opd_editor acts for");
  issue->add_option("--masterplan", args->masterplans,
                    "Limit the token to this masterplan (repeatable; default: all)");
  issue->add_option("--ttl", args->ttl, "Lifetime, e.g. 8h, 30m, 2d")->capture_default_str();
  issue->callback([args] {
    for (const auto& role : args->roles) {
      const auto& known = server::known_roles();
      if (std::find(known.begin(), known.end(), role) == known.end()) {
        refuse("unknown role '" + role +
               "' (viewer, opd_editor, tim_pelaksana, dewan, reviewer, admin)");
      }
    }
    const bool opd_editor =
        std::find(args->roles.begin(), args->roles.end(), "opd_editor") != args->roles.end();
    if (opd_editor && args->opd.empty()) refuse("role opd_editor needs --opd");
    const auto ttl = server::parse_duration(args->ttl);
    if (!ttl) refuse("--ttl '" + args->ttl + "' is not a duration like 8h, 30m, 2d");
    auto secret = server::load_or_create_secret(args->data);
    if (!secret) refuse(secret.error());
    server::Claims claims;
    claims.user = args->user;
    claims.roles = args->roles;
    claims.opd = args->opd;
    claims.masterplans = args->masterplans;
    claims.issued_at = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    claims.expires_at = claims.issued_at + ttl->count();
    std::printf("%s\n", server::issue_token(claims, *secret).c_str());
  });
}

}  // namespace rembuk::cli
