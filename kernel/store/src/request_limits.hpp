// The limits of event_log.hpp, checked before an append is queued.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

// nullopt when the request is within every limit; otherwise why not, in one sentence.
std::optional<std::string> check_append_request(const AppendRequest& request);
std::optional<std::string> check_stream_name(std::string_view stream);

}  // namespace rembuk::store
