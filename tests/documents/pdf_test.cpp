// The four documents of the Padang example printed to PDF by real headless Chromium, read
// back with poppler's pdftotext as a person would read the pages: the chapters and their
// pages in the contents, the budget total, an indicator value, the page numbers. Skipped, saying why, only when Chromium is
// not installed; a missing pdftotext fails (scripts/setup-deps.sh installs poppler-utils).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "documents_fixture.hpp"
#include "rembuk/documents/export.hpp"
#include "rembuk/documents/pdf_printer.hpp"

namespace rembuk::documents {
namespace {

using namespace testing;

// The text of a PDF, pages separated by form feeds.
std::string pdf_text(const std::string& pdf, const std::string& folder) {
  const std::string path = folder + "/read.pdf";
  std::ofstream(path, std::ios::binary).write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
  FILE* pipe = ::popen(("pdftotext -layout '" + path + "' - 2>&1").c_str(), "r");
  if (pipe == nullptr) return {};
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << "pdftotext failed (apt-get install poppler-utils): " << out;
  return out;
}

std::size_t pages(const std::string& text) {
  std::size_t n = 0;
  for (const char c : text) n += c == '\f';
  return n;
}

class PadangPdf : public ::testing::Test {
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
  void SetUp() override {
    if (!find_chromium({})) {
      GTEST_SKIP() << "Chromium is not installed (apt-get install chromium, or set "
                      "CHROMIUM_PATH): the PDF tests print with it";
    }
  }
  static std::string text_of(DocumentKind kind, Lang lang = Lang::id) {
    ExportRequest request;
    request.format = ExportFormat::pdf;
    request.document = kind;
    request.lang = lang;
    auto out = export_masterplan(*log_, "padang-2019", request);
    EXPECT_TRUE(out.ok()) << (out ? "" : out.error().message);
    if (!out) return {};
    EXPECT_EQ(out->body.rfind("%PDF-", 0), 0u);
    return pdf_text(out->body, dir_->str());
  }
  static void in_order(const std::string& text, const std::vector<std::string>& needles) {
    std::size_t at = 0;
    for (const auto& n : needles) {
      const auto found = text.find(n, at);
      ASSERT_NE(found, std::string::npos) << "missing or out of order: " << n << "\nin:\n" << text;
      at = found + n.size();
    }
  }

  static inline TempDir* dir_ = nullptr;
  static inline TestClock clock_;
  static inline store::EventLog* log_ = nullptr;
};

TEST_F(PadangPdf, BukuTwoReadsAsAMasterplan) {
  const auto text = text_of(DocumentKind::buku2);
  in_order(text, {"Buku II", "Masterplan Smart City", "Kota Padang", "2019–2028", "Versi", "221",
                  "Daftar Isi", "Bab 1", "Pendahuluan", "Bab 10", "Indikator Kinerja"});
  // The chapters themselves, after the contents page.
  const auto body = text.substr(text.find("Komitmen Daerah"));
  in_order(body, {"Pendahuluan", "Analisis Kesiapan Daerah", "Visi dan Misi", "Peta Jalan",
                  "Anggaran", "Indikator Kinerja", "Komitmen Daerah"});
  EXPECT_NE(text.find("Rp 49.500.000.000"), std::string::npos);  // the budget total
  EXPECT_NE(text.find("121 orang"), std::string::npos);          // a readiness figure
  EXPECT_NE(text.find("1.500 orang"), std::string::npos);        // an indicator baseline
  EXPECT_NE(text.find("Halaman 2 dari "), std::string::npos);    // the page footer
  EXPECT_GE(pages(text), 8u);
  // The contents give each chapter's page: cover 1, contents 2, Bab 1 from page 3.
  EXPECT_TRUE(std::regex_search(text, std::regex("Bab 1 +Pendahuluan +3\\b"))) << text.substr(0, 3000);
  EXPECT_TRUE(std::regex_search(text, std::regex("Bab 10 +Indikator Kinerja +[0-9]+")));
  EXPECT_EQ(text.find("E2 "), std::string::npos);
}

TEST_F(PadangPdf, EveryDocumentPrints) {
  in_order(text_of(DocumentKind::buku1),
           {"Buku I", "Analisis Kesiapan Daerah", "Kesiapan Struktur", "121 orang",
            "Belum diisi: analisis kesenjangan"});
  in_order(text_of(DocumentKind::ringkasan),
           {"Ringkasan Eksekutif", "Gambaran Umum", "Rp 49.500.000.000"});
  in_order(text_of(DocumentKind::quickwin), {"Profil Quick Win", "Daftar Quick Win", "Tujuan"});
}

TEST_F(PadangPdf, InEnglish) {
  const auto text = text_of(DocumentKind::ringkasan, Lang::en);
  in_order(text, {"Executive Summary", "Contents", "Overview", "Rp 49,500,000,000"});
  EXPECT_NE(text.find("Page 2 of "), std::string::npos);
}

TEST(PdfPrinter, WithoutChromiumSaysHowToInstallIt) {
  PdfOptions options;
  options.chromium = "/nonexistent/chromium";
  EXPECT_FALSE(find_chromium(options));
  auto pdf = print_pdf("<!DOCTYPE html><p>x</p>", options);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.error().code, ErrorCode::unavailable);
  EXPECT_NE(pdf.error().message.find("apt-get install chromium"), std::string::npos);
}

TEST(PdfPrinter, AChromiumThatFailsIsAPrintFailure) {
  // /bin/false is executable and makes no PDF.
  PdfOptions options;
  options.chromium = "/bin/false";
  auto pdf = print_pdf("<!DOCTYPE html><p>x</p>", options);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.error().code, ErrorCode::print_failed);
  EXPECT_NE(pdf.error().message.find("exited with status 1"), std::string::npos);
}

}  // namespace
}  // namespace rembuk::documents
