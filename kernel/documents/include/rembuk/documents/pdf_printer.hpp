// PDF by printing HTML in headless Chromium (Debian's `chromium`): the page's own CSS decides
// the paper (@page size A4, margins, page numbers in the margin boxes); Chromium's header and
// footer are off. Each print runs one Chromium process with a fresh profile in a temp folder
// of its own (so concurrent prints and a user's running browser never meet), with networking
// and updates off; the folder is removed afterwards.
//
// Which Chromium: PdfOptions::chromium, else $CHROMIUM_PATH, else the first of chromium,
// chromium-browser, google-chrome on $PATH. None: ErrorCode::unavailable, with a message
// saying how to install it (apt-get install chromium).
//
// Thread safety: print_pdf may run on several threads at once; each call waits for its own
// process (up to PdfOptions::timeout, then kills it and its children).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rembuk/documents/errors.hpp"

namespace rembuk::documents {

struct PdfOptions {
  std::string chromium;  // a Chromium executable; empty: look it up (see above)
  std::chrono::seconds timeout{120};
};

// The Chromium print_pdf would run, or nullopt when none is installed.
std::optional<std::string> find_chromium(const PdfOptions& options);

// What to tell a person who asked for a PDF on a machine without Chromium.
std::string chromium_missing_message();

// The PDF bytes of `html` (a whole document; it must not need the network: rembuk's pages
// are self-contained). unavailable: no Chromium; print_failed: Chromium failed or timed out
// (the message carries the end of its error output).
DocumentResult<std::string> print_pdf(const std::string& html, const PdfOptions& options = {});

// The text of each page of a PDF, as poppler's `pdftotext -layout` reads it, or nullopt
// when pdftotext (Debian poppler-utils) is not installed or fails.
std::optional<std::vector<std::string>> pdf_page_texts(const std::string& pdf);

}  // namespace rembuk::documents
