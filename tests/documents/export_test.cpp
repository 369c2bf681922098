// Each export format of the Padang example (220 commands → version 221, submitted), checked
// against the log and the projections it is built on.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include <boost/json.hpp>

#include "documents_fixture.hpp"
#include "rembuk/documents/export.hpp"
#include "rembuk/projections/views.hpp"

namespace rembuk::documents {
namespace {

using namespace testing;
namespace json = boost::json;

// A JSON string's text, so that gtest compares (and prints) it as a std::string.
std::string text_of(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

class PadangExport : public ::testing::Test {
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
  static std::string export_of(ExportFormat format, ExportRequest request = {}) {
    request.format = format;
    auto out = export_masterplan(*log_, "padang-2019", request);
    EXPECT_TRUE(out.ok()) << (out ? "" : out.error().message);
    return out ? out->body : std::string();
  }
  static std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  }

  static inline TempDir* dir_ = nullptr;
  static inline TestClock clock_;
  static inline store::EventLog* log_ = nullptr;
};

TEST_F(PadangExport, JsonIsTheDocumentView) {
  auto view = projections::render_view(*log_, "padang-2019", "document", {});
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(export_of(ExportFormat::json), json::serialize(*view) + "\n");
  const auto doc = json::parse(export_of(ExportFormat::json));
  EXPECT_EQ(doc.at("version"), 221);
  EXPECT_EQ(doc.at("identity").at("status"), "submitted");
}

TEST_F(PadangExport, MarkdownFollowsTheKominfoOrder) {
  const auto md = export_of(ExportFormat::md);
  const std::vector<std::string> sections = {
      "# Masterplan Smart City Kota Padang 2019–2028", "## 1. Identitas", "## 2. Kesiapan",
      "## 3. Isu strategis", "## 4. Visi dan misi", "## 5. Dimensi dan pilar",
      "## 6. Quick wins", "## 7. Peta jalan", "## 8. Anggaran", "## 9. Indikator",
      "## Lampiran A.", "## Lampiran B.", "## Lampiran D."};
  std::size_t at = 0;
  for (const auto& s : sections) {
    const auto found = md.find(s, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << s;
    at = found;
  }
  // The budget total worked out by hand in tests/projections/padang_example_test.cpp.
  EXPECT_NE(md.find("Jumlah / Total: Rp 49.500.000.000"), std::string::npos);
  // Version 221 is the first submission: nothing earlier to compare with.
  EXPECT_NE(md.find("There is no earlier submission"), std::string::npos);
  // Every row of a table has as many cells as its header (no '|' leaked from a title).
  std::istringstream lines(md);
  std::string line;
  std::size_t columns = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '|') {
      columns = 0;
      continue;
    }
    std::size_t cells = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++cells;
    }
    if (columns == 0) columns = cells;
    EXPECT_EQ(cells, columns) << line;
  }
}

TEST_F(PadangExport, HtmlIsOnePrintablePageWithAnSvgRoadmap) {
  const auto html = export_of(ExportFormat::html);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(html, "<svg"), 1u);
  EXPECT_NE(html.find("size: A4"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // nothing fetched
  // One bar per program of the document.
  const auto doc = json::parse(export_of(ExportFormat::json));
  std::size_t programs = 0;
  for (const auto& d : doc.at("dimensions").as_array()) {
    for (const auto& e : d.at("elements").as_array()) programs += e.at("programs").as_array().size();
  }
  ASSERT_GT(programs, 10u);
  EXPECT_EQ(count(html, "<rect"), programs);
  // Program titles stay in the label column (shortened, and clipped to it), off the bars.
  EXPECT_NE(html.find("<g clip-path=\"url(#rembuk-roadmap-labels)\">"), std::string::npos);
  EXPECT_NE(html.find(">Satu Data Padang: integrasi data dan…</text>"), std::string::npos);
  EXPECT_NE(html.find("Rp 49.500.000.000"), std::string::npos);
}

TEST_F(PadangExport, CloudEventsAreTheLogsEventsOnePerLine) {
  const auto text = export_of(ExportFormat::cloudevents);
  auto events = log_->read_stream("padang-2019", 1, 1000);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 221u);
  std::istringstream lines(text);
  std::string line;
  std::set<std::string> ids;
  std::size_t i = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(i, events->size());
    const auto& e = (*events)[i++];
    const auto ce = json::parse(line).as_object();
    EXPECT_EQ(ce.at("specversion"), "1.0");
    EXPECT_EQ(ce.at("source"), "/masterplans/padang-2019");
    EXPECT_EQ(text_of(ce.at("type")), "rembuk.masterplan." + e.type);
    EXPECT_EQ(ce.at("datacontenttype"), "application/json");
    EXPECT_EQ(ce.at("data"), json::parse(e.payload));
    EXPECT_EQ(text_of(ce.at("rembukhash")), store::to_hex(e.hash));
    EXPECT_EQ(text_of(ce.at("rembukprevhash")), store::to_hex(e.prev_hash));
    EXPECT_EQ(text_of(ce.at("rembukposition")), std::to_string(e.position));
    EXPECT_EQ(text_of(ce.at("rembukrevision")), std::to_string(e.revision));
    EXPECT_TRUE(ce.at("time").as_string().ends_with("Z"));
    EXPECT_FALSE(ce.at("subject").as_string().empty());
    ids.insert(std::string(ce.at("id").as_string()));
  }
  EXPECT_EQ(i, 221u);
  EXPECT_EQ(ids.size(), 221u);
}

TEST_F(PadangExport, AtVersionAndAtTime) {
  ExportRequest at;
  at.at = 10;
  EXPECT_EQ(json::parse(export_of(ExportFormat::json, at)).at("version"), 10);
  std::istringstream ten(export_of(ExportFormat::cloudevents, at));
  std::string line;
  std::size_t lines = 0;
  while (std::getline(ten, line)) ++lines;
  EXPECT_EQ(lines, 10u);
  ExportRequest moment;  // one command an hour from 08:00: 10:30 is after version 3
  moment.at_time_us = padang_start_us + 2 * hour_us + hour_us / 2;
  EXPECT_EQ(json::parse(export_of(ExportFormat::json, moment)).at("version"), 3);
}

TEST_F(PadangExport, ErrorsAreValues) {
  ExportRequest request;
  auto missing = export_masterplan(*log_, "no-such-city", request);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  request.at = 222;
  auto beyond = export_masterplan(*log_, "padang-2019", request);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error().code, ErrorCode::not_found);
  request.at_time_us = padang_start_us;
  auto both = export_masterplan(*log_, "padang-2019", request);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(export_format_from_string("docx").has_value());
  EXPECT_EQ(export_format_from_string("pdf"), ExportFormat::pdf);
  EXPECT_EQ(export_format_from_string("cloudevents"), ExportFormat::cloudevents);
}

TEST(ExportAppendix, ListsTheChangesSinceThePreviousSubmission) {
  TempDir dir;
  TestClock clock;
  auto log = open_log(dir.str(), &clock);
  import_padang(*log, clock);
  {
    engine::CommandEngine engine(*log, nullptr);
    const std::string actor =
        R"("actor":{"user":"u-suardi","roles":["tim_pelaksana"],"opd":"diskominfo"})";
    for (const std::string command :
         {R"({"type":"ReopenMasterplan","reason":"Revisi anggaran"})",
          R"({"type":"UpdateProgram","programId":"p-pantau-lingkungan","title":"Pantau Lingkungan Terpadu"})",
          R"({"type":"SubmitMasterplan"})"}) {
      static int n = 0;
      const std::string line = R"({"masterplan":"padang-2019","commandId":"appendix-)" +
                               std::to_string(++n) + "\"," + actor + R"(,"command":)" + command +
                               "}";
      ASSERT_EQ(submit_line(engine, line), "") << line;
    }
  }
  ExportRequest request;
  request.format = ExportFormat::md;
  auto md = export_masterplan(*log, "padang-2019", request);
  ASSERT_TRUE(md.ok()) << md.error().message;
  EXPECT_EQ(md->version, 224u);
  const auto appendix = md->body.substr(md->body.find("## Lampiran D."));
  EXPECT_NE(appendix.find("Compared with version 221"), std::string::npos) << appendix;
  EXPECT_NE(appendix.find("| program/p-pantau-lingkungan | ~ diubah / changed | title |"),
            std::string::npos)
      << appendix;
  // The masterplan entity changed status and back: submitted → draft → submitted is no
  // change, so the only other row may be the masterplan's bookkeeping; never a program that
  // was not touched.
  EXPECT_EQ(appendix.find("program/p-sipadu"), std::string::npos);
  // At the reopened draft (version 222) the appendix compares with the latest submission.
  request.at = 222;
  auto draft = export_masterplan(*log, "padang-2019", request);
  ASSERT_TRUE(draft.ok());
  EXPECT_NE(draft->body.find("Compared with version 221"), std::string::npos);
}

}  // namespace
}  // namespace rembuk::documents
