// `rembuk user invite|list|disable|enable|reset [--data DIR] [--store postgres://…] …`: the
// accounts beside a log (DIR/accounts, or the PostgreSQL database of `--store`, as `rembuk
// serve` takes them; docs/security.md "Accounts"), also while servers run on them — a
// disabled account's connections are closed by every server within a second.
//
//   invite  --role R [--opd O] [--masterplan ID] [--expires 7d] [--base-url URL]
//           prints the one-time link (its `#invite=` value is the code) and nothing else
//   reset   --user U [--expires 1d] [--base-url URL]: a one-time link for a new password
//   disable|enable --user U
//   list    [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "commands.hpp"
#include "rembuk/accounts/open_account_store.hpp"
#include "rembuk/accounts/secret_code.hpp"
#include "rembuk/server/token.hpp"

namespace rembuk::cli {

namespace {

constexpr const char* kMemberRoles[] = {"viewer", "opd_editor", "tim_pelaksana", "dewan",
                                        "reviewer"};
constexpr const char* kGlobalRoles[] = {"admin", "kementerian"};

struct UserArgs {
  std::string data = "./rembuk-data";
  std::string store;  // empty: LMDB in DATA/accounts; postgres://…: that database
  std::string role;
  std::string opd;
  std::string masterplan;
  std::string expires;
  std::string base_url = "http://127.0.0.1:8080/";
  std::string user;
  bool json = false;
};

[[noreturn]] void refuse(const std::string& command, const std::string& why) {
  std::fprintf(stderr, "rembuk user %s: %s\n", command.c_str(), why.c_str());
  throw CLI::RuntimeError(2);
}

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso_time(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

std::unique_ptr<accounts::AccountStore> open_store(const std::string& command,
                                                   const UserArgs& a) {
  auto store = accounts::open_account_store(a.store, a.data);
  if (!store) refuse(command, store.error().message);
  return std::move(store).value();
}

std::string link(std::string base, const std::string& code) {
  if (base.empty() || base.back() != '/') base += '/';
  return base + "#invite=" + code;
}

void make_invitation(const std::string& command, const UserArgs& a, accounts::Invitation invitation,
                     const std::string& default_expiry) {
  const auto ttl = server::parse_duration(a.expires.empty() ? default_expiry : a.expires);
  if (!ttl || ttl->count() < 60) refuse(command, "--expires takes a duration like 7d, 12h, 30m");
  auto store = open_store(command, a);
  const std::string code = accounts::random_code(24);
  invitation.id = accounts::random_code(9);
  invitation.code_hash = accounts::code_hash(code);
  invitation.invited_by = "cli";
  invitation.created_at = now_s();
  invitation.expires_at = invitation.created_at + ttl->count();
  if (auto made = store->create_invitation(invitation); !made) {
    refuse(command, made.error().message);
  }
  std::printf("%s\n", link(a.base_url, code).c_str());
}

void invite(const UserArgs& a) {
  const bool member = std::find(std::begin(kMemberRoles), std::end(kMemberRoles), a.role) !=
                      std::end(kMemberRoles);
  const bool global = std::find(std::begin(kGlobalRoles), std::end(kGlobalRoles), a.role) !=
                      std::end(kGlobalRoles);
  if (!member && !global) {
    refuse("invite", "unknown role '" + a.role +
                         "' (viewer, opd_editor, tim_pelaksana, dewan, reviewer, admin, "
                         "kementerian)");
  }
  if (member && a.masterplan.empty()) refuse("invite", "role " + a.role + " needs --masterplan");
  if (a.role == "opd_editor" && a.opd.empty()) refuse("invite", "role opd_editor needs --opd");
  if (a.role != "opd_editor" && !a.opd.empty()) refuse("invite", "--opd is only for opd_editor");
  if (!a.opd.empty() && !accounts::valid_user_id(a.opd)) refuse("invite", "--opd is not an OPD id");
  accounts::Invitation invitation;
  invitation.role = a.role;
  invitation.opd = a.opd;
  invitation.masterplan = global ? std::string() : a.masterplan;
  make_invitation("invite", a, std::move(invitation), "7d");
}

void reset(const UserArgs& a) {
  auto store = open_store("reset", a);
  auto found = store->find_account(a.user);
  if (!found) refuse("reset", found.error().message);
  if (!*found) refuse("reset", "no account '" + a.user + "'");
  store.reset();  // make_invitation opens it again; one environment per process at a time
  accounts::Invitation invitation;
  invitation.kind = "reset";
  invitation.user = a.user;
  invitation.role = "reset";
  make_invitation("reset", a, std::move(invitation), "1d");
}

void set_disabled(const UserArgs& a, bool disabled) {
  const char* command = disabled ? "disable" : "enable";
  auto store = open_store(command, a);
  auto changed = store->set_disabled(a.user, disabled, now_s());
  if (!changed) refuse(command, changed.error().message);
  std::fprintf(stderr, "rembuk user %s: '%s' %s\n", command, a.user.c_str(),
               disabled ? "disabled; its sessions ended" : "enabled");
}

void list(const UserArgs& a) {
  auto store = open_store("list", a);
  auto listed = store->list_accounts();
  if (!listed) refuse("list", listed.error().message);
  if (a.json) {
    boost::json::array out;
    for (const auto& acc : *listed) {
      boost::json::array roles;
      for (const auto& r : acc.roles) roles.emplace_back(r);
      boost::json::object o{{"user", acc.user},
                            {"displayName", acc.display_name},
                            {"roles", std::move(roles)},
                            {"createdAt", iso_time(acc.created_at)},
                            {"disabled", acc.disabled()}};
      if (!acc.email.empty()) o["email"] = acc.email;
      out.push_back(std::move(o));
    }
    std::printf("%s\n", boost::json::serialize(boost::json::object{{"users", out}}).c_str());
    return;
  }
  std::printf("%-24s %-32s %-14s %-20s %s\n", "USER", "DISPLAY NAME", "ROLES", "CREATED",
              "STATUS");
  for (const auto& acc : *listed) {
    std::string roles;
    for (const auto& r : acc.roles) roles += (roles.empty() ? "" : ",") + r;
    std::printf("%-24s %-32s %-14s %-20s %s\n", acc.user.c_str(), acc.display_name.c_str(),
                roles.empty() ? "-" : roles.c_str(), iso_time(acc.created_at).c_str(),
                acc.disabled() ? "disabled" : "active");
  }
}

}  // namespace

void add_user_command(CLI::App& app) {
  auto* user = app.add_subcommand("user", "People's accounts: invitations, list, disable");
  user->require_subcommand(1);
  auto args = std::make_shared<UserArgs>();
  auto where = [&](CLI::App* c) {
    c->add_option("--data", args->data, "Data folder (accounts in DIR/accounts)")
        ->capture_default_str();
    c->add_option("--store", args->store,
                  "postgres://… : the accounts in that database, as `rembuk serve --store`");
  };

  auto* invite_cmd = user->add_subcommand("invite", "Print a one-time invitation link");
  where(invite_cmd);
  invite_cmd->add_option("--role", args->role,
                         "viewer, opd_editor, tim_pelaksana, dewan, reviewer, admin, kementerian")
      ->required();
  invite_cmd->add_option("--opd", args->opd, "The OPD of an opd_editor");
  invite_cmd->add_option("--masterplan", args->masterplan,
                         "The masterplan to join (not for admin and kementerian)");
  invite_cmd->add_option("--expires", args->expires, "Lifetime of the link (default 7d)");
  invite_cmd->add_option("--base-url", args->base_url, "The editor's address")
      ->capture_default_str();
  invite_cmd->callback([args] { invite(*args); });

  auto* reset_cmd = user->add_subcommand("reset", "Print a one-time link for a new password");
  where(reset_cmd);
  reset_cmd->add_option("--user", args->user, "User id")->required();
  reset_cmd->add_option("--expires", args->expires, "Lifetime of the link (default 1d)");
  reset_cmd->add_option("--base-url", args->base_url, "The editor's address")
      ->capture_default_str();
  reset_cmd->callback([args] { reset(*args); });

  auto* disable_cmd = user->add_subcommand("disable", "Disable an account and end its sessions");
  where(disable_cmd);
  disable_cmd->add_option("--user", args->user, "User id")->required();
  disable_cmd->callback([args] { set_disabled(*args, true); });

  auto* enable_cmd = user->add_subcommand("enable", "Enable a disabled account again");
  where(enable_cmd);
  enable_cmd->add_option("--user", args->user, "User id")->required();
  enable_cmd->callback([args] { set_disabled(*args, false); });

  auto* list_cmd = user->add_subcommand("list", "List the accounts");
  where(list_cmd);
  list_cmd->add_flag("--json", args->json, "One JSON object");
  list_cmd->callback([args] { list(*args); });
}

}  // namespace rembuk::cli
