// A book printed to PDF with page numbers in its table of contents. Chromium has no
// target-counter(), so the pages come from a first print: each chapter's heading starts with
// "BAB n" ("CHAPTER n"; the CSS writes it in capitals, and nothing else in the book does),
// and the page that holds it is that chapter's page. The page numbers fit where the empty
// space was, so the second print paginates as the first.
#include <cctype>

#include "book.hpp"

namespace rembuk::documents::detail {
namespace {

std::string trimmed(std::string_view line) {
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
  return std::string(line);
}

bool has_line(const std::string& page, const std::string& wanted) {
  std::size_t at = 0;
  while (at <= page.size()) {
    auto end = page.find('\n', at);
    if (end == std::string::npos) end = page.size();
    if (trimmed(std::string_view(page).substr(at, end - at)) == wanted) return true;
    at = end + 1;
  }
  return false;
}

// The 1-based page of each chapter, or empty when one is not found where it should be.
std::vector<int> chapter_pages(const std::vector<std::string>& pages, const Book& book) {
  std::vector<int> found;
  std::size_t from = 0;
  for (std::size_t i = 0; i < book.chapters.size(); ++i) {
    const std::string label = say(book.lang, "BAB ", "CHAPTER ") + std::to_string(i + 1);
    std::size_t p = from;
    while (p < pages.size() && !has_line(pages[p], label)) ++p;
    if (p == pages.size()) return {};
    found.push_back(static_cast<int>(p + 1));
    from = p;
  }
  return found;
}

}  // namespace

DocumentResult<std::string> print_book(const Book& book, const PdfOptions& options) {
  auto first = print_pdf(write_book_html(book), options);
  if (!first) return first;
  const auto pages = pdf_page_texts(*first);
  if (!pages) return first;
  const auto numbers = chapter_pages(*pages, book);
  if (numbers.empty()) return first;
  return print_pdf(write_book_html(book, numbers), options);
}

}  // namespace rembuk::documents::detail
