// The four documents of a Bimtek as books: a cover, chapters of neutral blocks (the same
// blocks the exports use), written as one print-ready A4 HTML page (book_html.cpp). What
// goes in which book lives in book_of.cpp; the sections they share in book_sections.cpp.
// A section with nothing in the masterplan yet is a note saying so ("belum diisi") and
// which Bimtek stage fills it, never an empty page.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "plan_blocks.hpp"
#include "rembuk/common/number_format.hpp"
#include "rembuk/documents/export.hpp"

namespace rembuk::documents::detail {

struct BookInput {
  const boost::json::value* document = nullptr;  // the document view
  DocumentKind kind = DocumentKind::buku2;
  Lang lang = Lang::id;
  std::string masterplan;
  std::uint64_t version = 0;
  std::int64_t version_time_us = 0;  // when that version was recorded
  std::string head_hash;             // hex record hash of the event at `version`
};

struct Chapter {
  std::string title;  // "Analisis Struktur"; numbered by the writer ("Bab 2")
  std::vector<Block> blocks;
};

struct Book {
  Lang lang = Lang::id;
  std::string series;  // "Buku I", "Ringkasan Eksekutif", …
  std::string title;   // "Analisis Kesiapan Daerah"
  std::string city;    // "Kota Padang"
  std::string period;  // "2019–2028"
  std::vector<std::pair<std::string, std::string>> cover_facts;  // label, value
  std::string running_head;  // the top of every page after the cover
  bool chapters_on_new_pages = true;  // false: chapters flow on (a short summary)
  std::vector<Chapter> chapters;
};

Book book_of(const BookInput& input);
// `chapter_pages`, when given (one per chapter), are printed in the table of contents.
std::string write_book_html(const Book& book, const std::vector<int>& chapter_pages = {});

// The book as PDF: printed once, the page where each chapter starts read back from that
// print (pdf_page_texts), then printed again with those pages in its table of contents.
// Without pdftotext the contents list the chapters without pages.
DocumentResult<std::string> print_book(const Book& book, const PdfOptions& options);

// The budget per year, stacked by source, as inline SVG; labels in `lang`.
std::string budget_svg(const boost::json::value& document, Lang lang);

// "10 Maret 2019" / "10 March 2019" (UTC).
std::string format_date(std::int64_t time_us, Lang lang);

// "Draf", "Diajukan", "Dalam penilaian", "Disetujui" (or English) for a model status.
std::string status_name(const std::string& status, Lang lang);

// One word or phrase in the book's language.
inline std::string say(Lang lang, std::string_view id, std::string_view en) {
  return std::string(lang == Lang::id ? id : en);
}

// The sections the books share (book_sections.cpp). Each appends to `out`.
namespace sections {
void identity(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void readiness_axis(const boost::json::value& doc, const std::string& axis, Lang lang,
                    std::vector<Block>& out);
void readiness_summary(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void gap_analysis(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void strategic_issues(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void vision(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void missions(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void strategies(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void programs_by_dimension(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void dimension_summary(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void quick_win_table(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void quick_win_profile(const boost::json::value& doc, const boost::json::value& program,
                       Lang lang, std::vector<Block>& out);
void roadmap(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void budget(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void indicators(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void commitments(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
void bimtek_process(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
// Per stage: closed or open, outputs done of all, what is missing and who owes it.
void bimtek_checklist(const boost::json::value& doc, Lang lang, std::vector<Block>& out);
}  // namespace sections

// A note for a part not filled in yet: "Belum diisi: SWOT struktur (Bimtek tahap I)."
Block not_yet(Lang lang, const std::string& what, int stage);

}  // namespace rembuk::documents::detail
