// Errors of the audit part (signing keys, checkpoints, bundles).
#pragma once

#include <string>
#include <string_view>

#include "rembuk/common/result.hpp"

namespace rembuk::audit {

enum class ErrorCode {
  not_found,         // no such masterplan, version or moment
  invalid_argument,  // a malformed request (unknown format, both at and at-time, …)
  storage_error,     // the event log failed; the message carries the store's message
  corrupt,           // the log's records do not verify (hash, link, signature)
  key_error,         // the signing key cannot be made, read or used
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
using AuditResult = rembuk::Result<T, Error>;

}  // namespace rembuk::audit
