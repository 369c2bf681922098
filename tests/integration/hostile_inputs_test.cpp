// The hostile-client catalogue (hostile_inputs.jsonl) run against a real server: every bad
// input gets its specific error code, reject code or close code, the server stays up and
// the log is unchanged. docs/security.md, "Hostile clients", lists the classes.
//
// One case per line: {"name", "frame" | "frameHex", "binary"?, "as", "before"?, "expect"}.
//   frame     text sent as one WebSocket text frame; `<<repeat:N:TEXT>>` stands for TEXT N
//             times, `<<token:KIND>>` for a token (editor, forged, other_secret, alg_none,
//             tampered, expired)
//   frameHex  the frame's bytes in hex (for bytes that are not UTF-8)
//   as        fresh (no hello), editor / editor2 (tim_pelaksana, token for "padang" only),
//             viewer (viewer, "padang" only), admin (every masterplan)
//   before    frames sent first on the same connection (or, prefixed "@admin:", on an admin
//             connection), each answered before the case starts
//   expect    error:CODE | reject:CODE | ack:duplicate | close:CODE
#include <fstream>
#include <map>

#include "server_fixture.hpp"

namespace rembuk::testing {
namespace {

using std::chrono::milliseconds;

std::string expand(std::string text, const std::map<std::string, std::string>& tokens) {
  for (std::size_t at = text.find("<<"); at != std::string::npos; at = text.find("<<", at)) {
    const auto end = text.find(">>", at);
    if (end == std::string::npos) break;
    const std::string macro = text.substr(at + 2, end - at - 2);
    std::string replacement;
    if (macro.rfind("repeat:", 0) == 0) {
      const auto colon = macro.find(':', 7);
      const int n = std::stoi(macro.substr(7, colon - 7));
      const std::string unit = macro.substr(colon + 1);
      replacement.reserve(unit.size() * static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) replacement += unit;
    } else if (macro.rfind("token:", 0) == 0) {
      replacement = tokens.at(macro.substr(6));
    }
    text.replace(at, end - at + 2, replacement);
    at += replacement.size();
  }
  return text;
}

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

class Hostile : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (!have_engine()) GTEST_SKIP() << "built without kernel/engine";
  }

  // The first ack, reject or error (skipping events and presence).
  static std::optional<json::object> answer(WsTestClient& c, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      auto m = c.next(left);
      if (!m) return std::nullopt;
      const auto type = m->at("type").as_string();
      if (type == "ack" || type == "reject" || type == "error") return m;
    }
  }
};

TEST_F(Hostile, EveryCatalogueEntryGetsItsCodeTheServerStaysUpTheLogIsUnchanged) {
  // 64 KiB frames: the oversized case (70 KB) then fits in loopback's socket buffers, so the
  // client has sent all of it before the server refuses it, and reads the 1009 close frame
  // instead of racing a reset.
  auto options = default_options();
  options.max_frame_bytes = 64 * 1024;
  start(options);
  auto admin = join("u-admin", {"admin"});
  ASSERT_TRUE(admin);
  // padang with one OPD and one program, so valid edits exist to replay.
  int seeded = 0;
  for (json::object command :
       {json::object{{"type", "CreateMasterplan"}, {"cityName", "Padang"},
                     {"regionCode", "13.71"}, {"startYear", 2019}, {"endYear", 2023}},
        json::object{{"type", "RegisterOpd"}, {"opdId", "bappeda"}, {"name", "Bappeda"}}}) {
    admin->send(json::object{{"type", "submit"},
                             {"commandId", "seed-" + std::to_string(++seeded)},
                             {"masterplan", "padang"},
                             {"command", std::move(command)}});
    auto a = answer(*admin, milliseconds(10000));
    ASSERT_TRUE(a && a->at("type").as_string() == "ack") << (a ? json::serialize(*a) : "none");
  }

  const std::string editor = token("u-editor", {"tim_pelaksana"}, "", {"padang"});
  const std::string viewer = token("u-viewer", {"viewer"}, "", {"padang"});
  const std::string editor2 = token("u-editor2", {"tim_pelaksana"}, "", {"padang"});
  const std::string admin_token = token("u-admin", {"admin"});
  server::Claims raised;
  raised.user = "u-viewer";
  raised.roles = {"admin"};
  raised.issued_at = 0;
  raised.expires_at = 4'000'000'000;
  const std::string other = server::issue_token(raised, "another-secret-another-secret!!");
  auto part = [](const std::string& t, int i) {
    std::size_t b = 0;
    for (int k = 0; k < i; ++k) b = t.find('.', b) + 1;
    return t.substr(b, t.find('.', b) - b);
  };
  const std::map<std::string, std::string> tokens{
      {"editor", editor},
      {"forged", editor.substr(0, editor.rfind('.') + 1) + std::string(43, 'A')},
      {"other_secret", other},
      // {"alg":"none","typ":"JWT"} with the editor's claims and no signature.
      {"alg_none", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + part(editor, 1) + "."},
      // The admin claims of `other` under the editor's (valid) signature.
      {"tampered", part(editor, 0) + "." + part(other, 1) + "." + part(editor, 2)},
      {"expired", token("u-editor", {"tim_pelaksana"}, "", {"padang"}, -60)},
  };

  std::ifstream in(REMBUK_HOSTILE_INPUTS);
  ASSERT_TRUE(in) << REMBUK_HOSTILE_INPUTS;
  std::string line;
  int cases = 0;
  auto sentinel = join("u-sentinel", {"viewer"});
  ASSERT_TRUE(sentinel);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto spec = json::parse(line).as_object();
    const std::string name(spec.at("name").as_string());
    SCOPED_TRACE(name);
    ++cases;
    const std::string as(spec.at("as").as_string());
    auto client = connect();
    ASSERT_TRUE(client);
    if (as != "fresh") {
      const std::string& t = as == "editor"    ? editor
                             : as == "editor2" ? editor2
                             : as == "viewer"  ? viewer
                                               : admin_token;
      ASSERT_TRUE(client->request(hello(t), "welcome"));
    }
    if (const auto* before = spec.if_contains("before")) {
      for (const auto& b : before->as_array()) {
        std::string frame(b.as_string());
        WsTestClient* target = client.get();
        if (frame.rfind("@admin:", 0) == 0) {
          frame = frame.substr(7);
          target = admin.get();
        }
        target->send(expand(frame, tokens));
        auto a = answer(*target, milliseconds(10000));
        ASSERT_TRUE(a && a->at("type").as_string() == "ack")
            << "before: " << (a ? json::serialize(*a) : "none");
      }
    }
    const auto log_before = head();
    if (const auto* hex = spec.if_contains("frameHex")) {
      const std::string bytes = from_hex(hex->as_string());
      if (spec.contains("binary")) {
        client->send_binary(bytes);
      } else {
        client->send(bytes);
      }
    } else {
      client->send(expand(std::string(spec.at("frame").as_string()), tokens));
    }

    const std::string expect(spec.at("expect").as_string());
    const auto colon = expect.find(':');
    const std::string kind = expect.substr(0, colon);
    const std::string code = expect.substr(colon + 1);
    if (kind == "close") {
      auto closed = client->wait_closed(milliseconds(10000));
      ASSERT_TRUE(closed) << "not closed";
      EXPECT_EQ(std::to_string(closed->code), code);
    } else {
      auto a = answer(*client, milliseconds(10000));
      ASSERT_TRUE(a) << "no answer";
      const std::string got_type(a->at("type").as_string());
      if (kind == "ack") {
        EXPECT_EQ(got_type, "ack") << json::serialize(*a);
        EXPECT_TRUE(a->contains("duplicate") && a->at("duplicate").as_bool())
            << json::serialize(*a);
      } else {
        EXPECT_EQ(got_type, kind) << json::serialize(*a);
        EXPECT_EQ(std::string(a->at("code").as_string()), code) << json::serialize(*a);
        EXPECT_FALSE(a->at("message").as_string().empty());
      }
      // The connection stays usable after a refused message.
      EXPECT_TRUE(client->request({{"type", "ping"}}, "pong"));
    }
    EXPECT_EQ(head(), log_before) << "the log changed";
    ASSERT_TRUE(sentinel->request({{"type", "ping"}}, "pong")) << "the server is down";
  }
  EXPECT_GE(cases, 50);
  EXPECT_TRUE(log_->verify().ok);
}

}  // namespace
}  // namespace rembuk::testing
