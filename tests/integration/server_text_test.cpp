// Two people typing into one narrative field at once, over real WebSockets: each client
// makes text operations on the text it has seen and submits them with that version as base;
// the server moves each over the operations committed since. Every operation is acked, and
// both clients and the server end with the same text holding every word of both.
#include <random>
#include <thread>

#include "rembuk/model/text/operation.hpp"
#include "server_fixture.hpp"

namespace rembuk::testing {
namespace {

using std::chrono::milliseconds;
namespace text = model::text;

class TextTyping : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (!have_engine()) GTEST_SKIP() << "built without kernel/engine";
    start();
  }
};

// One typist: keeps the field's text as the events it received made it, inserts its own
// words at word boundaries of that text, one operation in flight at a time.
class Typist {
 public:
  Typist(WsTestClient& client, std::string name, std::string text, std::int64_t version,
         std::uint64_t seed)
      : client_(client), name_(std::move(name)), text_(std::move(text)), version_(version),
        rng_(seed) {}

  void type_words(int words) {
    for (int i = 0; i < words; ++i) {
      const std::string word = name_ + std::to_string(i) + " ";
      text::Operation op;
      const std::size_t at = boundary();
      if (at > 0) op.push_back(text::Component::keep(at));
      op.push_back(text::Component::insert(word));
      const std::string id = name_ + "-" + std::to_string(i);
      json::object command{{"type", "EditText"}, {"field", "masterplan/vision"},
                           {"ops", text::encode(op)}};
      client_.send(json::object{{"type", "submit"}, {"commandId", id}, {"masterplan", "kota"},
                                {"baseVersion", version_}, {"command", command}});
      const std::int64_t acked = wait_for_ack(id);
      ASSERT_GT(acked, 0) << name_ << " " << id << " not acked: " << last_reject_;
      // Its own operation comes back in the events, as committed: wait until it is applied.
      while (version_ < acked) ASSERT_TRUE(read_one()) << name_ << " lost the events";
    }
  }

  // Reads events until the local text reaches `version`.
  void catch_up_to(std::int64_t version) {
    while (version_ < version) ASSERT_TRUE(read_one()) << name_ << " lost the events";
  }

  const std::string& text() const { return text_; }
  std::int64_t version() const { return version_; }

 private:
  std::size_t boundary() {
    std::vector<std::size_t> at{0};
    std::size_t i = 0;
    for (char c : text_) {
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++i;
      if (c == ' ') at.push_back(i);
    }
    return at[std::uniform_int_distribution<std::size_t>(0, at.size() - 1)(rng_)];
  }

  std::int64_t wait_for_ack(const std::string& id) {
    while (true) {
      auto m = client_.next(milliseconds(10000));
      if (!m) return 0;
      if (handle(*m)) continue;
      const auto type = m->at("type").as_string();
      if ((type == "ack" || type == "reject") && m->at("commandId").as_string() == id) {
        if (type == "reject") {
          last_reject_ = json::serialize(*m);
          return 0;
        }
        return m->at("version").as_int64();
      }
    }
  }

  bool read_one() {
    auto m = client_.next(milliseconds(10000));
    if (!m) return false;
    handle(*m);
    return true;
  }

  // Applies an events message; true when `m` was one.
  bool handle(const json::object& m) {
    if (m.at("type").as_string() != "events") return false;
    for (const auto& e : m.at("events").as_array()) {
      const auto& event = e.as_object();
      const std::int64_t version = event.at("version").as_int64();
      EXPECT_EQ(version, version_ + 1) << name_ << ": events out of order";
      version_ = version;
      if (event.at("type").as_string() != "TextEdited") continue;
      auto op = text::decode(event.at("payload").at("ops"));
      EXPECT_TRUE(op);
      auto after = text::apply(text_, op.value());
      EXPECT_TRUE(after) << name_ << " cannot apply " << json::serialize(event);
      if (after) text_ = std::move(after.value());
    }
    return true;
  }

  WsTestClient& client_;
  std::string name_;
  std::string text_;
  std::int64_t version_;
  std::mt19937_64 rng_;
  std::string last_reject_;
};

TEST_F(TextTyping, TwoClientsTypingIntoOneFieldAtOnceAreBothAckedAndBothWordsStay) {
  auto admin = join("u-admin", {"admin"});
  auto ani = join("u-ani");
  auto budi = join("u-budi");
  ASSERT_TRUE(admin && ani && budi);
  auto submit = [&](const std::string& id, json::object command) {
    admin->send(json::object{{"type", "submit"}, {"commandId", id}, {"masterplan", "kota"},
                             {"command", std::move(command)}});
    auto m = admin->next_of_type("ack", milliseconds(10000));
    EXPECT_TRUE(m) << id;
    return m ? m->at("version").as_int64() : 0;
  };
  submit("s1", {{"type", "CreateMasterplan"}, {"cityName", "Kota"}, {"regionCode", "13.71"},
                {"startYear", 2019}, {"endYear", 2023}});
  const std::string vision = "Kota cerdas 🏙 ";
  const std::int64_t base = submit("s2", {{"type", "SetVision"}, {"text", vision}});
  for (auto* c : {ani.get(), budi.get()}) {
    ASSERT_TRUE(c->request(json::object{{"type", "subscribe"}, {"masterplan", "kota"},
                                        {"fromVersion", base}},
                           "events"));
  }

  constexpr int kWords = 40;
  Typist a(*ani, "ani", vision, base, 1);
  Typist b(*budi, "budi", vision, base, 2);
  std::thread ta([&] { a.type_words(kWords); });
  std::thread tb([&] { b.type_words(kWords); });
  ta.join();
  tb.join();
  const std::int64_t last = base + 2 * kWords;
  a.catch_up_to(last);
  b.catch_up_to(last);

  auto state = engine_->state("kota");
  ASSERT_TRUE(state && state.value());
  EXPECT_EQ(state.value()->version, static_cast<model::Version>(last));
  const std::string& server = state.value()->vision;
  EXPECT_EQ(a.text(), server);
  EXPECT_EQ(b.text(), server);
  for (int i = 0; i < kWords; ++i) {
    for (const std::string name : {"ani", "budi"}) {
      const std::string word = name + std::to_string(i) + " ";
      EXPECT_NE(server.find(word), std::string::npos) << word << " is missing from " << server;
    }
  }
  EXPECT_NE(server.find("🏙"), std::string::npos);
  // "ani0 " … "ani9 ", "ani10 " …; "budi0 " …: nothing typed is lost or doubled.
  EXPECT_EQ(text::code_points(server),
            text::code_points(vision) + (5 + 6) * 10 + (6 + 7) * (kWords - 10));
}

TEST_F(TextTyping, AWholeValueSetAfterUnseenTypingIsAConflictOverTheWire) {
  auto admin = join("u-admin", {"admin"});
  ASSERT_TRUE(admin);
  auto send = [&](const std::string& id, json::object command, std::optional<std::int64_t> base) {
    json::object m{{"type", "submit"}, {"commandId", id}, {"masterplan", "kota"},
                   {"command", std::move(command)}};
    if (base) m["baseVersion"] = *base;
    admin->send(m);
    while (true) {
      auto answer = admin->next(milliseconds(10000));
      if (!answer) return json::object{};
      const auto type = answer->at("type").as_string();
      if ((type == "ack" || type == "reject") && answer->at("commandId").as_string() == id) {
        return *answer;
      }
    }
  };
  send("s1", {{"type", "CreateMasterplan"}, {"cityName", "Kota"}, {"regionCode", "13.71"},
              {"startYear", 2019}, {"endYear", 2023}}, std::nullopt);
  const auto base = send("s2", {{"type", "SetVision"}, {"text", "Visi"}}, std::nullopt)
                        .at("version")
                        .as_int64();
  EXPECT_EQ(send("t1", {{"type", "EditText"}, {"field", "masterplan/vision"},
                        {"ops", json::array{4, "!"}}}, base)
                .at("type")
                .as_string(),
            "ack");
  auto rejected = send("s3", {{"type", "SetVision"}, {"text", "Lain"}}, base);
  EXPECT_EQ(rejected.at("type").as_string(), "reject");
  EXPECT_EQ(rejected.at("code").as_string(), "conflict");
}

}  // namespace
}  // namespace rembuk::testing
