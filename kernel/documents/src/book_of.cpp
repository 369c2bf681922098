// What goes in each of the four documents a Bimtek produces (docs/documents.md):
//   Buku I     Analisis Kesiapan Daerah: the readiness analysis on struktur, infrastruktur and
//              suprastruktur with their SWOT, the gap analysis, strategic issues, the vision;
//   Buku II    Masterplan Smart City: the whole plan in the order of a Kominfo masterplan;
//   Ringkasan  Ringkasan Eksekutif: the plan on a few pages, for the head of region;
//   Quick win  Profil Quick Win: one profile per quick win.
#include <ctime>

#include "book.hpp"
#include "json_read.hpp"
#include "rembuk/projections/time_format.hpp"

namespace rembuk::documents::detail {
namespace {

namespace json = boost::json;

Chapter chapter(std::string title) { return Chapter{std::move(title), {}}; }

void buku1(const json::value& doc, Lang lang, Book& book) {
  book.series = say(lang, "Buku I", "Book I");
  book.title = say(lang, "Analisis Kesiapan Daerah", "Regional Readiness Analysis");
  auto intro = chapter(say(lang, "Pendahuluan", "Introduction"));
  intro.blocks.push_back(paragraph(say(
      lang,
      "Buku ini memuat analisis kesiapan daerah menuju smart city pada tiga aspek: struktur "
      "(organisasi, kepemimpinan, sumber daya manusia dan anggaran), infrastruktur (fisik, "
      "digital/TIK dan sosial) dan suprastruktur (kebijakan, regulasi, kelembagaan dan "
      "prosedur), masing-masing dengan analisis SWOT, disusun pada Bimtek tahap I.",
      "This book holds the region's readiness analysis for a smart city on three axes: "
      "structure (organisation, leadership, people and budget), infrastructure (physical, "
      "digital/ICT and social) and superstructure (policies, regulations, institutions and "
      "procedures), each with a SWOT analysis, drafted at Bimtek stage I.")));
  sections::identity(doc, lang, intro.blocks);
  book.chapters.push_back(std::move(intro));
  for (const std::string axis : {"struktur", "infrastruktur", "suprastruktur"}) {
    const std::string name = axis == "struktur"        ? say(lang, "Struktur", "Structure")
                             : axis == "infrastruktur" ? say(lang, "Infrastruktur", "Infrastructure")
                                                       : say(lang, "Suprastruktur", "Superstructure");
    auto c = chapter(say(lang, "Kesiapan ", "Readiness: ") + name);
    sections::readiness_axis(doc, axis, lang, c.blocks);
    book.chapters.push_back(std::move(c));
  }
  auto gap = chapter(say(lang, "Analisis Kesenjangan", "Gap Analysis"));
  sections::gap_analysis(doc, lang, gap.blocks);
  book.chapters.push_back(std::move(gap));
  auto issues = chapter(say(lang, "Isu Strategis", "Strategic Issues"));
  sections::strategic_issues(doc, lang, issues.blocks);
  book.chapters.push_back(std::move(issues));
  auto vision = chapter(say(lang, "Rancangan Visi Smart City", "Draft Smart-City Vision"));
  sections::vision(doc, lang, vision.blocks);
  book.chapters.push_back(std::move(vision));
}

void buku2(const json::value& doc, Lang lang, Book& book) {
  book.series = say(lang, "Buku II", "Book II");
  book.title = "Masterplan Smart City";
  auto intro = chapter(say(lang, "Pendahuluan", "Introduction"));
  intro.blocks.push_back(paragraph(say(
      lang,
      "Masterplan smart city adalah rencana pembangunan kota cerdas untuk periode di bawah, "
      "selaras dengan RPJMD, disusun bersama seluruh OPD pada Bimtek tahap I–IV.",
      "The smart-city masterplan is the region's plan for the period below, aligned with its "
      "RPJMD, drafted together by every OPD in Bimtek stages I–IV.")));
  sections::identity(doc, lang, intro.blocks);
  book.chapters.push_back(std::move(intro));
  auto readiness = chapter(say(lang, "Analisis Kesiapan Daerah", "Readiness Analysis"));
  sections::readiness_summary(doc, lang, readiness.blocks);
  book.chapters.push_back(std::move(readiness));
  auto issues = chapter(say(lang, "Isu Strategis", "Strategic Issues"));
  sections::strategic_issues(doc, lang, issues.blocks);
  book.chapters.push_back(std::move(issues));
  auto vision = chapter(say(lang, "Visi dan Misi", "Vision and Missions"));
  sections::vision(doc, lang, vision.blocks);
  vision.blocks.push_back(heading(3, say(lang, "Misi", "Missions")));
  sections::missions(doc, lang, vision.blocks);
  book.chapters.push_back(std::move(vision));
  auto strategy = chapter(say(lang, "Strategi Pengembangan", "Strategy"));
  sections::strategies(doc, lang, strategy.blocks);
  book.chapters.push_back(std::move(strategy));
  auto programs = chapter(say(lang, "Rencana Aksi: Program per Dimensi", "Action Plan: Programs per Dimension"));
  sections::programs_by_dimension(doc, lang, programs.blocks);
  book.chapters.push_back(std::move(programs));
  auto quick = chapter("Quick Win");
  sections::quick_win_table(doc, lang, quick.blocks);
  book.chapters.push_back(std::move(quick));
  auto roadmap = chapter(say(lang, "Peta Jalan", "Roadmap"));
  sections::roadmap(doc, lang, roadmap.blocks);
  book.chapters.push_back(std::move(roadmap));
  auto budget = chapter(say(lang, "Anggaran", "Budget"));
  sections::budget(doc, lang, budget.blocks);
  book.chapters.push_back(std::move(budget));
  auto indicators = chapter(say(lang, "Indikator Kinerja", "Performance Indicators"));
  sections::indicators(doc, lang, indicators.blocks);
  book.chapters.push_back(std::move(indicators));
  auto commitments = chapter(say(lang, "Komitmen Daerah", "Commitment"));
  sections::commitments(doc, lang, commitments.blocks);
  book.chapters.push_back(std::move(commitments));
  auto process = chapter(say(lang, "Proses Penyusunan (Bimtek)", "How It Was Drafted (Bimtek)"));
  sections::bimtek_process(doc, lang, process.blocks);
  process.blocks.push_back(heading(3, say(lang, "Kelengkapan keluaran tahap", "Stage outputs")));
  sections::bimtek_checklist(doc, lang, process.blocks);
  book.chapters.push_back(std::move(process));
}

void ringkasan(const json::value& doc, Lang lang, Book& book) {
  book.series = say(lang, "Ringkasan Eksekutif", "Executive Summary");
  book.title = "Masterplan Smart City";
  book.chapters_on_new_pages = false;
  auto overview = chapter(say(lang, "Gambaran Umum", "Overview"));
  sections::identity(doc, lang, overview.blocks);
  book.chapters.push_back(std::move(overview));
  auto vision = chapter(say(lang, "Visi dan Misi", "Vision and Missions"));
  sections::vision(doc, lang, vision.blocks);
  std::vector<std::string> missions;
  for (const auto& m : items(at(doc, "missions"))) missions.push_back(text(m, "text"));
  if (missions.empty()) {
    vision.blocks.push_back(not_yet(lang, say(lang, "misi", "the missions"), 2));
  } else {
    vision.blocks.push_back(list(std::move(missions)));
  }
  book.chapters.push_back(std::move(vision));
  auto readiness = chapter(say(lang, "Kesiapan Daerah", "Readiness"));
  sections::readiness_summary(doc, lang, readiness.blocks);
  book.chapters.push_back(std::move(readiness));
  auto programs = chapter(say(lang, "Program per Dimensi", "Programs per Dimension"));
  sections::dimension_summary(doc, lang, programs.blocks);
  programs.blocks.push_back(heading(3, "Quick Win"));
  sections::quick_win_table(doc, lang, programs.blocks);
  book.chapters.push_back(std::move(programs));
  auto roadmap = chapter(say(lang, "Peta Jalan dan Anggaran", "Roadmap and Budget"));
  sections::roadmap(doc, lang, roadmap.blocks);
  sections::budget(doc, lang, roadmap.blocks);
  book.chapters.push_back(std::move(roadmap));
  auto progress = chapter(say(lang, "Kemajuan Bimtek", "Bimtek Progress"));
  sections::bimtek_process(doc, lang, progress.blocks);
  progress.blocks.push_back(heading(3, say(lang, "Kelengkapan keluaran tahap", "Stage outputs")));
  sections::bimtek_checklist(doc, lang, progress.blocks);
  book.chapters.push_back(std::move(progress));
}

void quickwin(const json::value& doc, Lang lang, Book& book) {
  book.series = say(lang, "Profil Quick Win", "Quick-Win Profiles");
  book.title = "Masterplan Smart City";
  auto overview = chapter(say(lang, "Daftar Quick Win", "Quick Wins"));
  overview.blocks.push_back(paragraph(say(
      lang,
      "Quick win adalah program jangka pendek yang dapat direalisasikan dalam waktu sekitar "
      "satu tahun pada awal periode, mudah dilaksanakan, dan manfaatnya segera dirasakan "
      "masyarakat.",
      "A quick win is a short programme realisable within about a year at the start of the "
      "period, easy to do, whose benefit citizens feel quickly.")));
  sections::quick_win_table(doc, lang, overview.blocks);
  book.chapters.push_back(std::move(overview));
  for (const auto& d : items(at(doc, "dimensions"))) {
    for (const auto& e : items(at(d, "elements"))) {
      for (const auto& p : items(at(e, "programs"))) {
        if (!flag(p, "quickWin")) continue;
        auto c = chapter(text(p, "title"));
        sections::quick_win_profile(doc, p, lang, c.blocks);
        book.chapters.push_back(std::move(c));
      }
    }
  }
}

}  // namespace

std::string format_date(std::int64_t time_us, Lang lang) {
  static const char* const months_id[] = {"Januari", "Februari", "Maret",     "April",
                                          "Mei",     "Juni",     "Juli",      "Agustus",
                                          "September", "Oktober", "November", "Desember"};
  static const char* const months_en[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
  const std::time_t seconds = static_cast<std::time_t>(time_us / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return std::to_string(tm.tm_mday) + " " +
         (lang == Lang::id ? months_id : months_en)[tm.tm_mon] + " " +
         std::to_string(tm.tm_year + 1900);
}

Book book_of(const BookInput& input) {
  const auto& doc = *input.document;
  const auto lang = input.lang;
  Book book;
  book.lang = lang;
  const auto& identity = at(doc, "identity");
  book.city = text(identity, "cityName");
  book.period = text(at(identity, "period"), "startYear") + "–" +
                text(at(identity, "period"), "endYear");
  switch (input.kind) {
    case DocumentKind::buku1: buku1(doc, lang, book); break;
    case DocumentKind::buku2: buku2(doc, lang, book); break;
    case DocumentKind::ringkasan: ringkasan(doc, lang, book); break;
    case DocumentKind::quickwin: quickwin(doc, lang, book); break;
  }
  book.cover_facts = {
      {say(lang, "Periode", "Period"), book.period},
      {say(lang, "Tanggal", "Date"), format_date(input.version_time_us, lang)},
      {say(lang, "Versi", "Version"), std::to_string(input.version) + " (" + input.masterplan + ", " +
                                          projections::format_iso8601(input.version_time_us) + ")"},
      {say(lang, "Status", "Status"), status_name(text(identity, "status"), lang)},
      {say(lang, "Hash kepala log", "Log head hash"), input.head_hash}};
  book.running_head = book.series + " · " + book.title + " " + book.city + " " + book.period;
  return book;
}

}  // namespace rembuk::documents::detail
