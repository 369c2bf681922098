// The masterplan as a sequence of neutral blocks (headings, paragraphs, tables, lists, a
// figure), built once from the document view and the diff, then written as Markdown or as
// HTML. The section order of a Kominfo masterplan lives only in plan_blocks.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace rembuk::audit::detail {

struct Block {
  enum class Kind { heading, paragraph, table, list, figure };
  Kind kind = Kind::paragraph;
  int level = 1;                               // heading: 1..4
  std::string text;                            // heading, paragraph; figure: SVG markup
  std::string anchor;                          // heading: id for the HTML table of contents
  std::vector<std::string> header;             // table
  std::vector<std::vector<std::string>> rows;  // table; list: one cell per item
  std::vector<bool> numeric;                   // table: right-aligned columns
};

struct PlanInput {
  const boost::json::value* document = nullptr;  // the document view
  const boost::json::value* changes = nullptr;   // diff_states(baseline, now), or null
  std::optional<std::uint64_t> baseline_version; // the previous submission, if any
  std::string as_of;                             // "version 221, 2019-03-10T11:00:00Z"
};

std::vector<Block> plan_blocks(const PlanInput& input);

std::string write_markdown(const std::vector<Block>& blocks);
std::string write_html(const std::vector<Block>& blocks, const std::string& title);

// The roadmap as an inline SVG Gantt chart: one bar per program over the period's years,
// grouped by dimension, quick wins marked. Needs no script.
std::string roadmap_svg(const boost::json::value& document);

// "Rp 1.250.000.000" (Indonesian thousands separators).
std::string rupiah(std::int64_t amount);

}  // namespace rembuk::audit::detail
