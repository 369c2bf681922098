// verify_bundle: the checks of docs/audit.md, "What verify checks", in file order, so the
// first problem reported is the first line that does not verify.
#include <map>

#include <boost/json.hpp>

#include "bundle_record.hpp"
#include "rembuk/audit/bundle.hpp"
#include "rembuk/audit/checkpoint.hpp"
#include "rembuk/audit/record_hash.hpp"

namespace rembuk::audit {
namespace {

namespace json = boost::json;

std::string_view bytes_of(const store::Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

class Verifier {
 public:
  explicit Verifier(std::string_view bytes) : bytes_(bytes) {}

  BundleReport run() {
    if (bytes_.empty()) return failed(0, "the bundle is empty");
    if (bytes_.back() != '\n') return failed(0, "the bundle does not end with a newline");
    split_lines();
    if (!check_header()) return std::move(report_);
    for (std::uint64_t i = 1; i <= events_expected_; ++i) {
      if (!check_event(i)) return std::move(report_);
    }
    for (std::uint64_t j = 1; j <= checkpoints_expected_; ++j) {
      if (!check_checkpoint(j)) return std::move(report_);
    }
    if (!check_seal()) return std::move(report_);
    report_.ok = true;
    return std::move(report_);
  }

 private:
  // Records the first problem in report_. It must not move report_ out: run() returns it.
  void note_failure(std::size_t line, std::string why) {
    report_.ok = false;
    report_.line = line;
    report_.failure = line == 0 ? std::move(why) : "line " + std::to_string(line) + ": " + why;
  }
  BundleReport failed(std::size_t line, std::string why) {
    note_failure(line, std::move(why));
    return std::move(report_);
  }
  bool fail_at(std::size_t line, std::string why) {
    note_failure(line, std::move(why));
    return false;
  }

  void split_lines() {
    std::size_t start = 0;
    while (start < bytes_.size()) {
      const auto end = bytes_.find('\n', start);
      lines_.push_back(bytes_.substr(start, end - start));
      offsets_.push_back(start);
      start = end + 1;
    }
  }

  // Parses line `n` (from 1) as a JSON object of the given kind.
  std::optional<json::object> object_at(std::size_t n, std::string_view kind) {
    if (n > lines_.size()) {
      fail_at(0, "the bundle ends after line " + std::to_string(lines_.size()) +
                     "; the header announces more lines");
      return std::nullopt;
    }
    boost::system::error_code ec;
    json::value value = json::parse(lines_[n - 1], ec);
    if (ec || !value.is_object()) {
      fail_at(n, "not a JSON object (" + (ec ? ec.message() : std::string("another value")) +
                     ")");
      return std::nullopt;
    }
    const auto* k = value.as_object().if_contains("kind");
    if (k == nullptr || !k->is_string() || k->as_string() != kind) {
      fail_at(n, "expected a line of kind '" + std::string(kind) + "'");
      return std::nullopt;
    }
    return std::move(value.as_object());
  }

  bool check_header() {
    auto header = object_at(1, "rembuk-audit-bundle");
    if (!header) return false;
    const auto* format = header->if_contains("format");
    if (format == nullptr || !format->is_int64()) return fail_at(1, "header field 'format' is missing");
    report_.summary.format = static_cast<int>(format->as_int64());
    if (format->as_int64() != bundle_format) {
      return fail_at(1, "bundle format " + std::to_string(format->as_int64()) +
                            " is not one this rembuk reads (format " +
                            std::to_string(bundle_format) + ")");
    }
    auto str = [&](std::string_view key) -> const json::string* {
      const auto* v = header->if_contains(key);
      return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
    };
    auto count = [&](std::string_view key) -> std::optional<std::uint64_t> {
      const auto* v = header->if_contains(key);
      if (v == nullptr || !v->is_int64() || v->as_int64() < 0) return std::nullopt;
      return static_cast<std::uint64_t>(v->as_int64());
    };
    const auto* masterplan = str("masterplan");
    const auto* algorithm = str("algorithm");
    const auto* public_key = str("publicKey");
    const auto* key_id = str("keyId");
    const auto* created = header->if_contains("createdAtUs");
    const auto events = count("events");
    const auto checkpoints = count("checkpoints");
    if (masterplan == nullptr || masterplan->empty()) return fail_at(1, "header field 'masterplan' is missing");
    if (created == nullptr || !created->is_int64()) return fail_at(1, "header field 'createdAtUs' is missing");
    if (algorithm == nullptr || *algorithm != "Ed25519") return fail_at(1, "header field 'algorithm' is not Ed25519");
    auto key = public_key ? parse_hex(*public_key) : std::nullopt;
    if (!key || key->size() != 32) return fail_at(1, "header field 'publicKey' is not 64 lower-case hex digits");
    if (key_id == nullptr || *key_id != key_id_of(*key)) {
      return fail_at(1, "header field 'keyId' does not match 'publicKey'");
    }
    if (!events || *events == 0) return fail_at(1, "header field 'events' is missing or 0");
    if (!checkpoints) return fail_at(1, "header field 'checkpoints' is missing");
    masterplan_ = std::string(*masterplan);
    public_key_ = std::move(*key);
    events_expected_ = *events;
    checkpoints_expected_ = *checkpoints;
    report_.summary.masterplan = masterplan_;
    report_.summary.key_id = std::string(*key_id);
    report_.summary.created_at_us = created->as_int64();
    if (lines_.size() != 2 + events_expected_ + checkpoints_expected_) {
      return fail_at(1, "the header announces " + std::to_string(events_expected_) +
                            " events and " + std::to_string(checkpoints_expected_) +
                            " checkpoints (" +
                            std::to_string(2 + events_expected_ + checkpoints_expected_) +
                            " lines) but the bundle has " + std::to_string(lines_.size()) +
                            " lines");
    }
    return true;
  }

  // The record of line `n`, its own hash checked.
  std::optional<store::RecordedEvent> record_at(std::size_t n, std::string_view kind,
                                                const std::string& what) {
    auto line = object_at(n, kind);
    if (!line) return std::nullopt;
    std::string why;
    auto record = detail::record_from_json(*line, &why);
    if (!record) {
      fail_at(n, what + ": " + why);
      return std::nullopt;
    }
    if (record_hash(*record) != record->hash) {
      fail_at(n, what + " (position " + std::to_string(record->position) +
                     "): the hash does not match the record's contents");
      return std::nullopt;
    }
    return record;
  }

  bool check_event(std::uint64_t revision) {
    const std::size_t n = 1 + revision;
    const std::string what = "event " + std::to_string(revision);
    auto e = record_at(n, "event", what);
    if (!e) return false;
    if (e->stream != masterplan_) {
      return fail_at(n, what + ": belongs to stream '" + e->stream + "', not to '" +
                            masterplan_ + "'");
    }
    if (e->revision != revision) {
      return fail_at(n, what + ": says version " + std::to_string(e->revision) +
                            " (versions must run 1, 2, 3, … without gaps)");
    }
    if (!events_.empty()) {
      const auto& previous = events_.back();
      if (e->position <= previous.position) {
        return fail_at(n, what + ": position " + std::to_string(e->position) +
                              " does not follow position " + std::to_string(previous.position));
      }
      // Adjacent in the global log: the chain link is checkable here.
      if (e->position == previous.position + 1 && e->prev_hash != previous.hash) {
        return fail_at(n, what + ": prevHash is not the hash of position " +
                              std::to_string(previous.position) + " (broken chain link)");
      }
    } else if (e->position == 1 && e->prev_hash != store::Hash{}) {
      return fail_at(n, what + ": the first event of the log must have a zero prevHash");
    }
    digests_.push_back(next_stream_digest(digests_.empty() ? store::Hash{} : digests_.back(),
                                          e->hash));
    auto& s = report_.summary;
    s.versions = revision;
    if (revision == 1) s.first_time_us = e->time_us;
    s.last_time_us = e->time_us;
    ++s.events_by_actor[e->actor];
    if (is_status_change(e->type)) {
      s.status_changes.push_back({e->type, revision, e->time_us, e->actor});
    }
    records_at_[e->position] = {e->hash, e->prev_hash};
    events_.push_back(std::move(*e));
    return true;
  }

  bool check_checkpoint(std::uint64_t revision) {
    const std::size_t n = 1 + events_expected_ + revision;
    const std::string what = "checkpoint " + std::to_string(revision);
    auto r = record_at(n, "checkpoint", what);
    if (!r) return false;
    if (r->stream != std::string(checkpoint_stream_prefix) + masterplan_) {
      return fail_at(n, what + ": belongs to stream '" + r->stream + "'");
    }
    if (r->revision != revision) {
      return fail_at(n, what + ": says revision " + std::to_string(r->revision) +
                            " of its stream (checkpoints must run 1, 2, 3, …)");
    }
    if (r->type != checkpoint_event_type) return fail_at(n, what + ": type is not CheckpointSigned");
    std::string why;
    auto c = checkpoint_from_payload(r->payload, &why);
    if (!c) return fail_at(n, what + ": " + why);
    if (c->masterplan != masterplan_) return fail_at(n, what + ": signs another masterplan");
    if (c->key_id != report_.summary.key_id) {
      return fail_at(n, what + ": signed by key " + c->key_id + ", not the bundle's key " +
                            report_.summary.key_id);
    }
    if (!verify_signature(public_key_, c->signed_message(), c->signature)) {
      return fail_at(n, what + ": the Ed25519 signature does not verify");
    }
    if (c->revision == 0 || c->revision > events_.size()) {
      return fail_at(n, what + ": signs version " + std::to_string(c->revision) +
                            " but the bundle holds versions 1.." + std::to_string(events_.size()));
    }
    if (c->revision < last_signed_) {
      return fail_at(n, what + ": signs version " + std::to_string(c->revision) +
                            ", older than the checkpoint before it");
    }
    const auto& signed_event = events_[c->revision - 1];
    if (c->stream_digest != digests_[c->revision - 1]) {
      return fail_at(n, what + ": the events of versions 1.." + std::to_string(c->revision) +
                            " are not the ones it signed (stream digest differs)");
    }
    if (c->position != signed_event.position || c->head_hash != signed_event.hash) {
      return fail_at(n, what + ": signs position " + std::to_string(c->position) +
                            " / hash " + hex(bytes_of(c->head_hash)) + ", but version " +
                            std::to_string(c->revision) + " is at position " +
                            std::to_string(signed_event.position));
    }
    if (r->position <= c->position) {
      return fail_at(n, what + ": is stored before the event it signs");
    }
    // The global chain through this record, where the bundle holds a neighbour: checkpoints
    // are written between the masterplan's events, so most have one on each side.
    if (!check_links(n, what, *r)) return false;
    last_signed_ = c->revision;
    report_.summary.checkpoints = revision;
    report_.summary.last_signed_version = c->revision;
    return true;
  }

  bool check_links(std::size_t n, const std::string& what, const store::RecordedEvent& r) {
    if (records_at_.contains(r.position)) {
      return fail_at(n, what + ": position " + std::to_string(r.position) +
                            " is already held by another record of the bundle");
    }
    if (const auto before = records_at_.find(r.position - 1); before != records_at_.end()) {
      if (r.prev_hash != before->second.hash) {
        return fail_at(n, what + ": prevHash is not the hash of position " +
                              std::to_string(r.position - 1) + " (broken chain link)");
      }
    }
    if (const auto after = records_at_.find(r.position + 1); after != records_at_.end()) {
      if (after->second.prev_hash != r.hash) {
        return fail_at(n, what + ": the record at position " + std::to_string(r.position + 1) +
                              " does not link to it (broken chain link)");
      }
    }
    records_at_[r.position] = {r.hash, r.prev_hash};
    return true;
  }

  bool check_seal() {
    const std::size_t n = lines_.size();
    auto seal = object_at(n, "seal");
    if (!seal) return false;
    const auto* sha = seal->if_contains("sha256");
    const auto* signature = seal->if_contains("signature");
    auto digest_hex = sha != nullptr && sha->is_string() ? parse_hash_hex(sha->as_string())
                                                         : std::nullopt;
    auto sig = signature != nullptr && signature->is_string()
                   ? parse_hex(signature->as_string())
                   : std::nullopt;
    if (!digest_hex) return fail_at(n, "seal field 'sha256' is not 64 lower-case hex digits");
    if (!sig || sig->size() != 64) return fail_at(n, "seal field 'signature' is not 128 lower-case hex digits");
    const auto actual = sha256(bytes_.substr(0, offsets_[n - 1]));
    if (actual != *digest_hex) {
      return fail_at(n, "the seal's sha256 does not match the bytes before it (the bundle was "
                        "changed after it was sealed)");
    }
    std::string message = "rembuk-audit-bundle-seal/1";
    message.push_back('\0');
    message.append(bytes_of(actual));
    if (!verify_signature(public_key_, message, *sig)) {
      return fail_at(n, "the seal's Ed25519 signature does not verify");
    }
    return true;
  }

  std::string_view bytes_;
  std::vector<std::string_view> lines_;
  std::vector<std::size_t> offsets_;
  BundleReport report_;
  std::string masterplan_;
  std::string public_key_;
  std::uint64_t events_expected_ = 0;
  std::uint64_t checkpoints_expected_ = 0;
  std::vector<store::RecordedEvent> events_;
  struct Link {
    store::Hash hash{};
    store::Hash prev_hash{};
  };
  std::map<store::Position, Link> records_at_;  // every record read so far, by position
  std::vector<store::Hash> digests_;
  std::uint64_t last_signed_ = 0;
};

}  // namespace

BundleReport verify_bundle(std::string_view bytes) { return Verifier(bytes).run(); }

}  // namespace rembuk::audit
