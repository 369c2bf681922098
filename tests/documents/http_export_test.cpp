// GET /api/masterplans/{id}/export over a real server on 127.0.0.1 (port 0) and a real LMDB
// log: each format, at a version and a moment, the Bimtek documents (html, and a PDF printed
// by real Chromium when installed), the Bearer token and masterplan claim rules.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include <boost/json.hpp>

#include "documents_fixture.hpp"
#include "rembuk/documents/export.hpp"
#include "rembuk/documents/pdf_printer.hpp"
#include "server_fixture.hpp"

namespace rembuk::documents {
namespace {

namespace json = boost::json;

class HttpExport : public rembuk::testing::ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    // The example, through the fixture's engine (the server's command path).
    std::ifstream file(REMBUK_PADANG_EXAMPLE);
    ASSERT_TRUE(file);
    std::string line;
    int n = 0;
    while (std::getline(file, line) && n < 40) {  // 40 commands are plenty for HTTP
      if (line.empty()) continue;
      ASSERT_EQ(documents::testing::submit_line(*engine_, line), "") << line;
      ++n;
    }
    start();
  }
  std::string reader() { return token("u-auditor", {"viewer"}, {}, {"padang-2019"}); }
};

TEST_F(HttpExport, EveryFormatWithItsContentType) {
  const auto t = reader();
  ExportRequest request;
  for (const auto& [format, type] :
       std::vector<std::pair<std::string, std::string>>{
           {"md", "text/markdown; charset=utf-8"},
           {"html", "text/html; charset=utf-8"},
           {"json", "application/json"},
           {"cloudevents", "application/x-ndjson"}}) {
    auto answer = rembuk::testing::http_get(
        port_, "/api/masterplans/padang-2019/export?format=" + format, t);
    ASSERT_EQ(answer.status, 200u) << format << ": " << answer.body;
    EXPECT_EQ(answer.content_type, type);
    request.format = *export_format_from_string(format);
    auto direct = export_masterplan(*log_, "padang-2019", request);
    ASSERT_TRUE(direct.ok());
    EXPECT_EQ(answer.body, direct->body) << format;
  }
}

TEST_F(HttpExport, AtAVersionOrAMoment) {
  const auto t = reader();
  auto at = rembuk::testing::http_get(port_, "/api/masterplans/padang-2019/export?format=json&at=7", t);
  ASSERT_EQ(at.status, 200u) << at.body;
  EXPECT_EQ(json::parse(at.body).at("version"), 7);
  auto early = rembuk::testing::http_get(
      port_, "/api/masterplans/padang-2019/export?format=json&atTime=2000-01-01T00:00:00Z", t);
  EXPECT_EQ(early.status, 404u) << early.body;
  auto beyond = rembuk::testing::http_get(
      port_, "/api/masterplans/padang-2019/export?format=json&at=9999", t);
  EXPECT_EQ(beyond.status, 404u);
  auto both = rembuk::testing::http_get(
      port_,
      "/api/masterplans/padang-2019/export?format=json&at=3&atTime=2030-01-01T00:00:00Z", t);
  EXPECT_EQ(both.status, 400u);
  auto bad = rembuk::testing::http_get(port_, "/api/masterplans/padang-2019/export?format=docx", t);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(bad.body.find("format must be md, html, json, cloudevents or pdf"), std::string::npos);
}

TEST_F(HttpExport, DocumentsAsHtmlWithAFileName) {
  const auto t = reader();
  for (const std::string document : {"buku1", "buku2", "ringkasan", "quickwin"}) {
    auto answer = rembuk::testing::http_get(
        port_, "/api/masterplans/padang-2019/export?format=html&document=" + document, t);
    ASSERT_EQ(answer.status, 200u) << document << ": " << answer.body;
    EXPECT_EQ(answer.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(answer.content_disposition.rfind(
                  "attachment; filename=\"" + document + "-padang-2019-v", 0),
              0u)
        << answer.content_disposition;
    EXPECT_TRUE(answer.content_disposition.ends_with(".html\"")) << answer.content_disposition;
    EXPECT_NE(answer.body.find("<html lang=\"id\">"), std::string::npos);
    EXPECT_NE(answer.body.find("Daftar Isi"), std::string::npos);
  }
  auto english = rembuk::testing::http_get(
      port_, "/api/masterplans/padang-2019/export?format=html&document=buku2&lang=en&at=30", t);
  ASSERT_EQ(english.status, 200u) << english.body;
  EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(english.content_disposition.find("buku2-padang-2019-v30.html"), std::string::npos);
  // The plain exports stay inline (no file name).
  EXPECT_EQ(rembuk::testing::http_get(port_, "/api/masterplans/padang-2019/export?format=md", t)
                .content_disposition,
            "");
}

TEST_F(HttpExport, BadDocumentOrLanguageIsRefused) {
  const auto t = reader();
  auto unknown = rembuk::testing::http_get(
      port_, "/api/masterplans/padang-2019/export?format=html&document=buku3", t);
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_NE(unknown.body.find("buku1, buku2, ringkasan or quickwin"), std::string::npos);
  auto as_md = rembuk::testing::http_get(
      port_, "/api/masterplans/padang-2019/export?format=md&document=buku1", t);
  EXPECT_EQ(as_md.status, 400u);
  EXPECT_NE(as_md.body.find("html or pdf"), std::string::npos);
  auto lang = rembuk::testing::http_get(
      port_, "/api/masterplans/padang-2019/export?format=html&document=buku1&lang=fr", t);
  EXPECT_EQ(lang.status, 400u);
  EXPECT_NE(lang.body.find("lang must be id or en"), std::string::npos);
}

TEST_F(HttpExport, APdfPrintedByChromium) {
  if (!find_chromium({})) GTEST_SKIP() << "Chromium is not installed (apt-get install chromium)";
  auto pdf = rembuk::testing::http_get(
      port_, "/api/masterplans/padang-2019/export?format=pdf&document=ringkasan", reader(), "GET",
      std::chrono::seconds(120));
  ASSERT_EQ(pdf.status, 200u) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.content_disposition.rfind("attachment; filename=\"ringkasan-padang-2019-v", 0), 0u)
      << pdf.content_disposition;
  EXPECT_TRUE(pdf.content_disposition.ends_with(".pdf\"")) << pdf.content_disposition;
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
}

TEST_F(HttpExport, APdfWithoutChromiumSaysHowToInstallIt) {
  // The server looks Chromium up through CHROMIUM_PATH first; a path that is not there
  // stands for a machine without it.
  ::setenv("CHROMIUM_PATH", "/nonexistent/chromium", 1);
  auto pdf = rembuk::testing::http_get(
      port_, "/api/masterplans/padang-2019/export?format=pdf&document=buku1", reader());
  ::unsetenv("CHROMIUM_PATH");
  EXPECT_EQ(pdf.status, 501u) << pdf.body;
  EXPECT_NE(pdf.body.find("\"pdf_not_available\""), std::string::npos);
  EXPECT_NE(pdf.body.find("apt-get install chromium"), std::string::npos);
}

TEST_F(HttpExport, NeedsABearerTokenForThatMasterplan) {
  const std::string target = "/api/masterplans/padang-2019/export?format=md";
  EXPECT_EQ(rembuk::testing::http_get(port_, target).status, 401u);
  EXPECT_EQ(rembuk::testing::http_get(port_, target, "not-a-token").status, 401u);
  const auto other = token("u-other", {"viewer"}, {}, {"pariaman-2020"});
  EXPECT_EQ(rembuk::testing::http_get(port_, target, other).status, 403u);
  EXPECT_EQ(rembuk::testing::http_get(port_, "/api/masterplans/nowhere/export?format=md",
                                      token("u-admin", {"admin"}))
                .status,
            404u);
}

}  // namespace
}  // namespace rembuk::documents
