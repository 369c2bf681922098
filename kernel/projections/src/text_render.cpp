// Plain-text tables of the views (rembuk replay / history without --json).
#include "rembuk/projections/text_render.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "rembuk/common/number_format.hpp"

namespace rembuk::projections {

namespace json = boost::json;

namespace {

// Display width of UTF-8 text: one column per code point (Indonesian text is Latin script).
std::size_t width(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// A table with a header row; columns are left-aligned, numbers right-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.size() == 1; }

  std::string str() const {
    std::vector<std::size_t> widths;
    for (const auto& row : rows_) {
      if (widths.size() < row.size()) widths.resize(row.size(), 0);
      for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
    }
    std::string out;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      std::string line;
      for (std::size_t i = 0; i < rows_[r].size(); ++i) {
        const auto& cell = rows_[r][i];
        const std::string pad(widths[i] - width(cell), ' ');
        const bool numeric = r > 0 && !cell.empty() &&
                             cell.find_first_not_of("0123456789.,-") == std::string::npos;
        if (i > 0) line += "  ";
        line += numeric ? pad + cell : cell + pad;
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
      if (r == 0) {
        std::size_t total = 0;
        for (auto w : widths) total += w;
        out += std::string(total + 2 * (widths.empty() ? 0 : widths.size() - 1), '-') + "\n";
      }
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Integers print as they are (years, versions, counts); decimals the Indonesian way (121,
// 85,5), never as the serializer's 1.21E2.
std::string text(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_null()) return "";
  if (value.is_bool()) return value.get_bool() ? "yes" : "";
  if (value.is_double()) return format_decimal(value.get_double(), Lang::id, 6);
  return json::serialize(value);
}

// A changed value in a diff line: numbers as people read them, strings quoted.
std::string scalar(const json::value& value) {
  return value.is_double() ? text(value) : json::serialize(value);
}

const json::value& at(const json::value& object, std::string_view key) {
  static const json::value null;
  if (!object.is_object()) return null;
  const auto* value = object.get_object().if_contains(key);
  return value != nullptr ? *value : null;
}

const json::array& arr(const json::value& object, std::string_view key) {
  static const json::array empty;
  const auto& value = at(object, key);
  return value.is_array() ? value.get_array() : empty;
}

std::int64_t integer(const json::value& value) {
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64()) return static_cast<std::int64_t>(value.get_uint64());
  if (value.is_double()) return static_cast<std::int64_t>(value.get_double());
  return 0;
}

// Rupiah with Indonesian thousands separators, in columns headed "(Rp)": 1.250.000.000.
std::string rupiah(std::int64_t amount) { return format_integer(amount, Lang::id); }

std::string heading(const json::value& view, std::string_view title) {
  return std::string(title) + ": " + text(at(view, "masterplan")) + " at version " +
         text(at(view, "version")) + "\n\n";
}

std::string roadmap_text(const json::value& roadmap) {
  // Gantt rows: one per program, one column per year.
  struct Row {
    std::string dimension, title;
    bool quick_win = false;
    std::set<std::int64_t> years;
  };
  std::vector<std::int64_t> years;
  std::map<std::string, Row> rows;
  std::vector<std::string> order;
  for (const auto& year : arr(roadmap, "years")) {
    years.push_back(integer(at(year, "year")));
    for (const auto& dimension : arr(year, "dimensions")) {
      for (const auto& program : arr(dimension, "programs")) {
        const std::string id = text(at(program, "programId"));
        auto [it, inserted] = rows.try_emplace(id);
        if (inserted) {
          order.push_back(id);
          it->second = Row{text(at(dimension, "dimension")), text(at(program, "title")),
                           at(program, "quickWin").is_bool() && at(program, "quickWin").get_bool(),
                           {}};
        }
        it->second.years.insert(years.back());
      }
    }
  }
  std::vector<std::string> header = {"dimension", "program", "title", "QW"};
  for (auto year : years) header.push_back(std::to_string(year));
  Table table(header);
  std::stable_sort(order.begin(), order.end(),
                   [&](const auto& a, const auto& b) { return rows[a].dimension < rows[b].dimension; });
  for (const auto& id : order) {
    const Row& row = rows[id];
    std::vector<std::string> cells = {row.dimension, id, row.title, row.quick_win ? "QW" : ""};
    for (auto year : years) cells.push_back(row.years.contains(year) ? "####" : "....");
    table.add(cells);
  }
  return table.str();
}

std::string budget_text(const json::value& budget) {
  std::string out;
  std::vector<std::string> sources;
  for (const auto& s : arr(budget, "bySource")) sources.push_back(text(at(s, "source")));
  std::vector<std::int64_t> years;
  for (const auto& y : arr(budget, "byYear")) years.push_back(integer(at(y, "year")));
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> year_source;
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> dimension_year;
  for (const auto& cell : arr(budget, "cells")) {
    year_source[{integer(at(cell, "year")), text(at(cell, "source"))}] += integer(at(cell, "amount"));
    dimension_year[{text(at(cell, "dimension")), integer(at(cell, "year"))}] +=
        integer(at(cell, "amount"));
  }
  std::vector<std::string> header = {"year"};
  header.insert(header.end(), sources.begin(), sources.end());
  header.push_back("total");
  Table by_source(header);
  for (std::size_t i = 0; i < years.size(); ++i) {
    std::vector<std::string> row = {std::to_string(years[i])};
    for (const auto& source : sources) {
      auto it = year_source.find({years[i], source});
      row.push_back(rupiah(it == year_source.end() ? 0 : it->second));
    }
    row.push_back(rupiah(integer(at(arr(budget, "byYear")[i], "amount"))));
    by_source.add(row);
  }
  std::vector<std::string> total_row = {"total"};
  for (const auto& s : arr(budget, "bySource")) total_row.push_back(rupiah(integer(at(s, "amount"))));
  total_row.push_back(rupiah(integer(at(budget, "total"))));
  by_source.add(total_row);
  out += "By year and source (Rp)\n" + by_source.str() + "\n";
  std::vector<std::string> dim_header = {"dimension"};
  for (auto year : years) dim_header.push_back(std::to_string(year));
  dim_header.push_back("total");
  Table by_dimension(dim_header);
  for (const auto& d : arr(budget, "byDimension")) {
    const std::string id = text(at(d, "dimension"));
    std::vector<std::string> row = {id};
    for (auto year : years) {
      auto it = dimension_year.find({id, year});
      row.push_back(rupiah(it == dimension_year.end() ? 0 : it->second));
    }
    row.push_back(rupiah(integer(at(d, "amount"))));
    by_dimension.add(row);
  }
  out += "By dimension and year (Rp)\n" + by_dimension.str();
  return out;
}

std::string opds_text(const json::value& view) {
  std::vector<std::string> header = {"OPD", "name", "leads", "supports"};
  for (const auto& y : arr(view, "years")) header.push_back(text(y));
  header.push_back("total (Rp)");
  Table table(header);
  for (const auto& opd : arr(view, "opds")) {
    std::string name = text(at(opd, "name"));
    if (at(opd, "retired").is_bool() && at(opd, "retired").get_bool()) name += " (retired)";
    std::vector<std::string> row = {text(at(opd, "opdId")), name,
                                    std::to_string(arr(opd, "leads").size()),
                                    std::to_string(arr(opd, "supports").size())};
    for (const auto& b : arr(opd, "budget")) row.push_back(rupiah(integer(at(b, "amount"))));
    row.push_back(rupiah(integer(at(opd, "total"))));
    table.add(row);
  }
  return table.str();
}

std::string coverage_text(const json::value& view) {
  Table table({"dimension", "programs", "quick wins", "elements without program"});
  for (const auto& d : arr(view, "dimensions")) {
    std::string missing;
    for (const auto& e : arr(d, "elementsWithoutProgram")) {
      missing += (missing.empty() ? "" : ", ") + text(e);
    }
    table.add({text(at(d, "dimension")), text(at(d, "programs")), text(at(d, "quickWins")),
               missing});
  }
  std::string out = table.str() + "\n";
  const auto& submission = at(view, "submission");
  if (arr(submission, "missing").empty()) {
    out += "Submission gate: nothing missing\n";
  } else {
    out += "Submission gate still misses:\n";
    for (const auto& item : arr(submission, "missing")) {
      out.append("  ").append(text(at(item, "code")));
      if (const auto& detail = at(item, "detail"); detail.is_object()) {
        for (const auto& [key, value] : detail.get_object()) {
          out.append(" ").append(key).append("=").append(text(value));
        }
      }
      out.append("\n");
    }
  }
  return out;
}

std::string document_text(const json::value& doc) {
  std::string out;
  const auto& identity = at(doc, "identity");
  const auto& period = at(identity, "period");
  out += "Masterplan Smart City " + text(at(identity, "cityName")) + " (" +
         text(at(identity, "regionCode")) + "), " + text(at(period, "startYear")) + "–" +
         text(at(period, "endYear")) + ", status " + text(at(identity, "status")) + "\n";
  if (!at(identity, "rpjmd").is_null()) {
    out += "RPJMD: " + text(at(at(identity, "rpjmd"), "title")) + "\n";
  }
  out += "\nReadiness\n";
  Table readiness({"axis", "entry", "title", "quantity", "unit"});
  for (const auto& [axis, entries] : at(doc, "readiness").get_object()) {
    for (const auto& e : entries.get_array()) {
      readiness.add({std::string(axis), text(at(e, "entryId")), text(at(e, "title")),
                     text(at(e, "quantity")), text(at(e, "unit"))});
    }
  }
  out += readiness.str() + "\nStrategic issues\n";
  Table issues({"dimension", "issue", "text"});
  for (const auto& d : arr(doc, "strategicIssues")) {
    for (const auto& i : arr(d, "issues")) {
      issues.add({text(at(d, "dimension")), text(at(i, "issueId")), text(at(i, "text"))});
    }
  }
  out += issues.str() + "\nVision: " + text(at(doc, "vision")) + "\nMissions\n";
  int n = 0;
  for (const auto& m : arr(doc, "missions")) {
    out += "  " + std::to_string(++n) + ". " + text(at(m, "text")) + "\n";
  }
  out += "\nPrograms\n";
  Table programs({"dimension", "element", "program", "title", "lead OPD", "years", "QW",
                  "budget (Rp)", "indicators"});
  for (const auto& d : arr(doc, "dimensions")) {
    for (const auto& e : arr(d, "elements")) {
      for (const auto& p : arr(e, "programs")) {
        std::int64_t budget = 0;
        for (const auto& line : arr(p, "budget")) budget += integer(at(line, "amount"));
        programs.add({text(at(d, "dimension")), text(at(e, "element")), text(at(p, "programId")),
                      text(at(p, "title")), text(at(p, "leadOpd")),
                      text(at(p, "startYear")) + "–" + text(at(p, "endYear")),
                      at(p, "quickWin").is_bool() && at(p, "quickWin").get_bool() ? "QW" : "",
                      rupiah(budget), std::to_string(arr(p, "indicators").size())});
      }
    }
  }
  out += programs.str() + "\nQuick wins\n";
  for (const auto& q : arr(doc, "quickWins")) {
    out += "  " + text(at(q, "programId")) + "  " + text(at(q, "title")) + " (" +
           text(at(q, "startYear")) + ")\n";
  }
  out += "\nRoadmap\n" + roadmap_text(at(doc, "roadmap"));
  out += "\nBudget\n" + budget_text(at(doc, "budget"));
  return out;
}

std::string activity_text(const json::value& view) {
  Table table({"time", "version", "actor", "event", "entity"});
  for (const auto& e : arr(view, "entries")) {
    table.add({text(at(e, "time")), text(at(e, "version")), text(at(e, "actor")),
               text(at(e, "type")), text(at(e, "entity"))});
  }
  return table.str();
}

std::string changed_keys(const json::value& before, const json::value& after) {
  if (before.is_null()) return "created";
  if (after.is_null()) return "removed";
  std::string keys;
  if (!before.is_object() || !after.is_object()) return keys;
  for (const auto& [key, value] : after.get_object()) {
    const auto* old = before.get_object().if_contains(key);
    if (old == nullptr || *old != value) keys += (keys.empty() ? "" : ", ") + std::string(key);
  }
  return keys;
}

std::string history_text(const json::value& view) {
  Table table({"time", "version", "actor", "event", "entity", "changed"});
  for (const auto& c : arr(view, "changes")) {
    table.add({text(at(c, "time")), text(at(c, "version")), text(at(c, "actor")),
               text(at(c, "type")), text(at(c, "entity")),
               changed_keys(at(c, "before"), at(c, "after"))});
  }
  return "History of " + text(at(view, "entity")) + "\n\n" + table.str();
}

}  // namespace

std::string render_text(View view, const json::value& json) {
  switch (view) {
    case View::document: return document_text(json);
    case View::roadmap: return heading(json, "Roadmap") + roadmap_text(json);
    case View::opds: return heading(json, "OPD matrix") + opds_text(json);
    case View::budget: return heading(json, "Budget") + budget_text(json);
    case View::coverage: return heading(json, "Coverage") + coverage_text(json);
    case View::activity: return heading(json, "Activity") + activity_text(json);
    case View::history: return history_text(json);
  }
  return {};
}

std::string render_diff_text(const json::value& diff) {
  std::string out = "Changes of " + text(at(diff, "masterplan")) + " from version " +
                    text(at(diff, "from")) + " to " + text(at(diff, "to")) + "\n";
  for (const auto& c : arr(diff, "changes")) {
    const std::string change = text(at(c, "change"));
    const char mark = change == "added" ? '+' : change == "removed" ? '-' : '~';
    out += std::string(1, mark) + " " + text(at(c, "entity"));
    if (change == "changed") {
      std::string fields;
      for (const auto& f : arr(c, "fields")) {
        const std::string key = text(f);
        const auto& before = at(at(c, "before"), key);
        const auto& after = at(at(c, "after"), key);
        const bool simple = !before.is_structured() && !after.is_structured();
        fields += (fields.empty() ? "" : "; ") + key;
        if (simple) fields += ": " + scalar(before) + " → " + scalar(after);
      }
      out += "  " + fields;
    } else {
      const auto& side = change == "added" ? at(c, "after") : at(c, "before");
      for (const char* key : {"title", "name", "text"}) {
        if (at(side, key).is_string()) {
          out += "  \"" + text(at(side, key)) + "\"";
          break;
        }
      }
    }
    out += "\n";
  }
  if (arr(diff, "changes").empty()) out += "(no change)\n";
  return out;
}

}  // namespace rembuk::projections
