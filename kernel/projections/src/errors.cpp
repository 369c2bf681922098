#include "rembuk/projections/errors.hpp"

namespace rembuk::projections {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::storage_error: return "storage_error";
    case ErrorCode::corrupt: return "corrupt";
  }
  return "unknown";
}

}  // namespace rembuk::projections
