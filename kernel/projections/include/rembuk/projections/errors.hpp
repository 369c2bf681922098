// Errors of the read side. Expected outcomes that are not failures ("this masterplan has
// no version at that time") are errors with code `not_found` only where the caller asked for
// something that does not exist; callers that probe use the std::optional forms instead.
#pragma once

#include <string>
#include <string_view>

#include "rembuk/common/result.hpp"

namespace rembuk::projections {

enum class ErrorCode {
  not_found,         // no such masterplan, version, entity or view
  invalid_argument,  // a malformed request (e.g. version 0, an unknown view name)
  storage_error,     // the event log failed (the message carries the store's message)
  corrupt,           // a stored event or snapshot does not decode
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
using ProjectionResult = rembuk::Result<T, Error>;

}  // namespace rembuk::projections
