// Blocks → one standalone HTML5 page: no script, no external file, the roadmap as inline
// SVG, and print CSS for A4 (margins, running page numbers where supported, tables that
// repeat their header and do not split rows across pages).
#include "plan_blocks.hpp"

namespace rembuk::documents::detail {

std::string html_escape(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (const char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

namespace {

std::string escape(const std::string& in) { return html_escape(in); }

constexpr const char* kStyle = R"css(
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt;
       color: #111; max-width: 190mm; margin: 0 auto; padding: 8mm; line-height: 1.4; }
h1 { font-size: 20pt; border-bottom: 2px solid #1f4e79; padding-bottom: 4pt; }
h2 { font-size: 14pt; color: #1f4e79; margin-top: 18pt; }
h3 { font-size: 12pt; margin-top: 12pt; }
h4 { font-size: 10.5pt; margin: 10pt 0 2pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; }
th, td { border: 1px solid #999; padding: 2pt 4pt; vertical-align: top; text-align: left; }
th { background: #e8eef5; }
td.num, th.num { text-align: right; white-space: nowrap; }
nav ol { columns: 2; }
figure { margin: 6pt 0; }
figure svg { width: 100%; height: auto; }
@page { size: A4; margin: 18mm 15mm 20mm 15mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { break-before: page; }
  h1 + p + nav + h2 { break-before: avoid; }
  h2, h3, h4 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  nav { display: none; }
}
)css";

}  // namespace

std::string block_html(const Block& b) {
  std::string out;
  switch (b.kind) {
    case Block::Kind::heading: {
      const auto tag = "h" + std::to_string(b.level);
      out += "<" + tag + (b.anchor.empty() ? "" : " id=\"" + escape(b.anchor) + "\"") + ">" +
             escape(b.text) + "</" + tag + ">\n";
      break;
    }
    case Block::Kind::paragraph:
      out += (b.anchor.empty() ? std::string("<p>") : "<p class=\"" + escape(b.anchor) + "\">") +
             escape(b.text) + "</p>\n";
      break;
    case Block::Kind::list:
      out += "<ul>\n";
      for (const auto& row : b.rows) out += "<li>" + escape(row.at(0)) + "</li>\n";
      out += "</ul>\n";
      break;
    case Block::Kind::table: {
      bool header_row = false;
      for (const auto& h : b.header) header_row = header_row || !h.empty();
      out += "<table>\n";
      if (header_row) {
        out += "<thead><tr>";
        for (std::size_t i = 0; i < b.header.size(); ++i) {
          out += std::string(b.numeric[i] ? "<th class=\"num\">" : "<th>") +
                 escape(b.header[i]) + "</th>";
        }
        out += "</tr></thead>\n";
      }
      out += "<tbody>\n";
      for (const auto& row : b.rows) {
        out += "<tr>";
        for (std::size_t i = 0; i < b.header.size(); ++i) {
          const std::string cell = i < row.size() ? row[i] : std::string();
          out += std::string(b.numeric[i] ? "<td class=\"num\">" : "<td>") + escape(cell) +
                 "</td>";
        }
        out += "</tr>\n";
      }
      out += "</tbody></table>\n";
      break;
    }
    case Block::Kind::note:
      out += "<p class=\"note\">" + escape(b.text) + "</p>\n";
      break;
    case Block::Kind::figure:
      out += "<figure>\n" + b.text;  // our own SVG, escaped inside
      if (!b.caption.empty()) out += "<figcaption>" + escape(b.caption) + "</figcaption>\n";
      out += "</figure>\n";
      break;
  }
  return out;
}

std::string write_html(const std::vector<Block>& blocks, const std::string& title) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>" + escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  bool nav_done = false;
  for (const auto& b : blocks) {
    if (!nav_done && b.kind == Block::Kind::heading && b.level == 2) {
      // A table of contents before the first section.
      out += "<nav><ol>\n";
      for (const auto& h : blocks) {
        if (h.kind == Block::Kind::heading && h.level == 2 && !h.anchor.empty()) {
          out += "<li><a href=\"#" + escape(h.anchor) + "\">" + escape(h.text) + "</a></li>\n";
        }
      }
      out += "</ol></nav>\n";
      nav_done = true;
    }
    out += block_html(b);
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace rembuk::documents::detail
