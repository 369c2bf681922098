// The four Bimtek documents of the Padang example (220 commands → version 221, submitted) as
// HTML: cover, contents, chapters in order, numbers as people read them, paged-media CSS,
// and "belum diisi" for what the example does not hold yet.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "documents_fixture.hpp"
#include "rembuk/documents/export.hpp"

namespace rembuk::documents {
namespace {

using namespace testing;

class PadangBooks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    log_ = open_log(dir_->str(), &clock_).release();
    import_padang(*log_, clock_);
  }
  static void TearDownTestSuite() {
    delete log_;
    delete dir_;
  }
  static std::string book(DocumentKind kind, Lang lang = Lang::id) {
    ExportRequest request;
    request.format = ExportFormat::html;
    request.document = kind;
    request.lang = lang;
    auto out = export_masterplan(*log_, "padang-2019", request);
    EXPECT_TRUE(out.ok()) << (out ? "" : out.error().message);
    return out ? out->body : std::string();
  }
  // Asserts that `needles` occur in `text` in this order.
  static void in_order(const std::string& text, const std::vector<std::string>& needles) {
    std::size_t at = 0;
    for (const auto& n : needles) {
      const auto found = text.find(n, at);
      ASSERT_NE(found, std::string::npos) << "missing or out of order: " << n;
      at = found + n.size();
    }
  }
  // The record hash of the masterplan's last event (version 221).
  static std::string head_hash() {
    auto last = log_->read_stream("padang-2019", 221, 1);
    return last.ok() && last->size() == 1 ? store::to_hex(last->at(0).hash) : std::string("?");
  }

  static inline TempDir* dir_ = nullptr;
  static inline TestClock clock_;
  static inline store::EventLog* log_ = nullptr;
};

TEST_F(PadangBooks, EveryBookHasACoverContentsAndPagedMedia) {
  for (auto kind : {DocumentKind::buku1, DocumentKind::buku2, DocumentKind::ringkasan,
                    DocumentKind::quickwin}) {
    SCOPED_TRACE(std::string(to_string(kind)));
    const auto html = book(kind);
    in_order(html, {"<html lang=\"id\">", "@page", "size: A4", "counter(page)", "counter(pages)",
                    "<section class=\"cover\">", "Kota Padang", "2019–2028", "Tanggal",
                    "Versi", "221", "Hash kepala log", head_hash(), "Daftar Isi",
                    "<section class=\"chapter new-page\" id=\"bab-1\">"});
    EXPECT_NE(html.find("thead { display: table-header-group; }"), std::string::npos);
    EXPECT_NE(html.find("tr { break-inside: avoid; }"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
  }
}

TEST_F(PadangBooks, ChaptersInTheOrderOfEachBook) {
  in_order(book(DocumentKind::buku1),
           {"Buku I", "Analisis Kesiapan Daerah", "Pendahuluan", "Kesiapan Struktur",
            "Kesiapan Infrastruktur", "Kesiapan Suprastruktur", "Analisis Kesenjangan",
            "Isu Strategis", "Rancangan Visi Smart City"});
  in_order(book(DocumentKind::buku2),
           {"Buku II", "Masterplan Smart City", "Pendahuluan", "Analisis Kesiapan Daerah",
            "Isu Strategis", "Visi dan Misi", "Strategi Pengembangan", "Rencana Aksi",
            "Quick Win", "Peta Jalan", "Anggaran", "Indikator Kinerja", "Komitmen Daerah",
            "Proses Penyusunan (Bimtek)"});
  in_order(book(DocumentKind::ringkasan),
           {"Ringkasan Eksekutif", "Gambaran Umum", "Visi dan Misi", "Kesiapan Daerah",
            "Program per Dimensi", "Peta Jalan dan Anggaran", "Kemajuan Bimtek"});
  // One chapter per quick win after the list.
  const auto quick = book(DocumentKind::quickwin);
  in_order(quick, {"Profil Quick Win", "Daftar Quick Win", "id=\"bab-2\"", "Tujuan", "Lokasi",
                   "Penerima manfaat", "Jadwal pelaksanaan", "OPD pengampu"});
}

TEST_F(PadangBooks, NumbersReadTheIndonesianWay) {
  const auto buku1 = book(DocumentKind::buku1);
  EXPECT_NE(buku1.find("121 orang"), std::string::npos);
  const auto buku2 = book(DocumentKind::buku2);
  // The budget total worked out by hand in tests/projections/padang_example_test.cpp.
  EXPECT_NE(buku2.find("Rp 49.500.000.000"), std::string::npos);
  EXPECT_NE(buku2.find("Rp 49,5 miliar"), std::string::npos);
  EXPECT_NE(buku2.find("1.500 orang (2019)"), std::string::npos);        // a baseline
  EXPECT_NE(buku2.find("2019: 100.000 kunjungan/tahun"), std::string::npos);  // a target
  EXPECT_NE(buku2.find("2020: 85 %"), std::string::npos);                // a percentage
  // Never a number in the serializer's notation.
  const std::regex scientific("[0-9]E[0-9]");
  for (auto kind : {DocumentKind::buku1, DocumentKind::buku2, DocumentKind::ringkasan,
                    DocumentKind::quickwin}) {
    EXPECT_FALSE(std::regex_search(book(kind), scientific)) << to_string(kind);
  }
}

TEST_F(PadangBooks, EnglishOnRequest) {
  const auto html = book(DocumentKind::buku2, Lang::en);
  in_order(html, {"<html lang=\"en\">", "Book II", "Contents", "Introduction", "Budget",
                  "Rp 49,500,000,000", "Rp 49.5 billion"});
  EXPECT_NE(html.find("Page \" counter(page) \" of \" counter(pages)"), std::string::npos);
}

// A masterplan just created: every section of every book says what is missing, and no
// chapter is empty.
TEST_F(PadangBooks, WhatIsNotFilledInSaysSo) {
  engine::CommandEngine engine(*log_, nullptr);
  ASSERT_EQ(submit_line(engine, R"({"masterplan":"kota-baru","commandId":"kota-baru-1",)"
                                R"("actor":{"user":"u-admin","roles":["admin"]},"command":)"
                                R"({"type":"CreateMasterplan","cityName":"Kota Baru",)"
                                R"("regionCode":"99.01","startYear":2026,"endYear":2030}})"),
            "");
  auto of = [](DocumentKind kind) {
    ExportRequest request;
    request.format = ExportFormat::html;
    request.document = kind;
    auto out = export_masterplan(*log_, "kota-baru", request);
    EXPECT_TRUE(out.ok()) << (out ? "" : out.error().message);
    return out ? out->body : std::string();
  };
  in_order(of(DocumentKind::buku1),
           {"Kesiapan Struktur", "<p class=\"note\">Belum diisi: data kesiapan Struktur (diisi "
                                 "pada Bimtek tahap I).",
            "Analisis Kesenjangan", "<p class=\"note\">Belum diisi: analisis kesenjangan (diisi "
                                    "pada Bimtek tahap I).",
            "Rancangan Visi", "Belum diisi: visi smart city"});
  in_order(of(DocumentKind::buku2),
           {"Visi dan Misi", "Belum diisi: misi", "Strategi Pengembangan",
            "Belum diisi: strategi per dimensi (diisi pada Bimtek tahap III)", "Komitmen Daerah",
            "<p class=\"note\">Belum diisi: surat komitmen", "Proses Penyusunan",
            "Belum diisi: jadwal dan pelaksanaan tahap Bimtek"});
  in_order(of(DocumentKind::quickwin), {"Daftar Quick Win", "Belum diisi: program quick win"});
  // No chapter is empty: each has at least one block after its heading.
  const std::regex empty_chapter("</h2>\n</section>");
  for (auto kind : {DocumentKind::buku1, DocumentKind::buku2, DocumentKind::ringkasan,
                    DocumentKind::quickwin}) {
    EXPECT_FALSE(std::regex_search(of(kind), empty_chapter)) << to_string(kind);
  }
}

// What the Bimtek stages add shows in the books, and its "belum diisi" notes go.
TEST_F(PadangBooks, BimtekContentShowsInTheBooks) {
  engine::CommandEngine engine(*log_, nullptr);
  // The Padang example as a draft of its own (its submission left out), then the Bimtek.
  std::ifstream file(REMBUK_PADANG_EXAMPLE);
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line.find("\"SubmitMasterplan\"") != std::string::npos) continue;
    for (auto at = line.find("padang-2019"); at != std::string::npos; at = line.find("padang-2019"))
      line.replace(at, 11, "padang-bimtek");
    ASSERT_EQ(submit_line(engine, line), "") << line;
  }
  int n = 0;
  auto command = [&](const std::string& body) {
    return submit_line(engine, R"({"masterplan":"padang-bimtek","commandId":"t-bimtek-)" +
                                   std::to_string(++n) +
                                   R"(","actor":{"user":"u-suardi","roles":["tim_pelaksana"]},)"
                                   R"("command":)" + body + "}");
  };
  ASSERT_EQ(command(R"({"type":"UpdateReadinessEntry","entryId":"r-sdm-ti","swot":"strength"})"), "");
  ASSERT_EQ(command(R"({"type":"AddGap","gapId":"t-gap-sdm","axis":"struktur",)"
                    R"("current":"SDM TI terpusat di Diskominfo","expected":"Agen TI di tiap OPD",)"
                    R"("action":"Pelatihan agen TI"})"),
            "");
  ASSERT_EQ(command(R"({"type":"AddStrategy","strategyId":"t-strategi-gov","dimension":"governance",)"
                    R"("text":"Layanan publik terintegrasi satu pintu"})"),
            "");
  ASSERT_EQ(command(R"({"type":"SetQuickWinProfile","programId":"qw-fiber-kelurahan",)"
                    R"("objective":"Kantor kelurahan tersambung fiber","location":"104 kelurahan",)"
                    R"("beneficiaries":"Warga yang dilayani di kelurahan","timeline":"Maret-Desember 2019"})"),
            "");
  ASSERT_EQ(command(R"({"type":"RecordCommitmentLetter","letterId":"t-surat-walikota",)"
                    R"("signatory":"head_of_region","signatoryName":"Mahyeldi Ansharullah",)"
                    R"("date":"2019-03-20","letterNumber":"050/123/SK-2019"})"),
            "");
  ASSERT_EQ(command(R"({"type":"ScheduleBimtekStage","stage":1,"scheduledDate":"2018-07-10",)"
                    R"("place":"Hotel Bumi Minang, Padang"})"),
            "");
  ExportRequest request;
  request.format = ExportFormat::html;
  auto of = [&](DocumentKind kind) {
    request.document = kind;
    auto out = export_masterplan(*log_, "padang-bimtek", request);
    EXPECT_TRUE(out.ok()) << (out ? "" : out.error().message);
    return out ? out->body : std::string();
  };
  const auto buku1 = of(DocumentKind::buku1);
  in_order(buku1, {"SWOT Struktur", "Kekuatan (S)", "SDM TI Pemko Padang", "Analisis Kesenjangan",
                   "SDM TI terpusat di Diskominfo", "Agen TI di tiap OPD", "Pelatihan agen TI"});
  EXPECT_EQ(buku1.find("Belum diisi: analisis kesenjangan"), std::string::npos);
  EXPECT_EQ(buku1.find("Belum diisi: SWOT Struktur"), std::string::npos);
  EXPECT_NE(buku1.find("Belum diisi: SWOT Infrastruktur"), std::string::npos);
  const auto buku2 = of(DocumentKind::buku2);
  in_order(buku2, {"Strategi Pengembangan", "Layanan publik terintegrasi satu pintu",
                   "Komitmen Daerah", "Kepala daerah", "Mahyeldi Ansharullah", "050/123/SK-2019",
                   "Proses Penyusunan", "Tahap I", "2018-07-10 (jadwal)",
                   "Hotel Bumi Minang, Padang"});
  // The stages' outputs: what is done, what is missing and who owes it.
  in_order(of(DocumentKind::ringkasan),
           {"Kemajuan Bimtek", "Kelengkapan keluaran tahap", "Tahap I", "Terbuka",
            "Bimtek tahap I terlaksana (tanggal dicatat) (Tim Pelaksana)", "Tahap IV"});
  EXPECT_EQ(of(DocumentKind::ringkasan).find("Analisis kesenjangan Struktur (Tim Pelaksana)"),
            std::string::npos);  // the gap on struktur is done
  const auto quick = of(DocumentKind::quickwin);
  in_order(quick, {"Fiber optik sampai kelurahan", "Tujuan", "Kantor kelurahan tersambung fiber",
                   "Lokasi", "104 kelurahan", "Jadwal pelaksanaan", "Maret-Desember 2019"});
}

TEST_F(PadangBooks, ADocumentComesAsHtmlOrPdfOnly) {
  ExportRequest request;
  request.document = DocumentKind::buku1;
  for (auto format : {ExportFormat::md, ExportFormat::json, ExportFormat::cloudevents}) {
    request.format = format;
    auto out = export_masterplan(*log_, "padang-2019", request);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(out.error().message.find("html or pdf"), std::string::npos);
  }
}

TEST_F(PadangBooks, AnEarlierVersionHasItsOwnHashAndLessContent) {
  ExportRequest request;
  request.format = ExportFormat::html;
  request.document = DocumentKind::buku2;
  request.at = 30;
  auto out = export_masterplan(*log_, "padang-2019", request);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->version, 30u);
  auto events = log_->read_stream("padang-2019", 30, 1);
  ASSERT_TRUE(events.ok());
  EXPECT_NE(out->body.find(store::to_hex(events->at(0).hash)), std::string::npos);
  EXPECT_EQ(out->body.find(head_hash()), std::string::npos);
  EXPECT_NE(out->body.find("Belum diisi"), std::string::npos);
}

TEST(ExportNames, FileNamesAndKinds) {
  EXPECT_EQ(export_file_name("padang-2019", 221, DocumentKind::buku1, ExportFormat::pdf),
            "buku1-padang-2019-v221.pdf");
  EXPECT_EQ(export_file_name("kota/x y", 3, std::nullopt, ExportFormat::cloudevents),
            "kota-x-y-v3.jsonl");
  for (auto k : {"buku1", "buku2", "ringkasan", "quickwin"}) {
    ASSERT_TRUE(document_kind_from_string(k));
    EXPECT_EQ(to_string(*document_kind_from_string(k)), k);
  }
  EXPECT_FALSE(document_kind_from_string("buku3"));
  EXPECT_EQ(content_type(ExportFormat::pdf), "application/pdf");
}

}  // namespace
}  // namespace rembuk::documents
