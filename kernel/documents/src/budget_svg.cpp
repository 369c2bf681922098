// The budget chart: one bar per year of the period, stacked by source, with the year's total
// above it and a legend of the sources. Plain SVG 1.1 sized by viewBox, like the roadmap;
// amounts read the way people say them (Rp 1,2 miliar).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "book.hpp"
#include "json_read.hpp"

namespace rembuk::documents::detail {
namespace {

const char* colour(std::size_t index) {
  static const char* const palette[] = {"#1f4e79", "#4f9bd9", "#2ca02c", "#ff7f0e",
                                        "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
  return palette[index % (sizeof(palette) / sizeof(palette[0]))];
}

// A round step for the axis: 1, 2 or 5 × 10^n, about four lines over `top`.
double axis_step(double top) {
  const double raw = top / 4;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

}  // namespace

std::string budget_svg(const boost::json::value& doc, Lang lang) {
  const auto& budget = at(doc, "budget");
  std::vector<std::int64_t> years;
  std::vector<std::string> sources;
  for (const auto& y : items(at(budget, "byYear"))) years.push_back(integer(y, "year"));
  for (const auto& s : items(at(budget, "bySource"))) {
    if (integer(s, "amount") > 0) sources.push_back(text(s, "source"));
  }
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> cells;
  std::map<std::int64_t, std::int64_t> totals;
  for (const auto& c : items(at(budget, "cells"))) {
    cells[{integer(c, "year"), text(c, "source")}] += integer(c, "amount");
    totals[integer(c, "year")] += integer(c, "amount");
  }
  std::int64_t highest = 0;
  for (const auto& [year, amount] : totals) highest = std::max(highest, amount);

  constexpr int width = 800, height = 300, left = 110, right = 10, top = 44, bottom = 28;
  const double plot_h = height - top - bottom;
  const double step = highest > 0 ? axis_step(static_cast<double>(highest)) : 1;
  const double axis_top = highest > 0 ? std::ceil(static_cast<double>(highest) / step) * step : 1;
  const double slot = years.empty() ? 1 : static_cast<double>(width - left - right) /
                                               static_cast<double>(years.size());
  const double bar = std::min(slot * 0.62, 70.0);

  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) +
                    "\" role=\"img\" font-family=\"sans-serif\">\n<title>" +
                    html_escape(say(lang, "Anggaran per tahun, total ", "Budget per year, total ") +
                                format_rupiah_short(integer(budget, "total"), lang)) +
                    "</title>\n";
  // Legend.
  double x = left;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    out += "<rect x=\"" + number(x) + "\" y=\"8\" width=\"10\" height=\"10\" fill=\"" +
           colour(i) + "\"/>\n<text x=\"" + number(x + 14) + "\" y=\"17\" font-size=\"11\">" +
           html_escape(sources[i]) + "</text>\n";
    x += 28 + 7.0 * static_cast<double>(sources[i].size());
  }
  // Axis lines and labels.
  for (double v = 0; v <= axis_top + step / 2; v += step) {
    const double y = top + plot_h - plot_h * v / axis_top;
    out += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + number(y) + "\" x2=\"" +
           std::to_string(width - right) + "\" y2=\"" + number(y) +
           "\" stroke=\"#d5dbe1\" stroke-width=\"1\"/>\n<text x=\"" + std::to_string(left - 6) +
           "\" y=\"" + number(y + 4) + "\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6470\">" +
           html_escape(format_rupiah_short(static_cast<std::int64_t>(v), lang)) + "</text>\n";
  }
  // Bars.
  for (std::size_t i = 0; i < years.size(); ++i) {
    const double cx = left + slot * (static_cast<double>(i) + 0.5);
    double y = top + plot_h;
    for (std::size_t s = 0; s < sources.size(); ++s) {
      const auto it = cells.find({years[i], sources[s]});
      if (it == cells.end() || it->second <= 0) continue;
      const double h = plot_h * static_cast<double>(it->second) / axis_top;
      y -= h;
      out += "<rect x=\"" + number(cx - bar / 2) + "\" y=\"" + number(y) + "\" width=\"" +
             number(bar) + "\" height=\"" + number(std::max(h, 0.5)) + "\" fill=\"" + colour(s) +
             "\"><title>" +
             html_escape(std::to_string(years[i]) + " " + sources[s] + ": " +
                         format_rupiah(it->second, lang)) +
             "</title></rect>\n";
    }
    const auto total = totals[years[i]];
    if (total > 0) {
      out += "<text x=\"" + number(cx) + "\" y=\"" + number(y - 4) +
             "\" font-size=\"9.5\" text-anchor=\"middle\">" +
             html_escape(format_rupiah_short(total, lang)) + "</text>\n";
    }
    out += "<text x=\"" + number(cx) + "\" y=\"" + std::to_string(height - 10) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + std::to_string(years[i]) + "</text>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace rembuk::documents::detail
