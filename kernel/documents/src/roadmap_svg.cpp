// The roadmap chart: a Gantt of every program over the period's years, grouped by
// dimension in the document's order. Plain SVG 1.1 (rects, lines, text), sized by viewBox
// so it scales to the page; nothing runs in the reader.
#include <algorithm>

#include "json_read.hpp"
#include "plan_blocks.hpp"

namespace rembuk::documents::detail {
namespace {

std::string xml(const std::string& in) {
  std::string out;
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

std::string shorten(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max - 1;
  // Do not cut a UTF-8 sequence in half.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  while (cut > 0 && s[cut - 1] == ' ') --cut;  // "dan…", not "dan …"
  return s.substr(0, cut) + "…";
}

const char* colour(std::size_t index) {
  static const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                        "#9467bd", "#17becf", "#8c564b", "#e377c2"};
  return palette[index % (sizeof(palette) / sizeof(palette[0]))];
}

}  // namespace

std::string roadmap_svg(const boost::json::value& doc) {
  const auto& period = at(at(doc, "identity"), "period");
  const std::int64_t first = integer(period, "startYear");
  const std::int64_t last = std::max(first, integer(period, "endYear"));
  const std::int64_t years = last - first + 1;
  constexpr int width = 800, label = 230, row = 16, top = 24;
  // Labels are shortened to what fits the label column in a common sans-serif (about 5.6 px
  // a character at 10 px, 6.4 at bold 11 px) and clipped to it as well, because the reader's
  // font decides the real width: a long title must never run over the bars.
  constexpr std::size_t program_chars = 38, dimension_chars = 34;
  const double column = static_cast<double>(width - label - 10) / static_cast<double>(years);

  std::string rows;
  std::string labels;
  int y = top;
  std::size_t d_index = 0;
  std::size_t bars = 0;
  for (const auto& d : items(at(doc, "dimensions"))) {
    std::vector<const boost::json::value*> programs;
    for (const auto& e : items(at(d, "elements"))) {
      for (const auto& p : items(at(e, "programs"))) programs.push_back(&p);
    }
    const char* fill = colour(d_index++);
    if (programs.empty()) continue;
    std::string name = text(d, "nameId");
    if (name.empty()) name = text(d, "dimension");
    labels += "<text x=\"4\" y=\"" + std::to_string(y + 12) +
            "\" font-weight=\"bold\" font-size=\"11\">" + xml(shorten(name, dimension_chars)) + "</text>\n";
    y += row;
    for (const auto* p : programs) {
      const std::int64_t start = std::clamp(integer(*p, "startYear"), first, last);
      const std::int64_t end = std::clamp(integer(*p, "endYear"), start, last);
      const double x = label + column * static_cast<double>(start - first);
      const double w = column * static_cast<double>(end - start + 1) - 2;
      const bool quick = flag(*p, "quickWin");
      labels += "<text x=\"12\" y=\"" + std::to_string(y + 11) + "\" font-size=\"10\">" +
              xml(shorten(text(*p, "title"), program_chars)) + "</text>\n";
      rows += "<rect x=\"" + std::to_string(x + 1) + "\" y=\"" + std::to_string(y + 2) +
              "\" width=\"" + std::to_string(std::max(w, 2.0)) + "\" height=\"" +
              std::to_string(row - 5) + "\" rx=\"2\" fill=\"" + fill + "\"" +
              (quick ? " stroke=\"#000\" stroke-width=\"1.5\"" : "") + "><title>" +
              xml(text(*p, "title") + " " + text(*p, "startYear") + "–" + text(*p, "endYear") +
                  (quick ? " (quick win)" : "")) +
              "</title></rect>\n";
      if (quick) {
        rows += "<text x=\"" + std::to_string(x + 4) + "\" y=\"" + std::to_string(y + 11) +
                "\" font-size=\"9\" fill=\"#fff\">QW</text>\n";
      }
      y += row;
      ++bars;
    }
  }
  const int height = y + 8;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) +
                    "\" role=\"img\" font-family=\"sans-serif\">\n<title>Roadmap " +
                    std::to_string(first) + "–" + std::to_string(last) + ", " +
                    std::to_string(bars) + " program</title>\n";
  for (std::int64_t i = 0; i < years; ++i) {
    const double x = label + column * static_cast<double>(i);
    out += "<line x1=\"" + std::to_string(x) + "\" y1=\"4\" x2=\"" + std::to_string(x) +
           "\" y2=\"" + std::to_string(height - 4) + "\" stroke=\"#ccc\"/>\n";
    out += "<text x=\"" + std::to_string(x + column / 2) +
           "\" y=\"16\" font-size=\"10\" text-anchor=\"middle\">" + std::to_string(first + i) +
           "</text>\n";
  }
  // A path, not a rect, for the clip: every <rect> of the chart is a program's bar.
  out += "<clipPath id=\"rembuk-roadmap-labels\"><path d=\"M0 0H" + std::to_string(label - 4) +
         "V" + std::to_string(height) + "H0Z\"/></clipPath>\n";
  out += "<g clip-path=\"url(#rembuk-roadmap-labels)\">\n" + labels + "</g>\n";
  out += rows + "</svg>\n";
  return out;
}

}  // namespace rembuk::documents::detail
