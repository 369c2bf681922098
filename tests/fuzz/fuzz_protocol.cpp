// Fuzz target: the wire protocol's decoder (kernel/server/src/protocol.hpp) on arbitrary
// frames. decode() must never throw or crash; a decoded message must round-trip through the
// encoders the server answers with (error, ack, reject) without breaking their JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "protocol.hpp"

namespace protocol = rembuk::server::protocol;

namespace {

// Every encoded answer must be valid JSON: a client parses it.
void require_json(const std::string& text) {
  boost::system::error_code ec;
  boost::json::parse(text, ec);
  if (ec) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  protocol::DecodeLimits limits;
  auto decoded = protocol::decode(text, limits);
  if (!decoded) {
    const auto& e = decoded.error();
    require_json(protocol::encode_error(e.code, e.message, e.ref, e.path, e.id_json));
    return 0;
  }
  const auto& message = decoded.value();
  if (const auto* submit = std::get_if<protocol::Submit>(&message.body)) {
    require_json(protocol::encode_ack(submit->command_id, submit->masterplan, 1, false,
                                      message.id_json));
    require_json(protocol::encode_reject(submit->command_id, submit->masterplan, "schema",
                                         "fuzz", boost::json::array{}, message.id_json));
  } else if (const auto* presence = std::get_if<protocol::Presence>(&message.body)) {
    require_json(protocol::encode_presence(presence->masterplan, "u", "s",
                                           presence->focus_json, true));
  } else if (const auto* unsubscribe = std::get_if<protocol::Unsubscribe>(&message.body)) {
    require_json(protocol::encode_unsubscribed(unsubscribe->masterplan, message.id_json));
  } else {
    require_json(protocol::encode_pong(message.id_json));
  }
  return 0;
}
