#include "rembuk/documents/errors.hpp"

namespace rembuk::documents {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::storage_error: return "storage_error";
    case ErrorCode::corrupt: return "corrupt";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::print_failed: return "print_failed";
  }
  return "unknown";
}

}  // namespace rembuk::documents
