// GET /api/masterplans/{id}/export over a real server on 127.0.0.1 (port 0) and a real LMDB
// log: each format, at a version and a moment, the Bearer token and masterplan claim rules.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "audit_fixture.hpp"
#include "rembuk/audit/export.hpp"
#include "server_fixture.hpp"

namespace rembuk::audit {
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
      ASSERT_EQ(audit::testing::submit_line(*engine_, line), "") << line;
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
  auto bad = rembuk::testing::http_get(port_, "/api/masterplans/padang-2019/export?format=pdf", t);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(bad.body.find("format must be"), std::string::npos);
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
}  // namespace rembuk::audit
