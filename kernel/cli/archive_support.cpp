#include "archive_support.hpp"

#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "rembuk/audit/checkpoint.hpp"
#include "rembuk/audit/signing_key.hpp"
#include "rembuk/common/private_file.hpp"
#include "rembuk/store/postgres_event_log.hpp"

namespace rembuk::cli {
namespace {

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string iso_time(std::int64_t us) {
  const std::time_t seconds = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace

store::ArchiveStore archive_store(const std::string& data, const std::string& store) {
  store::ArchiveStore where;
  if (store::is_postgres_url(store)) {
    store::PostgresOptions options;
    options.conninfo = store;
    where.postgres = options;
  } else {
    where.lmdb_path = data;
  }
  return where;
}

Result<store::ArchiveKeys, std::string> read_archive_keys(const std::string& data,
                                                          bool with_secrets) {
  store::ArchiveKeys keys;
  keys.with_secrets = with_secrets;
  if (data.empty()) {
    if (with_secrets) return fail(std::string("--with-secrets needs --data DIR, where they are"));
    return keys;
  }
  const auto dir = std::filesystem::path(data);
  std::error_code ec;
  if (std::filesystem::exists(dir / audit::key_file_name, ec)) {
    auto key = audit::SigningKey::load(data);
    if (!key) return fail(key.error().message);
    keys.audit_public_key = key->public_key();
  }
  if (with_secrets) {
    // A file not made yet (no token issued, no checkpoint signed) travels as empty.
    for (const auto& [name, into] : {std::pair{"secret", &keys.token_secret},
                                     std::pair{audit::key_file_name.data(), &keys.audit_key_pem}}) {
      if (!std::filesystem::exists(dir / name, ec)) continue;
      auto bytes = read_file(dir / name);
      if (!bytes) return fail("--with-secrets: cannot read " + (dir / name).string());
      *into = std::move(*bytes);
    }
  }
  return keys;
}

store::CheckpointCheck checkpoint_check() {
  return [](const store::RecordedEvent& event, std::string_view public_key,
            const store::HashAt& hash_at) -> std::optional<std::string> {
    std::string why;
    auto c = audit::checkpoint_from_payload(event.payload, &why);
    if (!c) return "its payload does not parse: " + why;
    if (event.stream != std::string(audit::checkpoint_stream_prefix) + c->masterplan) {
      return "it names masterplan '" + c->masterplan + "' but sits in stream '" + event.stream + "'";
    }
    if (c->position >= event.position) return std::string("it names a position not before it");
    if (hash_at(c->position) != c->head_hash) {
      return "the head hash it signs is not the hash of position " + std::to_string(c->position) +
             " in the archive (the history was rewritten)";
    }
    if (public_key.empty()) return std::nullopt;  // counted, not checked: no key in the archive
    if (c->key_id != audit::key_id_of(public_key)) {
      return "it was signed with key " + c->key_id + ", not the archive's " +
             audit::key_id_of(public_key);
    }
    if (!audit::verify_signature(public_key, c->signed_message(), c->signature)) {
      return std::string("the Ed25519 signature is wrong");
    }
    return std::nullopt;
  };
}

std::string manifest_text(const store::ArchiveManifest& m, const store::ArchiveKeys& keys) {
  std::string out;
  const auto line = [&](const char* key, const std::string& value) {
    out += key;
    out += ": ";
    out += value;
    out += '\n';
  };
  line("format", std::to_string(m.format));
  line("rembuk version", m.rembuk_version);
  line("taken at", iso_time(m.created_at_us));
  line("source", m.source);
  line("head position", std::to_string(m.head.position));
  line("head hash", store::to_hex(m.head.hash));
  line("events", std::to_string(m.events));
  line("masterplans", std::to_string(m.masterplans));
  line("streams", std::to_string(m.streams));
  line("command ids", std::to_string(m.commands));
  line("signed checkpoints", std::to_string(m.checkpoints) +
                                 (keys.audit_public_key.empty() && m.checkpoints > 0
                                      ? " (signatures not checked: no audit public key inside)"
                                      : ""));
  line("audit key id", keys.audit_public_key.empty() ? std::string("none")
                                                     : audit::key_id_of(keys.audit_public_key));
  line("secrets", m.with_secrets ? "included (token secret, audit signing key)" : "not included");
  return out;
}

std::string write_restored_secrets(const std::string& data, const store::ArchiveKeys& keys) {
  if (!keys.with_secrets || data.empty()) return {};
  std::string warnings;
  const auto dir = std::filesystem::path(data);
  for (const auto& [name, bytes] :
       {std::pair{std::string("secret"), keys.token_secret},
        std::pair{std::string(audit::key_file_name), keys.audit_key_pem}}) {
    if (bytes.empty()) continue;  // it was not made yet when the archive was taken
    auto made = create_private_file(dir / name, bytes);
    if (!made) {
      warnings += made.error() + "\n";
    } else if (*made == PrivateFile::already_there && read_file(dir / name) != bytes) {
      warnings += (dir / name).string() + " already exists and differs from the archive's; " +
                  "kept the existing one\n";
    }
  }
  return warnings;
}

ProgressLine::ProgressLine(std::string label)
    : label_(std::move(label)),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

ProgressLine::~ProgressLine() { done(); }

store::ArchiveProgressFn ProgressLine::callback() {
  if (!enabled_) return {};
  return [this](const store::ArchiveProgress& p) { show(p, false); };
}

void ProgressLine::show(const store::ArchiveProgress& p, bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(200)) {
    unshown_ = p;
    return;
  }
  unshown_.reset();
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(p.events_done) / seconds : 0;
  const double left = rate > 0 && p.events_total > p.events_done
                          ? static_cast<double>(p.events_total - p.events_done) / rate
                          : 0;
  std::fprintf(stderr, "\r%s: %" PRIu64 "/%" PRIu64 " events, %.1f MB, %.0f events/s, %.0f s left  ",
               label_.c_str(), p.events_done, p.events_total,
               static_cast<double>(p.bytes_done) / 1e6, rate, left);
  shown_ = true;
}

void ProgressLine::done() {
  if (unshown_) show(*unshown_, true);
  if (shown_) std::fputc('\n', stderr);
  shown_ = false;
}

}  // namespace rembuk::cli
