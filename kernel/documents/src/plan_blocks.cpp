// The masterplan in the order of a Kominfo Smart City masterplan (Buku Masterplan):
// identity, readiness, strategic issues, vision and missions, each dimension and local
// pillar with its programs, quick wins, the roadmap per year, budget, indicators; then the
// appendices (OPDs, members, plugins, and the changes since the previous submission).
// Headings are bilingual (Indonesian / English) like the rest of rembuk.
#include <map>

#include "json_read.hpp"
#include "plan_blocks.hpp"

namespace rembuk::documents::detail {
namespace {

namespace json = boost::json;
using Row = std::vector<std::string>;

std::string years_of(const json::value& p) {
  const auto start = integer(p, "startYear");
  const auto end = integer(p, "endYear");
  return start == end ? std::to_string(start) : std::to_string(start) + "–" + std::to_string(end);
}

std::map<std::string, std::string> opd_names(const json::value& doc) {
  std::map<std::string, std::string> names;
  for (const auto& opd : items(at(doc, "opds"))) {
    const auto short_name = text(opd, "shortName");
    names[text(opd, "opdId")] = short_name.empty() ? text(opd, "name") : short_name;
  }
  return names;
}

std::string opd_label(const std::map<std::string, std::string>& names, const std::string& id) {
  auto it = names.find(id);
  return it == names.end() || it->second.empty() ? id : it->second;
}

void identity(const json::value& doc, std::vector<Block>& out) {
  const auto& id = at(doc, "identity");
  out.push_back(heading(2, "1. Identitas / Identity", "identity"));
  std::vector<Row> rows{
      {"Kota / City", text(id, "cityName")},
      {"Kode wilayah / Region code", text(id, "regionCode")},
      {"Periode / Period", text(at(id, "period"), "startYear") + "–" +
                               text(at(id, "period"), "endYear") + " (" +
                               text(at(id, "period"), "years") + " tahun / years)"},
      {"Status", text(id, "status")},
      {"Dibuat oleh / Created by", text(id, "createdBy")}};
  const auto& rpjmd = at(id, "rpjmd");
  if (rpjmd.is_object()) {
    std::string r = text(rpjmd, "title") + " (" + text(rpjmd, "startYear") + "–" +
                    text(rpjmd, "endYear") + ")";
    if (!text(rpjmd, "regulation").empty()) r += ", " + text(rpjmd, "regulation");
    rows.push_back({"RPJMD", r});
  }
  out.push_back(table({"", ""}, std::move(rows)));
}

void readiness(const json::value& doc, std::vector<Block>& out) {
  out.push_back(heading(2, "2. Kesiapan daerah / Readiness", "readiness"));
  const auto& axes = at(doc, "readiness");
  if (!axes.is_object()) return;
  for (const auto& [axis, entries] : axes.as_object()) {
    out.push_back(heading(3, std::string(axis)));
    std::vector<std::string> lines;
    for (const auto& e : items(entries)) {
      std::string line = text(e, "title");
      if (!at(e, "quantity").is_null()) {
        line += " — " + quantity_text(at(e, "quantity"), text(e, "unit"));
      }
      if (!text(e, "description").empty()) line += ". " + text(e, "description");
      lines.push_back(std::move(line));
    }
    if (lines.empty()) {
      out.push_back(paragraph("(belum diisi / none yet)"));
    } else {
      out.push_back(list(std::move(lines)));
    }
  }
}

std::string dimension_name(const json::value& d) {
  std::string name = text(d, "nameId");
  if (name.empty()) name = text(d, "dimension");
  if (!text(d, "nameEn").empty() && text(d, "nameEn") != name) name += " / " + text(d, "nameEn");
  if (!text(d, "plugin").empty()) name += " (pilar lokal / local pillar: " + text(d, "plugin") + ")";
  return name;
}

void strategic_issues(const json::value& doc, std::vector<Block>& out) {
  out.push_back(heading(2, "3. Isu strategis / Strategic issues", "issues"));
  if (items(at(doc, "strategicIssues")).empty()) {
    out.push_back(paragraph("(belum diisi / none yet)"));
  }
  for (const auto& group : items(at(doc, "strategicIssues"))) {
    out.push_back(heading(3, dimension_name(group)));
    std::vector<std::string> lines;
    for (const auto& issue : items(at(group, "issues"))) lines.push_back(text(issue, "text"));
    out.push_back(list(std::move(lines)));
  }
}

void vision(const json::value& doc, std::vector<Block>& out) {
  out.push_back(heading(2, "4. Visi dan misi / Vision and missions", "vision"));
  const auto v = text(doc, "vision");
  out.push_back(paragraph("Visi / Vision: " + (v.empty() ? std::string("(belum diisi / none yet)") : v)));
  std::vector<std::string> lines;
  for (const auto& m : items(at(doc, "missions"))) lines.push_back(text(m, "text"));
  if (!lines.empty()) {
    out.push_back(paragraph("Misi / Missions:"));
    out.push_back(list(std::move(lines)));
  }
}

void program(const json::value& p, const std::map<std::string, std::string>& opds,
             std::vector<Block>& out) {
  std::string title = text(p, "title") + " (" + text(p, "programId") + ")";
  if (flag(p, "quickWin")) title += " — quick win";
  out.push_back(heading(4, title));
  std::string facts = "OPD pengampu / Lead OPD: " + opd_label(opds, text(p, "leadOpd")) +
                      ". Tahun / Years: " + years_of(p) + ".";
  std::vector<std::string> supporting;
  for (const auto& s : items(at(p, "supportingOpds"))) supporting.push_back(opd_label(opds, text(s)));
  if (!supporting.empty()) {
    facts += " OPD pendukung / Supporting: ";
    for (std::size_t i = 0; i < supporting.size(); ++i) {
      facts += (i == 0 ? "" : ", ") + supporting[i];
    }
    facts += ".";
  }
  out.push_back(paragraph(facts));
  if (!text(p, "description").empty()) out.push_back(paragraph(text(p, "description")));
  std::vector<Row> budget;
  std::int64_t total = 0;
  for (const auto& line : items(at(p, "budget"))) {
    budget.push_back({text(line, "year"), text(line, "source"), rupiah(integer(line, "amount"))});
    total += integer(line, "amount");
  }
  if (!budget.empty()) {
    budget.push_back({"Jumlah / Total", "", rupiah(total)});
    out.push_back(table({"Tahun / Year", "Sumber / Source", "Anggaran / Budget"},
                        std::move(budget), {true, false, true}));
  }
}

void dimensions(const json::value& doc, std::vector<Block>& out) {
  out.push_back(heading(2, "5. Dimensi dan pilar / Dimensions and pillars", "dimensions"));
  const auto opds = opd_names(doc);
  for (const auto& d : items(at(doc, "dimensions"))) {
    out.push_back(heading(3, dimension_name(d)));
    bool any = false;
    for (const auto& element : items(at(d, "elements"))) {
      const auto& programs = items(at(element, "programs"));
      if (programs.empty()) continue;
      any = true;
      std::string name = text(element, "nameId");
      if (name.empty()) name = text(element, "element");
      if (!text(element, "nameEn").empty()) name += " / " + text(element, "nameEn");
      out.push_back(paragraph("Elemen / Element: " + name));
      for (const auto& p : programs) program(p, opds, out);
    }
    if (!any) out.push_back(paragraph("(belum ada program / no program yet)"));
  }
}

void quick_wins(const json::value& doc, std::vector<Block>& out) {
  out.push_back(heading(2, "6. Quick wins", "quick-wins"));
  const auto opds = opd_names(doc);
  std::vector<Row> rows;
  for (const auto& q : items(at(doc, "quickWins"))) {
    rows.push_back({text(q, "title"), text(q, "dimension"), opd_label(opds, text(q, "leadOpd")),
                    years_of(q)});
  }
  if (rows.empty()) {
    out.push_back(paragraph("(belum ada / none yet)"));
    return;
  }
  out.push_back(table({"Program", "Dimensi / Dimension", "OPD", "Tahun / Years"}, std::move(rows)));
}

void roadmap(const json::value& doc, std::vector<Block>& out) {
  out.push_back(heading(2, "7. Peta jalan / Roadmap", "roadmap"));
  Block figure;
  figure.kind = Block::Kind::figure;
  figure.text = roadmap_svg(doc);
  out.push_back(std::move(figure));
  std::vector<Row> rows;
  for (const auto& year : items(at(at(doc, "roadmap"), "years"))) {
    std::string programs;
    for (const auto& d : items(at(year, "dimensions"))) {
      for (const auto& p : items(at(d, "programs"))) {
        if (!programs.empty()) programs += "; ";
        programs += text(p, "title");
        if (flag(p, "quickWin")) programs += " (QW)";
      }
    }
    rows.push_back({text(year, "year"), text(year, "programs"), text(year, "quickWins"),
                    programs.empty() ? "—" : programs});
  }
  out.push_back(table({"Tahun / Year", "Program", "Quick wins", "Program berjalan / Running"},
                      std::move(rows), {true, true, true, false}));
}

void budget(const json::value& doc, std::vector<Block>& out) {
  out.push_back(heading(2, "8. Anggaran / Budget", "budget"));
  const auto& b = at(doc, "budget");
  std::vector<Row> by_year;
  for (const auto& y : items(at(b, "byYear"))) {
    by_year.push_back({text(y, "year"), rupiah(integer(y, "amount"))});
  }
  out.push_back(heading(3, "Per tahun / By year"));
  out.push_back(table({"Tahun / Year", "Anggaran / Budget"}, std::move(by_year), {true, true}));
  std::vector<Row> by_source;
  for (const auto& s : items(at(b, "bySource"))) {
    by_source.push_back({text(s, "source"), rupiah(integer(s, "amount"))});
  }
  out.push_back(heading(3, "Per sumber / By source"));
  out.push_back(table({"Sumber / Source", "Anggaran / Budget"}, std::move(by_source), {false, true}));
  std::vector<Row> by_dimension;
  for (const auto& d : items(at(b, "byDimension"))) {
    by_dimension.push_back({text(d, "dimension"), rupiah(integer(d, "amount"))});
  }
  out.push_back(heading(3, "Per dimensi / By dimension"));
  out.push_back(table({"Dimensi / Dimension", "Anggaran / Budget"}, std::move(by_dimension),
                      {false, true}));
  out.push_back(paragraph("Jumlah / Total: " + rupiah(integer(b, "total"))));
}

void indicators(const json::value& doc, std::vector<Block>& out) {
  out.push_back(heading(2, "9. Indikator / Indicators", "indicators"));
  std::vector<Row> rows;
  for (const auto& d : items(at(doc, "dimensions"))) {
    for (const auto& element : items(at(d, "elements"))) {
      for (const auto& p : items(at(element, "programs"))) {
        for (const auto& i : items(at(p, "indicators"))) {
          std::string baseline = "—";
          if (at(i, "baseline").is_object()) {
            baseline = number_text(at(at(i, "baseline"), "value"));
            if (!text(at(i, "baseline"), "year").empty()) {
              baseline += " (" + text(at(i, "baseline"), "year") + ")";
            }
          }
          std::string targets;
          for (const auto& t : items(at(i, "targets"))) {
            if (!targets.empty()) targets += ", ";
            targets += text(t, "year") + ": " + number_text(at(t, "value"));
          }
          rows.push_back({text(p, "title"), text(i, "name"), text(i, "unit"), baseline,
                          targets.empty() ? "—" : targets});
        }
      }
    }
  }
  if (rows.empty()) {
    out.push_back(paragraph("(belum ada / none yet)"));
    return;
  }
  out.push_back(table({"Program", "Indikator / Indicator", "Satuan / Unit",
                       "Baseline", "Target"},
                      std::move(rows)));
}

void appendices(const json::value& doc, std::vector<Block>& out) {
  out.push_back(heading(2, "Lampiran A. OPD / Appendix A. Agencies", "opds"));
  std::vector<Row> opds;
  for (const auto& o : items(at(doc, "opds"))) {
    opds.push_back({text(o, "opdId"), text(o, "name"), text(o, "shortName"),
                    flag(o, "retired") ? "yes" : ""});
  }
  out.push_back(table({"Id", "Nama / Name", "Singkatan / Short", "Retired"}, std::move(opds)));
  out.push_back(heading(2, "Lampiran B. Anggota / Appendix B. Members", "members"));
  std::vector<Row> members;
  for (const auto& m : items(at(doc, "members"))) {
    members.push_back({text(m, "userId"), text(m, "name"), text(m, "role"), text(m, "opdId")});
  }
  out.push_back(table({"User", "Nama / Name", "Peran / Role", "OPD"}, std::move(members)));
  std::vector<Row> plugins;
  for (const auto& p : items(at(doc, "plugins"))) {
    plugins.push_back({text(p, "name"), text(p, "version"), text(p, "sha256")});
  }
  if (!plugins.empty()) {
    out.push_back(heading(2, "Lampiran C. Plugin kota / Appendix C. City plugins", "plugins"));
    out.push_back(table({"Plugin", "Versi / Version", "SHA-256"}, std::move(plugins)));
  }
}

std::string change_label(const std::string& change) {
  if (change == "added") return "+ ditambah / added";
  if (change == "removed") return "− dihapus / removed";
  return "~ diubah / changed";
}

void changes(const PlanInput& input, std::vector<Block>& out) {
  out.push_back(heading(2, "Lampiran D. Perubahan sejak pengajuan sebelumnya / Appendix D. "
                           "Changes since the previous submission",
                        "changes"));
  if (!input.baseline_version) {
    out.push_back(paragraph("Belum ada pengajuan sebelumnya / There is no earlier submission to "
                            "compare with."));
    return;
  }
  const auto& diff = *input.changes;
  out.push_back(paragraph("Dibandingkan dengan versi " + std::to_string(*input.baseline_version) +
                          " (pengajuan sebelumnya) / Compared with version " +
                          std::to_string(*input.baseline_version) +
                          " (the previous submission)."));
  std::vector<Row> rows;
  for (const auto& c : items(at(diff, "changes"))) {
    std::string fields;
    for (const auto& f : items(at(c, "fields"))) {
      if (!fields.empty()) fields += ", ";
      fields += text(f);
    }
    rows.push_back({text(c, "entity"), change_label(text(c, "change")), fields});
  }
  if (rows.empty()) {
    out.push_back(paragraph("Tidak ada perubahan / No changes."));
    return;
  }
  out.push_back(table({"Entitas / Entity", "Perubahan / Change", "Kolom / Fields"},
                      std::move(rows)));
}

}  // namespace

std::string rupiah(std::int64_t amount) { return format_rupiah(amount, Lang::id); }

std::string number_text(const json::value& v, Lang lang) {
  if (v.is_int64()) return format_integer(v.as_int64(), lang);
  if (v.is_uint64()) return format_decimal(static_cast<double>(v.as_uint64()), lang);
  if (v.is_double()) return format_decimal(v.as_double(), lang, 4);
  return text(v);
}

std::string quantity_text(const json::value& v, const std::string& unit, Lang lang) {
  if (v.is_number()) return format_quantity(v.to_number<double>(), unit, lang);
  return unit.empty() ? text(v) : text(v) + " " + unit;
}

std::vector<Block> plan_blocks(const PlanInput& input) {
  const auto& doc = *input.document;
  std::vector<Block> out;
  out.push_back(heading(1, "Masterplan Smart City " + text(at(doc, "identity"), "cityName") +
                               " " + text(at(at(doc, "identity"), "period"), "startYear") + "–" +
                               text(at(at(doc, "identity"), "period"), "endYear")));
  out.push_back(paragraph("Dokumen ini dibuat dari riwayat rembuk / Generated from the rembuk "
                          "record of masterplan '" + text(doc, "masterplan") + "', " +
                          input.as_of + ". Status: " +
                          text(at(doc, "identity"), "status") + "."));
  identity(doc, out);
  readiness(doc, out);
  strategic_issues(doc, out);
  vision(doc, out);
  dimensions(doc, out);
  quick_wins(doc, out);
  roadmap(doc, out);
  budget(doc, out);
  indicators(doc, out);
  appendices(doc, out);
  changes(input, out);
  return out;
}

}  // namespace rembuk::documents::detail
