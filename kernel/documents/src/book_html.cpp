// A book → one standalone, print-ready HTML5 page (no script, no external file, charts as
// inline SVG), laid out for A4 with CSS paged media as Chromium prints it:
//   - the cover on a page of its own without margins (a named page, `page: cover`);
//   - the table of contents on the next page; every chapter starts a page ("Bab 1 …");
//   - the running head at the top of every other page and "Halaman 3 dari 12" at the foot
//     (@page margin boxes);
//   - tables repeat their header row on each page and never split a row; headings stay
//     with what follows; figures are not split.
// On screen the same page reads as a column of A4-wide sheets.
#include "book.hpp"

namespace rembuk::documents::detail {
namespace {

// Text inside a CSS string ("…"): quotes and backslashes escaped, line breaks dropped.
std::string css_string(const std::string& in) {
  std::string out;
  for (const char c : in) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n' || c == '\r') continue;
    out.push_back(c);
  }
  return out;
}

constexpr const char* kBookStyle = R"css(
:root { --ink: #1b1b1b; --accent: #1f4e79; --muted: #5b6470; --line: #b8c2cc; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10pt;
       color: var(--ink); line-height: 1.45; margin: 0; }
h2 { font-size: 16pt; color: var(--accent); margin: 0 0 10pt; padding-bottom: 4pt;
     border-bottom: 1.5pt solid var(--accent); }
h2 .num { display: block; font-size: 9pt; letter-spacing: .08em; text-transform: uppercase;
          color: var(--muted); font-weight: normal; }
h3 { font-size: 12pt; color: var(--accent); margin: 14pt 0 4pt; }
h4 { font-size: 10.5pt; margin: 10pt 0 2pt; }
h2, h3, h4 { break-after: avoid; }
p { margin: 4pt 0 6pt; orphans: 3; widows: 3; }
ul { margin: 2pt 0 8pt; padding-left: 16pt; }
li { margin: 1pt 0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: .6pt solid var(--line); padding: 3pt 5pt; vertical-align: top; text-align: left; }
th { background: #e6edf4; font-weight: bold; }
tbody tr:last-child td { border-bottom-width: .6pt; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
figure { margin: 6pt 0 12pt; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 8.5pt; color: var(--muted); margin-top: 3pt; }
p.note { border-left: 3pt solid #c98a00; background: #fff6df; padding: 5pt 8pt;
         color: #5a4300; font-style: italic; break-inside: avoid; }
p.vision { font-size: 13pt; font-style: italic; color: var(--accent); margin: 8pt 0 12pt;
           padding: 8pt 12pt; border-left: 3pt solid var(--accent); }
.cover { page: cover; box-sizing: border-box; height: 296mm; overflow: hidden;
         padding: 0 22mm; display: flex; flex-direction: column; break-after: page;
         background: #fff; }
.cover .band { background: var(--accent); color: #fff; margin: 0 -22mm; padding: 14mm 22mm 10mm;
               font-size: 10pt; letter-spacing: .12em; text-transform: uppercase; }
.cover .series { margin-top: 48mm; font-size: 16pt; color: var(--muted); letter-spacing: .06em; }
.cover h1 { font-size: 30pt; line-height: 1.15; color: var(--accent); margin: 4mm 0 6mm; }
.cover .city { font-size: 22pt; font-weight: bold; margin: 0; }
.cover .period { font-size: 16pt; color: var(--muted); margin: 2mm 0 0; }
.cover .facts { margin-top: auto; margin-bottom: 20mm; width: auto; font-size: 9pt; }
.cover .facts th, .cover .facts td { border: none; background: none; padding: 1.5pt 10pt 1.5pt 0; }
.cover .facts th { color: var(--muted); font-weight: normal; }
.cover .facts td.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt;
                        word-break: break-all; }
.cover .made { font-size: 8pt; color: var(--muted); margin: -16mm 0 16mm; }
nav.toc { break-after: page; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { display: flex; align-items: baseline; border-bottom: .6pt dotted var(--line);
             padding: 4pt 0; }
nav.toc li .num { width: 18mm; color: var(--muted); flex: none; }
nav.toc a { color: var(--ink); text-decoration: none; }
nav.toc .page { margin-left: auto; padding-left: 8pt; font-variant-numeric: tabular-nums; }
section.chapter.new-page { break-before: page; }
section.chapter + section.chapter:not(.new-page) { margin-top: 18pt; }
@page {
  size: A4;
  margin: 20mm 18mm 20mm 20mm;
  @top-left { content: "RUNNING_HEAD"; font-size: 7.5pt; color: #5b6470;
              font-family: "DejaVu Sans", sans-serif; }
  @bottom-right { content: "PAGE_BEFORE" counter(page) "PAGE_BETWEEN" counter(pages);
                  font-size: 8pt; color: #5b6470; font-family: "DejaVu Sans", sans-serif; }
}
@page cover { margin: 0; @top-left { content: none; } @bottom-right { content: none; } }
@media screen {
  body { background: #d9dde2; padding: 10mm 0; }
  .cover, nav.toc, section.chapter { width: 210mm; box-sizing: border-box; margin: 0 auto 8mm;
                                     background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
  nav.toc, section.chapter { padding: 20mm 18mm 20mm 20mm; }
  section.chapter + section.chapter:not(.new-page) { margin-top: 0; }
}
)css";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

std::string write_book_html(const Book& book, const std::vector<int>& chapter_pages) {
  const Lang lang = book.lang;
  std::string style = replace_all(kBookStyle, "RUNNING_HEAD", css_string(book.running_head));
  style = replace_all(style, "PAGE_BEFORE", say(lang, "Halaman ", "Page "));
  style = replace_all(style, "PAGE_BETWEEN", say(lang, " dari ", " of "));

  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(to_string(lang)) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                    html_escape(book.series + " · " + book.title + " · " + book.city + " " +
                                book.period) +
                    "</title>\n<style>" + style + "</style>\n</head>\n<body>\n";
  // The cover.
  out += "<section class=\"cover\">\n<div class=\"band\">" +
         html_escape(say(lang, "Gerakan Menuju 100 Smart City", "Movement Towards 100 Smart Cities")) +
         "</div>\n<p class=\"series\">" + html_escape(book.series) + "</p>\n<h1>" +
         html_escape(book.title) + "</h1>\n<p class=\"city\">" + html_escape(book.city) +
         "</p>\n<p class=\"period\">" + html_escape(book.period) + "</p>\n<table class=\"facts\">\n";
  for (const auto& [label, value] : book.cover_facts) {
    const bool hash = value.size() == 64 && value.find_first_not_of("0123456789abcdef") == std::string::npos;
    out += "<tr><th>" + html_escape(label) + "</th><td" + (hash ? " class=\"hash\"" : "") + ">" +
           html_escape(value) + "</td></tr>\n";
  }
  out += "</table>\n<p class=\"made\">" +
         html_escape(say(lang,
                         "Dibuat oleh rembuk dari catatan riwayat masterplan pada versi dan hash "
                         "di atas; keutuhan catatan itu dapat diperiksa dengan perintah rembuk "
                         "verify.",
                         "Made by rembuk from the masterplan's record at the version and hash "
                         "above; the command rembuk verify checks that the record was not "
                         "altered.")) +
         "</p>\n</section>\n";
  // The table of contents.
  out += "<nav class=\"toc\">\n<h2>" + html_escape(say(lang, "Daftar Isi", "Contents")) + "</h2>\n<ol>\n";
  for (std::size_t i = 0; i < book.chapters.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    out += "<li><span class=\"num\">" + html_escape(say(lang, "Bab ", "Chapter ")) + n +
           "</span><a href=\"#bab-" + n + "\">" + html_escape(book.chapters[i].title) + "</a>";
    if (i < chapter_pages.size()) {
      out += "<span class=\"page\">" + std::to_string(chapter_pages[i]) + "</span>";
    }
    out += "</li>\n";
  }
  out += "</ol>\n</nav>\n";
  // The chapters; Ringkasan Eksekutif's flow on, the books' start a page each.
  const bool new_pages = book.chapters_on_new_pages;
  int figure = 0;
  for (std::size_t i = 0; i < book.chapters.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    out += "<section class=\"chapter" + std::string(new_pages || i == 0 ? " new-page" : "") +
           "\" id=\"bab-" + n + "\">\n<h2><span class=\"num\">" +
           html_escape(say(lang, "Bab ", "Chapter ")) + n + "</span>" +
           html_escape(book.chapters[i].title) + "</h2>\n";
    for (const auto& b : book.chapters[i].blocks) {
      if (b.kind == Block::Kind::figure && !b.caption.empty()) {
        Block numbered = b;
        numbered.caption = say(lang, "Gambar ", "Figure ") + std::to_string(++figure) + ". " + b.caption;
        out += block_html(numbered);
      } else {
        out += block_html(b);
      }
    }
    out += "</section>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace rembuk::documents::detail
