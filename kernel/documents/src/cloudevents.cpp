#include "cloudevents.hpp"

#include <boost/json.hpp>

#include "rembuk/projections/time_format.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::documents::detail {
namespace {

namespace json = boost::json;

// RFC 3986 unreserved characters stay; everything else is %XX, so any stream name makes a
// valid URI-reference.
std::string percent_encode(std::string_view in) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : in) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' || byte == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(digits[byte >> 4]);
      out.push_back(digits[byte & 0x0f]);
    }
  }
  return out;
}

std::string hash_hex(const store::Hash& h) {
  return store::to_hex(h);
}

}  // namespace

DocumentResult<std::string> cloudevents_lines(std::span<const store::RecordedEvent> events) {
  std::string out;
  for (const auto& e : events) {
    boost::system::error_code ec;
    json::value data = json::parse(e.payload, ec);
    if (ec || !data.is_object()) {
      return fail(Error{ErrorCode::corrupt, "the payload at position " +
                                                std::to_string(e.position) +
                                                " is not a JSON object"});
    }
    json::object ce;
    ce["specversion"] = "1.0";
    ce["id"] = e.stream + "/" + std::to_string(e.revision);
    ce["source"] = "/masterplans/" + percent_encode(e.stream);
    ce["type"] = "rembuk.masterplan." + e.type;
    ce["time"] = projections::format_iso8601(e.time_us);
    ce["subject"] = projections::entity_of(e.type, data.as_object());
    ce["datacontenttype"] = "application/json";
    ce["data"] = std::move(data);
    ce["rembukposition"] = std::to_string(e.position);
    ce["rembukrevision"] = std::to_string(e.revision);
    ce["rembukhash"] = hash_hex(e.hash);
    ce["rembukprevhash"] = hash_hex(e.prev_hash);
    ce["rembukactor"] = e.actor;
    ce["rembukcommandid"] = e.command_id;
    ce["rembukschemaversion"] = std::to_string(e.schema_version);
    out += json::serialize(ce);
    out += '\n';
  }
  return out;
}

}  // namespace rembuk::documents::detail
