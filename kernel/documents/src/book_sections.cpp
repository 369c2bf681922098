// The sections the four books share, from the document view. Numbers go through
// number_format (121 orang, Rp 1,2 miliar); a section with nothing to show says what is
// missing and which Bimtek stage fills it (not_yet).
#include <map>

#include "book.hpp"
#include "json_read.hpp"

namespace rembuk::documents::detail {
namespace {

namespace json = boost::json;
using Row = std::vector<std::string>;

std::map<std::string, std::string> opd_names(const json::value& doc) {
  std::map<std::string, std::string> names;
  for (const auto& opd : items(at(doc, "opds"))) {
    const auto short_name = text(opd, "shortName");
    names[text(opd, "opdId")] = short_name.empty() ? text(opd, "name") : short_name;
  }
  return names;
}

std::string opd_label(const std::map<std::string, std::string>& names, const std::string& id) {
  if (id.empty()) return "—";
  auto it = names.find(id);
  return it == names.end() || it->second.empty() ? id : it->second;
}

std::string years_of(const json::value& p) {
  const auto start = integer(p, "startYear");
  const auto end = integer(p, "endYear");
  return start == end ? std::to_string(start) : std::to_string(start) + "–" + std::to_string(end);
}

std::int64_t program_total(const json::value& p) {
  std::int64_t total = 0;
  for (const auto& line : items(at(p, "budget"))) total += integer(line, "amount");
  return total;
}

std::string dimension_name(const json::value& d, Lang lang) {
  std::string name = text(d, lang == Lang::id ? "nameId" : "nameEn");
  if (name.empty()) name = text(d, "nameId");
  if (name.empty()) name = text(d, "dimension");
  if (!text(d, "plugin").empty()) name += say(lang, " (pilar kearifan lokal)", " (local pillar)");
  return name;
}

std::string element_name(const json::value& e, Lang lang) {
  std::string name = text(e, lang == Lang::id ? "nameId" : "nameEn");
  if (name.empty()) name = text(e, "nameId");
  return name.empty() ? text(e, "element") : name;
}

// Every program of the document view in the order of its dimensions and elements.
template <typename F>
void each_program(const json::value& doc, F f) {
  for (const auto& d : items(at(doc, "dimensions"))) {
    for (const auto& e : items(at(d, "elements"))) {
      for (const auto& p : items(at(e, "programs"))) f(d, e, p);
    }
  }
}

std::string axis_name(const std::string& axis, Lang lang) {
  if (axis == "struktur") return say(lang, "Struktur", "Structure");
  if (axis == "infrastruktur") return say(lang, "Infrastruktur", "Infrastructure");
  if (axis == "suprastruktur") return say(lang, "Suprastruktur", "Superstructure");
  return axis;
}

std::string source_name(const std::string& source, Lang lang) {
  if (source == "APBD_PROVINSI") return say(lang, "APBD Provinsi", "Provincial APBD");
  if (source == "KPBU") return say(lang, "KPBU", "KPBU (PPP)");
  if (source == "SWASTA") return say(lang, "Swasta", "Private");
  return source;  // APBD, APBN, CSR
}

}  // namespace

std::string status_name(const std::string& status, Lang lang) {
  if (status == "draft") return say(lang, "Draf", "Draft");
  if (status == "submitted") return say(lang, "Diajukan", "Submitted");
  if (status == "under_review") return say(lang, "Dalam penilaian", "Under review");
  if (status == "approved") return say(lang, "Disetujui", "Approved");
  return status;
}

Block not_yet(Lang lang, const std::string& what, int stage) {
  Block b;
  b.kind = Block::Kind::note;
  static const char* const numerals[] = {"", "I", "II", "III", "IV"};
  const std::string when = stage >= 1 && stage <= 4 ? numerals[stage] : "";
  b.text = lang == Lang::id
               ? "Belum diisi: " + what + (when.empty() ? "" : " (diisi pada Bimtek tahap " + when + ")") + "."
               : "Not yet filled in: " + what + (when.empty() ? "" : " (filled in at Bimtek stage " + when + ")") + ".";
  return b;
}

namespace sections {

void identity(const json::value& doc, Lang lang, std::vector<Block>& out) {
  const auto& id = at(doc, "identity");
  const auto& period = at(id, "period");
  std::vector<Row> rows{
      {say(lang, "Daerah", "Region"), text(id, "cityName")},
      {say(lang, "Kode wilayah", "Region code"), text(id, "regionCode")},
      {say(lang, "Periode masterplan", "Masterplan period"),
       text(period, "startYear") + "–" + text(period, "endYear") + " (" +
           text(period, "years") + say(lang, " tahun)", " years)")},
      {say(lang, "Status", "Status"), status_name(text(id, "status"), lang)}};
  const auto& rpjmd = at(id, "rpjmd");
  if (rpjmd.is_object()) {
    std::string r = text(rpjmd, "title") + " (" + text(rpjmd, "startYear") + "–" +
                    text(rpjmd, "endYear") + ")";
    if (!text(rpjmd, "regulation").empty()) r += ", " + text(rpjmd, "regulation");
    rows.push_back({"RPJMD", r});
  }
  std::size_t programs = 0, quick = 0;
  each_program(doc, [&](const auto&, const auto&, const auto& p) {
    ++programs;
    quick += flag(p, "quickWin") ? 1 : 0;
  });
  rows.push_back({say(lang, "Program", "Programs"), format_integer(static_cast<std::int64_t>(programs), lang)});
  rows.push_back({"Quick win", format_integer(static_cast<std::int64_t>(quick), lang)});
  rows.push_back({say(lang, "Total anggaran", "Total budget"),
                  format_rupiah(integer(at(doc, "budget"), "total"), lang)});
  rows.push_back({"OPD", format_integer(static_cast<std::int64_t>(items(at(doc, "opds")).size()), lang)});
  out.push_back(table({say(lang, "Uraian", "Item"), say(lang, "Keterangan", "Value")},
                      std::move(rows)));
}

void readiness_axis(const json::value& doc, const std::string& axis, Lang lang,
                    std::vector<Block>& out) {
  const auto& entries = items(at(at(doc, "readiness"), axis));
  if (entries.empty()) {
    out.push_back(not_yet(lang, say(lang, "data kesiapan ", "readiness data on ") +
                                    axis_name(axis, lang), 1));
    return;
  }
  std::vector<Row> rows;
  for (const auto& e : entries) {
    rows.push_back({text(e, "title"),
                    at(e, "quantity").is_null() ? "—"
                                                : quantity_text(at(e, "quantity"), text(e, "unit"), lang),
                    text(e, "description")});
  }
  out.push_back(table({say(lang, "Uraian", "Item"), say(lang, "Jumlah", "Quantity"),
                       say(lang, "Keterangan", "Description")},
                      std::move(rows), {false, true, false}));
  // SWOT: each entry's quadrant, as the Bimtek I worksheet lays it out.
  static const char* const quadrants[][3] = {{"strength", "Kekuatan (S)", "Strengths (S)"},
                                            {"weakness", "Kelemahan (W)", "Weaknesses (W)"},
                                            {"opportunity", "Peluang (O)", "Opportunities (O)"},
                                            {"threat", "Ancaman (T)", "Threats (T)"}};
  out.push_back(heading(3, "SWOT " + axis_name(axis, lang)));
  std::vector<Row> swot;
  bool any = false;
  for (const auto& q : quadrants) {
    std::string listed;
    for (const auto& e : entries) {
      if (text(e, "swot") != q[0]) continue;
      listed += (listed.empty() ? "" : "; ") + text(e, "title");
      any = true;
    }
    swot.push_back({say(lang, q[1], q[2]), listed.empty() ? "—" : listed});
  }
  if (!any) {
    out.push_back(not_yet(lang, "SWOT " + axis_name(axis, lang), 1));
    return;
  }
  out.push_back(table({say(lang, "Kuadran", "Quadrant"), say(lang, "Butir", "Items")},
                      std::move(swot)));
}

void readiness_summary(const json::value& doc, Lang lang, std::vector<Block>& out) {
  for (const std::string axis : {"struktur", "infrastruktur", "suprastruktur"}) {
    out.push_back(heading(3, axis_name(axis, lang)));
    const auto& entries = items(at(at(doc, "readiness"), axis));
    if (entries.empty()) {
      out.push_back(not_yet(lang, say(lang, "data kesiapan ", "readiness data on ") +
                                      axis_name(axis, lang), 1));
      continue;
    }
    std::vector<std::string> lines;
    for (const auto& e : entries) {
      std::string line = text(e, "title");
      if (!at(e, "quantity").is_null()) {
        line += ": " + quantity_text(at(e, "quantity"), text(e, "unit"), lang);
      }
      lines.push_back(std::move(line));
    }
    out.push_back(list(std::move(lines)));
  }
}

void gap_analysis(const json::value& doc, Lang lang, std::vector<Block>& out) {
  std::vector<Row> rows;
  for (const auto& g : items(at(doc, "gaps"))) {
    rows.push_back({axis_name(text(g, "axis"), lang), text(g, "current"), text(g, "expected"),
                    text(g, "action").empty() ? "—" : text(g, "action")});
  }
  if (rows.empty()) {
    out.push_back(not_yet(lang, say(lang, "analisis kesenjangan", "the gap analysis"), 1));
    return;
  }
  out.push_back(table({say(lang, "Aspek", "Axis"), say(lang, "Kondisi saat ini", "Today"),
                       say(lang, "Kondisi yang diharapkan", "Expected"),
                       say(lang, "Langkah", "Action")},
                      std::move(rows)));
}

void strategic_issues(const json::value& doc, Lang lang, std::vector<Block>& out) {
  if (items(at(doc, "strategicIssues")).empty()) {
    out.push_back(not_yet(lang, say(lang, "isu strategis", "strategic issues"), 1));
    return;
  }
  for (const auto& group : items(at(doc, "strategicIssues"))) {
    out.push_back(heading(3, dimension_name(group, lang)));
    std::vector<std::string> lines;
    for (const auto& issue : items(at(group, "issues"))) lines.push_back(text(issue, "text"));
    out.push_back(list(std::move(lines)));
  }
}

void vision(const json::value& doc, Lang lang, std::vector<Block>& out) {
  const auto v = text(doc, "vision");
  if (v.empty()) {
    out.push_back(not_yet(lang, say(lang, "visi smart city", "the smart-city vision"), 1));
    return;
  }
  Block quote = paragraph("“" + v + "”");
  quote.anchor = "vision";  // styled as the book's motto
  out.push_back(std::move(quote));
}

void missions(const json::value& doc, Lang lang, std::vector<Block>& out) {
  const auto& all = items(at(doc, "missions"));
  if (all.empty()) {
    out.push_back(not_yet(lang, say(lang, "misi", "the missions"), 2));
    return;
  }
  // Which programs serve each mission (Bimtek II's mapping), when the view carries it.
  std::map<std::string, std::vector<std::string>> served;
  std::size_t unmapped = 0;
  each_program(doc, [&](const auto&, const auto&, const auto& p) {
    const auto& ms = items(at(p, "missions"));
    if (ms.empty()) ++unmapped;
    for (const auto& m : ms) served[text(m)].push_back(text(p, "title"));
  });
  std::vector<Row> rows;
  int n = 0;
  for (const auto& m : all) {
    std::string programs;
    for (const auto& title : served[text(m, "missionId")]) {
      programs += (programs.empty() ? "" : "; ") + title;
    }
    rows.push_back({std::to_string(++n), text(m, "text"), programs.empty() ? "—" : programs});
  }
  out.push_back(table({say(lang, "No.", "No."), say(lang, "Misi", "Mission"),
                       say(lang, "Program yang melayani", "Programs serving it")},
                      std::move(rows), {true, false, false}));
  if (served.empty()) {
    out.push_back(not_yet(lang, say(lang, "pemetaan program ke misi", "the mapping of programs to missions"), 2));
  } else if (unmapped > 0) {
    out.push_back(not_yet(lang, format_integer(static_cast<std::int64_t>(unmapped), lang) +
                                    say(lang, " program belum dipetakan ke misi",
                                        " programs not yet mapped to a mission"),
                          2));
  }
}

void strategies(const json::value& doc, Lang lang, std::vector<Block>& out) {
  std::map<std::string, std::vector<std::string>> by_dimension;
  for (const auto& s : items(at(doc, "strategies"))) {
    by_dimension[text(s, "dimension")].push_back(text(s, "text"));
  }
  if (by_dimension.empty()) {
    out.push_back(not_yet(lang, say(lang, "strategi per dimensi", "a strategy per dimension"), 3));
    return;
  }
  std::vector<Row> rows;
  for (const auto& d : items(at(doc, "dimensions"))) {
    auto it = by_dimension.find(text(d, "dimension"));
    std::string texts;
    if (it != by_dimension.end()) {
      for (const auto& t : it->second) texts += (texts.empty() ? "" : " ") + t;
    }
    rows.push_back({dimension_name(d, lang), texts.empty() ? say(lang, "(belum diisi)", "(not yet filled in)") : texts});
  }
  out.push_back(table({say(lang, "Dimensi", "Dimension"), say(lang, "Strategi", "Strategy")},
                      std::move(rows)));
}

void programs_by_dimension(const json::value& doc, Lang lang, std::vector<Block>& out) {
  const auto opds = opd_names(doc);
  for (const auto& d : items(at(doc, "dimensions"))) {
    out.push_back(heading(3, dimension_name(d, lang)));
    std::vector<Row> rows;
    std::int64_t total = 0;
    for (const auto& e : items(at(d, "elements"))) {
      for (const auto& p : items(at(e, "programs"))) {
        std::string title = text(p, "title");
        if (flag(p, "quickWin")) title += " (quick win)";
        rows.push_back({title, element_name(e, lang), opd_label(opds, text(p, "leadOpd")),
                        years_of(p), format_rupiah(program_total(p), lang)});
        total += program_total(p);
      }
    }
    if (rows.empty()) {
      out.push_back(not_yet(lang, say(lang, "program untuk dimensi ini", "a program for this dimension"), 2));
      continue;
    }
    rows.push_back({say(lang, "Jumlah", "Total"), "", "", "", format_rupiah(total, lang)});
    out.push_back(table({"Program", say(lang, "Elemen", "Element"), say(lang, "OPD pengampu", "Lead OPD"),
                         say(lang, "Tahun", "Years"), say(lang, "Anggaran", "Budget")},
                        std::move(rows), {false, false, false, true, true}));
    std::vector<Row> described;
    for (const auto& e : items(at(d, "elements"))) {
      for (const auto& p : items(at(e, "programs"))) {
        if (!text(p, "description").empty()) described.push_back({text(p, "title"), text(p, "description")});
      }
    }
    if (!described.empty()) {
      out.push_back(table({"Program", say(lang, "Uraian", "Description")}, std::move(described)));
    }
  }
}

void dimension_summary(const json::value& doc, Lang lang, std::vector<Block>& out) {
  std::vector<Row> rows;
  std::map<std::string, std::int64_t> amounts;
  for (const auto& b : items(at(at(doc, "budget"), "byDimension"))) {
    amounts[text(b, "dimension")] = integer(b, "amount");
  }
  std::size_t all_programs = 0, all_quick = 0;
  for (const auto& d : items(at(doc, "dimensions"))) {
    std::size_t programs = 0, quick = 0;
    for (const auto& e : items(at(d, "elements"))) {
      for (const auto& p : items(at(e, "programs"))) {
        ++programs;
        quick += flag(p, "quickWin") ? 1 : 0;
      }
    }
    all_programs += programs;
    all_quick += quick;
    rows.push_back({dimension_name(d, lang), format_integer(static_cast<std::int64_t>(programs), lang),
                    format_integer(static_cast<std::int64_t>(quick), lang),
                    format_rupiah_short(amounts[text(d, "dimension")], lang)});
  }
  rows.push_back({say(lang, "Jumlah", "Total"), format_integer(static_cast<std::int64_t>(all_programs), lang),
                  format_integer(static_cast<std::int64_t>(all_quick), lang),
                  format_rupiah_short(integer(at(doc, "budget"), "total"), lang)});
  out.push_back(table({say(lang, "Dimensi", "Dimension"), "Program", "Quick win",
                       say(lang, "Anggaran", "Budget")},
                      std::move(rows), {false, true, true, true}));
}

void quick_win_table(const json::value& doc, Lang lang, std::vector<Block>& out) {
  const auto opds = opd_names(doc);
  std::vector<Row> rows;
  each_program(doc, [&](const auto& d, const auto&, const auto& p) {
    if (!flag(p, "quickWin")) return;
    rows.push_back({text(p, "title"), dimension_name(d, lang), opd_label(opds, text(p, "leadOpd")),
                    years_of(p), format_rupiah(program_total(p), lang)});
  });
  if (rows.empty()) {
    out.push_back(not_yet(lang, say(lang, "program quick win", "quick-win programs"), 3));
    return;
  }
  out.push_back(table({"Program", say(lang, "Dimensi", "Dimension"), say(lang, "OPD pengampu", "Lead OPD"),
                       say(lang, "Tahun", "Years"), say(lang, "Anggaran", "Budget")},
                      std::move(rows), {false, false, false, true, true}));
}

void quick_win_profile(const json::value& doc, const json::value& p, Lang lang,
                       std::vector<Block>& out) {
  const auto opds = opd_names(doc);
  const auto& profile = at(p, "quickWinProfile");
  auto field = [&](const char* key) {
    const auto value = text(profile, key);
    return value.empty() ? say(lang, "(belum diisi)", "(not yet filled in)") : value;
  };
  std::string supporting;
  for (const auto& s : items(at(p, "supportingOpds"))) {
    supporting += (supporting.empty() ? "" : ", ") + opd_label(opds, text(s));
  }
  std::string dimension = text(p, "dimension");
  for (const auto& d : items(at(doc, "dimensions"))) {
    if (text(d, "dimension") == dimension) dimension = dimension_name(d, lang);
  }
  std::vector<Row> rows{
      {say(lang, "Dimensi", "Dimension"), dimension},
      {say(lang, "Tujuan", "Objective"), field("objective")},
      {say(lang, "Lokasi", "Location"), field("location")},
      {say(lang, "Penerima manfaat", "Beneficiaries"), field("beneficiaries")},
      {say(lang, "Jadwal pelaksanaan", "Timeline"), field("timeline")},
      {say(lang, "Tahun", "Years"), years_of(p)},
      {say(lang, "Anggaran", "Budget"), format_rupiah(program_total(p), lang)},
      {say(lang, "OPD pengampu", "Lead OPD"), opd_label(opds, text(p, "leadOpd"))},
      {say(lang, "OPD pendukung", "Supporting OPDs"), supporting.empty() ? "—" : supporting}};
  out.push_back(table({say(lang, "Uraian", "Item"), say(lang, "Keterangan", "Value")},
                      std::move(rows)));
  if (!profile.is_object()) {
    out.push_back(not_yet(lang, say(lang, "profil quick win ini (tujuan, lokasi, penerima manfaat, jadwal)",
                                    "this quick win's profile (objective, location, beneficiaries, timeline)"),
                          4));
  }
  if (!text(p, "description").empty()) {
    out.push_back(heading(4, say(lang, "Uraian kegiatan", "Description")));
    out.push_back(paragraph(text(p, "description")));
  }
  std::vector<Row> budget;
  for (const auto& line : items(at(p, "budget"))) {
    budget.push_back({text(line, "year"), source_name(text(line, "source"), lang),
                      format_rupiah(integer(line, "amount"), lang)});
  }
  if (!budget.empty()) {
    out.push_back(heading(4, say(lang, "Rincian anggaran", "Budget lines")));
    out.push_back(table({say(lang, "Tahun", "Year"), say(lang, "Sumber", "Source"),
                         say(lang, "Anggaran", "Budget")},
                        std::move(budget), {true, false, true}));
  }
  std::vector<Row> indicators;
  for (const auto& i : items(at(p, "indicators"))) {
    std::string targets;
    for (const auto& t : items(at(i, "targets"))) {
      targets += (targets.empty() ? "" : "; ") + text(t, "year") + ": " +
                 quantity_text(at(t, "value"), text(i, "unit"), lang);
    }
    const auto& base = at(i, "baseline");
    std::string baseline = "—";
    if (base.is_object()) {
      baseline = quantity_text(at(base, "value"), text(i, "unit"), lang);
      if (!text(base, "year").empty()) baseline += " (" + text(base, "year") + ")";
    }
    indicators.push_back({text(i, "name"), baseline, targets.empty() ? "—" : targets});
  }
  if (!indicators.empty()) {
    out.push_back(heading(4, say(lang, "Indikator", "Indicators")));
    out.push_back(table({say(lang, "Indikator", "Indicator"), "Baseline", "Target"},
                        std::move(indicators)));
  }
}

void roadmap(const json::value& doc, Lang lang, std::vector<Block>& out) {
  Block figure;
  figure.kind = Block::Kind::figure;
  figure.text = roadmap_svg(doc);
  figure.caption = say(lang, "Peta jalan program per tahun (QW: quick win)",
                       "Programs per year (QW: quick win)");
  out.push_back(std::move(figure));
  std::vector<Row> rows;
  for (const auto& year : items(at(at(doc, "roadmap"), "years"))) {
    std::string programs;
    for (const auto& d : items(at(year, "dimensions"))) {
      for (const auto& p : items(at(d, "programs"))) {
        programs += (programs.empty() ? "" : "; ") + text(p, "title");
        if (flag(p, "quickWin")) programs += " (QW)";
      }
    }
    rows.push_back({text(year, "year"), number_text(at(year, "programs"), lang),
                    number_text(at(year, "quickWins"), lang), programs.empty() ? "—" : programs});
  }
  out.push_back(table({say(lang, "Tahun", "Year"), "Program", "Quick win",
                       say(lang, "Program berjalan", "Running programs")},
                      std::move(rows), {true, true, true, false}));
}

void budget(const json::value& doc, Lang lang, std::vector<Block>& out) {
  const auto& b = at(doc, "budget");
  const auto total = integer(b, "total");
  out.push_back(paragraph(say(lang, "Total anggaran masterplan: ", "Total budget of the masterplan: ") +
                          format_rupiah(total, lang) + " (" + format_rupiah_short(total, lang) + ")."));
  Block figure;
  figure.kind = Block::Kind::figure;
  figure.text = budget_svg(doc, lang);
  figure.caption = say(lang, "Anggaran per tahun menurut sumber", "Budget per year by source");
  out.push_back(std::move(figure));
  std::vector<Row> by_year;
  for (const auto& y : items(at(b, "byYear"))) {
    by_year.push_back({text(y, "year"), format_rupiah(integer(y, "amount"), lang)});
  }
  by_year.push_back({say(lang, "Jumlah", "Total"), format_rupiah(total, lang)});
  out.push_back(heading(3, say(lang, "Per tahun", "By year")));
  out.push_back(table({say(lang, "Tahun", "Year"), say(lang, "Anggaran", "Budget")},
                      std::move(by_year), {true, true}));
  std::vector<Row> by_source;
  for (const auto& s : items(at(b, "bySource"))) {
    const auto amount = integer(s, "amount");
    const double share = total > 0 ? 100.0 * static_cast<double>(amount) / static_cast<double>(total) : 0;
    by_source.push_back({source_name(text(s, "source"), lang), format_rupiah(amount, lang),
                         format_percent(share, lang)});
  }
  out.push_back(heading(3, say(lang, "Per sumber dana", "By source")));
  out.push_back(table({say(lang, "Sumber", "Source"), say(lang, "Anggaran", "Budget"),
                       say(lang, "Porsi", "Share")},
                      std::move(by_source), {false, true, true}));
  std::vector<Row> by_dimension;
  std::map<std::string, std::string> names;
  for (const auto& d : items(at(doc, "dimensions"))) names[text(d, "dimension")] = dimension_name(d, lang);
  for (const auto& d : items(at(b, "byDimension"))) {
    const auto id = text(d, "dimension");
    by_dimension.push_back({names.count(id) != 0 ? names[id] : id, format_rupiah(integer(d, "amount"), lang)});
  }
  out.push_back(heading(3, say(lang, "Per dimensi", "By dimension")));
  out.push_back(table({say(lang, "Dimensi", "Dimension"), say(lang, "Anggaran", "Budget")},
                      std::move(by_dimension), {false, true}));
}

void indicators(const json::value& doc, Lang lang, std::vector<Block>& out) {
  std::vector<Row> rows;
  each_program(doc, [&](const auto&, const auto&, const auto& p) {
    for (const auto& i : items(at(p, "indicators"))) {
      const auto unit = text(i, "unit");
      std::string baseline = "—";
      const auto& base = at(i, "baseline");
      if (base.is_object()) {
        baseline = quantity_text(at(base, "value"), unit, lang);
        if (!text(base, "year").empty()) baseline += " (" + text(base, "year") + ")";
      }
      std::string targets;
      for (const auto& t : items(at(i, "targets"))) {
        targets += (targets.empty() ? "" : "; ") + text(t, "year") + ": " +
                   quantity_text(at(t, "value"), unit, lang);
      }
      rows.push_back({text(p, "title"), text(i, "name"), baseline, targets.empty() ? "—" : targets});
    }
  });
  if (rows.empty()) {
    out.push_back(not_yet(lang, say(lang, "indikator program", "program indicators"), 3));
    return;
  }
  out.push_back(table({"Program", say(lang, "Indikator", "Indicator"), "Baseline",
                       say(lang, "Target per tahun", "Target per year")},
                      std::move(rows)));
}

void commitments(const json::value& doc, Lang lang, std::vector<Block>& out) {
  const auto opds = opd_names(doc);
  std::vector<Row> rows;
  for (const auto& c : items(at(doc, "commitmentLetters"))) {
    const bool head = text(c, "signatory") == "head_of_region";
    rows.push_back({head ? say(lang, "Kepala daerah", "Head of region")
                         : say(lang, "Kepala ", "Head of ") + opd_label(opds, text(c, "opdId")),
                    text(c, "signatoryName"), text(c, "letterNumber"), text(c, "date")});
  }
  if (rows.empty()) {
    out.push_back(not_yet(lang, say(lang, "surat komitmen kepala daerah dan kepala OPD pengampu",
                                    "commitment letters of the head of region and the lead OPDs' heads"),
                          4));
    return;
  }
  out.push_back(table({say(lang, "Penanda tangan", "Signatory"), say(lang, "Nama", "Name"),
                       say(lang, "Nomor surat", "Letter number"), say(lang, "Tanggal", "Date")},
                      std::move(rows)));
}

void bimtek_process(const json::value& doc, Lang lang, std::vector<Block>& out) {
  const auto& mou = at(doc, "mou");
  if (mou.is_object() && !text(mou, "date").empty()) {
    std::string line = say(lang, "Nota kesepahaman (MoU) dengan kementerian ditandatangani pada ",
                           "The memorandum of understanding with the ministry was signed on ") +
                       text(mou, "date");
    if (!text(mou, "signedBy").empty()) line += say(lang, " oleh ", " by ") + text(mou, "signedBy");
    out.push_back(paragraph(line + "."));
  }
  static const char* const numerals[] = {"", "I", "II", "III", "IV"};
  std::vector<Row> rows;
  for (const auto& stage : items(at(doc, "stages"))) {
    const auto n = integer(stage, "stage");
    if (n < 1 || n > 4) continue;
    std::string when = text(stage, "heldDate");
    if (when.empty() && !text(stage, "scheduledDate").empty()) {
      when = text(stage, "scheduledDate") + say(lang, " (jadwal)", " (scheduled)");
    }
    std::string where = text(stage, "place");
    if (where.empty() && !text(stage, "onlineLink").empty()) where = say(lang, "daring", "online");
    std::string experts;
    for (const auto& e : items(at(stage, "experts"))) experts += (experts.empty() ? "" : ", ") + text(e);
    const std::string present =
        format_integer(static_cast<std::int64_t>(items(at(stage, "members")).size()), lang) +
        say(lang, " anggota, ", " members, ") +
        format_integer(static_cast<std::int64_t>(items(at(stage, "opds")).size()), lang) + " OPD";
    rows.push_back({say(lang, "Tahap ", "Stage ") + numerals[n], when.empty() ? "—" : when,
                    where.empty() ? "—" : where, experts.empty() ? "—" : experts, present,
                    flag(stage, "closed") ? say(lang, "Ditutup", "Closed") : say(lang, "Belum ditutup", "Open")});
  }
  if (rows.empty()) {
    out.push_back(not_yet(lang, say(lang, "jadwal dan pelaksanaan tahap Bimtek",
                                    "the schedule and sessions of the Bimtek stages"),
                          0));
  } else {
    out.push_back(table({say(lang, "Tahap", "Stage"), say(lang, "Tanggal", "Date"),
                         say(lang, "Tempat", "Place"), say(lang, "Tenaga ahli", "Experts"),
                         say(lang, "Kehadiran", "Attendance"), "Status"},
                        std::move(rows)));
  }
  const auto& presentation = at(doc, "presentation");
  out.push_back(heading(3, say(lang, "Presentasi kepada kementerian", "Presentation to the ministry")));
  if (!presentation.is_object()) {
    out.push_back(not_yet(lang, say(lang, "presentasi kepada kementerian", "the presentation to the ministry"), 4));
    return;
  }
  std::string evaluators;
  for (const auto& e : items(at(presentation, "evaluators"))) evaluators += (evaluators.empty() ? "" : ", ") + text(e);
  const auto outcome = text(presentation, "outcome");
  const std::string outcome_text =
      outcome == "accepted"                  ? say(lang, "Diterima", "Accepted")
      : outcome == "accepted_with_revisions" ? say(lang, "Diterima dengan perbaikan", "Accepted with revisions")
      : outcome == "rejected"                ? say(lang, "Ditolak", "Rejected")
                                             : outcome;
  out.push_back(table({say(lang, "Uraian", "Item"), say(lang, "Keterangan", "Value")},
                      {{say(lang, "Tanggal", "Date"), text(presentation, "date")},
                       {say(lang, "Penilai", "Evaluators"), evaluators.empty() ? "—" : evaluators},
                       {say(lang, "Hasil", "Outcome"), outcome_text.empty() ? "—" : outcome_text},
                       {say(lang, "Catatan", "Notes"), text(presentation, "notes").empty() ? "—" : text(presentation, "notes")}}));
}

void bimtek_checklist(const json::value& doc, Lang lang, std::vector<Block>& out) {
  static const char* const numerals[] = {"", "I", "II", "III", "IV"};
  const auto opds = opd_names(doc);
  std::vector<Row> rows;
  for (const auto& stage : items(at(doc, "stageOutputs"))) {
    const auto n = integer(stage, "stage");
    if (n < 1 || n > 4) continue;
    std::size_t done = 0, total = 0;
    std::string missing;
    for (const auto& item : items(at(stage, "items"))) {
      ++total;
      if (flag(item, "done")) {
        ++done;
        continue;
      }
      const auto owed = text(item, "owedBy");
      missing += (missing.empty() ? "" : "; ") + text(item, lang == Lang::id ? "labelId" : "labelEn") +
                 " (" + (owed.empty() || owed == "tim_pelaksana" ? std::string("Tim Pelaksana")
                                                                 : opd_label(opds, owed)) +
                 ")";
    }
    rows.push_back({say(lang, "Tahap ", "Stage ") + numerals[n],
                    flag(stage, "closed") ? say(lang, "Ditutup", "Closed") : say(lang, "Terbuka", "Open"),
                    format_integer(static_cast<std::int64_t>(done), lang) + say(lang, " dari ", " of ") +
                        format_integer(static_cast<std::int64_t>(total), lang),
                    missing.empty() ? "—" : missing});
  }
  if (rows.empty()) return;
  out.push_back(table({say(lang, "Tahap", "Stage"), "Status", say(lang, "Keluaran selesai", "Outputs done"),
                       say(lang, "Yang belum ada (penanggung jawab)", "Still missing (owed by)")},
                      std::move(rows), {false, false, true, false}));
}

}  // namespace sections
}  // namespace rembuk::documents::detail
