// The masterplan as a sequence of neutral blocks (headings, paragraphs, tables, lists, a
// figure), built once from the document view and the diff, then written as Markdown or as
// HTML. The section order of a Kominfo masterplan lives only in plan_blocks.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "rembuk/common/number_format.hpp"

namespace rembuk::documents::detail {

struct Block {
  // note: a part of the document that is not filled in yet, said so in a box of its own
  enum class Kind { heading, paragraph, table, list, figure, note };
  Kind kind = Kind::paragraph;
  int level = 1;                               // heading: 1..4
  std::string text;                            // heading, paragraph, note; figure: SVG markup
  std::string caption;                         // figure: "Gambar 1. Peta jalan …"
  std::string anchor;                          // heading: id for the HTML table of contents;
                                               // paragraph: its class ("vision")
  std::vector<std::string> header;             // table
  std::vector<std::vector<std::string>> rows;  // table; list: one cell per item
  std::vector<bool> numeric;                   // table: right-aligned columns
};

inline Block heading(int level, std::string text, std::string anchor = {}) {
  Block b;
  b.kind = Block::Kind::heading;
  b.level = level;
  b.text = std::move(text);
  b.anchor = std::move(anchor);
  return b;
}
inline Block paragraph(std::string text) {
  Block b;
  b.kind = Block::Kind::paragraph;
  b.text = std::move(text);
  return b;
}
inline Block table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows,
                   std::vector<bool> numeric = {}) {
  Block b;
  b.kind = Block::Kind::table;
  b.header = std::move(header);
  b.rows = std::move(rows);
  b.numeric = std::move(numeric);
  b.numeric.resize(b.header.size(), false);
  return b;
}
inline Block list(std::vector<std::string> entries) {
  Block b;
  b.kind = Block::Kind::list;
  for (auto& e : entries) b.rows.push_back({std::move(e)});
  return b;
}

struct PlanInput {
  const boost::json::value* document = nullptr;  // the document view
  const boost::json::value* changes = nullptr;   // diff_states(baseline, now), or null
  std::optional<std::uint64_t> baseline_version; // the previous submission, if any
  std::string as_of;                             // "version 221, 2019-03-10T11:00:00Z"
};

std::vector<Block> plan_blocks(const PlanInput& input);

std::string write_markdown(const std::vector<Block>& blocks);
std::string write_html(const std::vector<Block>& blocks, const std::string& title);
// One block as HTML (tables with a repeated <thead>, notes as <p class="note">, figures with
// their caption). A paragraph's `anchor`, when set, is its class.
std::string block_html(const Block& block);
// &, <, >, " escaped.
std::string html_escape(const std::string& text);

// The roadmap as an inline SVG Gantt chart: one bar per program over the period's years,
// grouped by dimension, quick wins marked. Needs no script.
std::string roadmap_svg(const boost::json::value& document);

// "Rp 1.250.000.000" (Indonesian thousands separators; rembuk/common/number_format.hpp).
std::string rupiah(std::int64_t amount);

// A number of the document view as a person reads it: 121, 85,5, 1.250 — never the
// serializer's 1.21E2. Strings pass through; null is "".
std::string number_text(const boost::json::value& v, Lang lang = Lang::id);
// A number with its unit: "121 orang", "85,5 %"; a string value keeps its text.
std::string quantity_text(const boost::json::value& v, const std::string& unit,
                          Lang lang = Lang::id);

}  // namespace rembuk::documents::detail
