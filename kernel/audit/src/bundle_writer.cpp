#include <boost/json.hpp>

#include "bundle_record.hpp"
#include "rembuk/audit/bundle.hpp"
#include "rembuk/audit/checkpoint.hpp"
#include "rembuk/audit/record_hash.hpp"
#include "rembuk/projections/time_format.hpp"

namespace rembuk::audit {
namespace {

namespace json = boost::json;

constexpr std::size_t read_page = 1024;

AuditResult<std::vector<store::RecordedEvent>> read_whole_stream(store::EventLog& log,
                                                                 std::string_view stream,
                                                                 store::Revision last) {
  std::vector<store::RecordedEvent> out;
  while (out.size() < last) {
    auto page = log.read_stream(stream, out.size() + 1,
                                std::min<std::size_t>(read_page, last - out.size()));
    if (!page) {
      return fail(Error{page.error().code == store::ErrorCode::corrupt ? ErrorCode::corrupt
                                                                        : ErrorCode::storage_error,
                        page.error().message});
    }
    if (page->empty()) {
      return fail(Error{ErrorCode::corrupt, std::string(stream) + " ends at revision " +
                                                std::to_string(out.size()) + ", expected " +
                                                std::to_string(last)});
    }
    for (auto& e : *page) out.push_back(std::move(e));
  }
  return out;
}

void add_line(std::string& out, const json::object& line) {
  out += json::serialize(line);
  out += '\n';
}

}  // namespace

AuditResult<std::string> make_bundle(store::EventLog& log, std::string_view masterplan,
                                     const SigningKey& key, std::int64_t now_us) {
  auto info = log.stream_info(masterplan);
  if (!info) return fail(Error{ErrorCode::storage_error, info.error().message});
  if (!info->has_value() || is_system_stream(masterplan)) {
    return fail(Error{ErrorCode::not_found, "no masterplan '" + std::string(masterplan) + "'"});
  }
  auto events = read_whole_stream(log, masterplan, (*info)->revision);
  if (!events) return fail(std::move(events).error());

  std::vector<store::RecordedEvent> checkpoints;
  if (auto stream = checkpoint_stream_of(masterplan)) {
    auto cp_info = log.stream_info(*stream);
    if (!cp_info) return fail(Error{ErrorCode::storage_error, cp_info.error().message});
    if (cp_info->has_value()) {
      auto read = read_whole_stream(log, *stream, (*cp_info)->revision);
      if (!read) return fail(std::move(read).error());
      checkpoints = std::move(*read);
    }
  }
  // A checkpoint committed after the events were read signs versions this bundle lacks;
  // checkpoints come in version order, so dropping the tail keeps a dense prefix.
  while (!checkpoints.empty()) {
    auto c = checkpoint_from_payload(checkpoints.back().payload, nullptr);
    if (!c || c->revision <= events->size()) break;
    checkpoints.pop_back();
  }

  std::string out;
  json::object header;
  header["kind"] = "rembuk-audit-bundle";
  header["format"] = bundle_format;
  header["masterplan"] = masterplan;
  header["createdAtUs"] = now_us;
  header["createdAt"] = projections::format_iso8601(now_us);
  header["algorithm"] = "Ed25519";
  header["publicKey"] = hex(key.public_key());
  header["keyId"] = key.key_id();
  header["events"] = events->size();
  header["checkpoints"] = checkpoints.size();
  add_line(out, header);
  for (const auto& e : *events) add_line(out, detail::record_to_json("event", e));
  for (const auto& c : checkpoints) add_line(out, detail::record_to_json("checkpoint", c));

  const auto digest = sha256(out);
  const std::string digest_bytes(reinterpret_cast<const char*>(digest.data()), digest.size());
  std::string message = "rembuk-audit-bundle-seal/1";
  message.push_back('\0');
  message += digest_bytes;
  json::object seal;
  seal["kind"] = "seal";
  seal["sha256"] = hex(digest_bytes);
  seal["signature"] = hex(key.sign(message));
  add_line(out, seal);

  // The log may hold damage that only a full check shows (a record whose hash no longer
  // matches, a checkpoint that does not sign what the log says): never hand that out.
  auto report = verify_bundle(out);
  if (!report.ok) {
    return fail(Error{ErrorCode::corrupt, "the log of '" + std::string(masterplan) +
                                              "' does not verify: " + report.failure});
  }
  return out;
}

}  // namespace rembuk::audit
