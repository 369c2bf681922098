#include "rembuk/audit/errors.hpp"

namespace rembuk::audit {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::storage_error: return "storage_error";
    case ErrorCode::corrupt: return "corrupt";
    case ErrorCode::key_error: return "key_error";
  }
  return "unknown";
}

}  // namespace rembuk::audit
