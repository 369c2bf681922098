// Blocks → CommonMark with GitHub tables. Cell text is escaped so that a title holding a
// '|' or a newline cannot break the table.
#include "plan_blocks.hpp"

namespace rembuk::documents::detail {
namespace {

std::string inline_text(const std::string& in, bool in_table) {
  std::string out;
  out.reserve(in.size());
  for (const char c : in) {
    switch (c) {
      case '\n': case '\r': out += in_table ? " " : "  \n"; break;
      case '|': out += in_table ? "\\|" : "|"; break;
      case '\\': case '*': case '_': case '`': case '<': case '[': case ']':
        out.push_back('\\');
        out.push_back(c);
        break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string write_markdown(const std::vector<Block>& blocks) {
  std::string out;
  for (const auto& b : blocks) {
    switch (b.kind) {
      case Block::Kind::heading:
        out += std::string(static_cast<std::size_t>(b.level), '#') + " " +
               inline_text(b.text, false) + "\n\n";
        break;
      case Block::Kind::paragraph:
        out += inline_text(b.text, false) + "\n\n";
        break;
      case Block::Kind::list:
        for (const auto& row : b.rows) out += "- " + inline_text(row.at(0), false) + "\n";
        out += "\n";
        break;
      case Block::Kind::table: {
        out += "|";
        for (const auto& h : b.header) out += " " + inline_text(h, true) + " |";
        out += "\n|";
        for (std::size_t i = 0; i < b.header.size(); ++i) out += b.numeric[i] ? " ---: |" : " --- |";
        out += "\n";
        for (const auto& row : b.rows) {
          out += "|";
          for (std::size_t i = 0; i < b.header.size(); ++i) {
            out += " " + (i < row.size() ? inline_text(row[i], true) : std::string()) + " |";
          }
          out += "\n";
        }
        out += "\n";
        break;
      }
      case Block::Kind::note:
        out += "> " + inline_text(b.text, false) + "\n\n";
        break;
      case Block::Kind::figure:
        break;  // the roadmap table that follows carries the same content
    }
  }
  return out;
}

}  // namespace rembuk::documents::detail
