// The parts of event_log.hpp that do not depend on an implementation.
#include <future>

#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

std::string to_hex(const Hash& hash) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(hash.size() * 2);
  for (const std::uint8_t byte : hash) {
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 0x0f]);
  }
  return out;
}

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::wrong_expected_revision:
      return "wrong_expected_revision";
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::storage_full:
      return "storage_full";
    case ErrorCode::io_error:
      return "io_error";
    case ErrorCode::corrupt:
      return "corrupt";
    case ErrorCode::closed:
      return "closed";
  }
  return "unknown";
}

StoreResult<AppendResult> EventLog::append(AppendRequest request) {
  auto promise = std::make_shared<std::promise<StoreResult<AppendResult>>>();
  auto future = promise->get_future();
  append(std::move(request),
         [promise](StoreResult<AppendResult> result) { promise->set_value(std::move(result)); });
  return future.get();
}

}  // namespace rembuk::store
