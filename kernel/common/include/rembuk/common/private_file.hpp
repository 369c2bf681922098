// Creating a file that holds a secret (the token secret, the audit signing key) so that
// several processes starting at once on one data folder agree on one secret.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "rembuk/common/result.hpp"

namespace rembuk {

enum class PrivateFile { created, already_there };

// Creates `path` with mode 0600 holding `bytes`, durably (file and folder synced), or leaves
// an existing `path` alone. Another process sees either no file or the whole file: the bytes
// are written to a temporary file beside it and linked to `path` only when complete, and
// link() refuses to replace a file, so the first process wins and the others read its file.
// Errors (an unwritable folder, a full disk) are messages naming the file.
Result<PrivateFile, std::string> create_private_file(const std::filesystem::path& path,
                                                     std::string_view bytes);

}  // namespace rembuk
