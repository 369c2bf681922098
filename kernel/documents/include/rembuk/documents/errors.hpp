// Errors of the documents part (exports, the Bimtek documents, PDF printing).
#pragma once

#include <string>
#include <string_view>

#include "rembuk/common/result.hpp"

namespace rembuk::documents {

enum class ErrorCode {
  not_found,         // no such masterplan, version or moment
  invalid_argument,  // a malformed request (unknown format or document, both at and at-time, …)
  storage_error,     // the event log failed; the message carries the store's message
  corrupt,           // the log's records do not decode
  unavailable,       // PDF asked for and no Chromium installed; the message says how to install it
  print_failed,      // Chromium ran and made no PDF; the message carries why
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
using DocumentResult = rembuk::Result<T, Error>;

}  // namespace rembuk::documents
