#include "protocol.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace rembuk::server::protocol {
namespace {

namespace json = boost::json;

DecodeError decode_error(std::string_view text) {
  auto r = decode(text, DecodeLimits{});
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return {};
  return r.error();
}

TEST(Decode, EveryMessageType) {
  auto hello = decode(R"({"type":"hello","token":"t.t.t","id":7})", {});
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(std::get<Hello>(hello->body).token, "t.t.t");
  EXPECT_EQ(hello->id_json, "7");

  auto sub = decode(R"({"type":"subscribe","masterplan":"padang","fromVersion":12})", {});
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(std::get<Subscribe>(sub->body).masterplan, "padang");
  EXPECT_EQ(std::get<Subscribe>(sub->body).from_version, 12u);

  auto sub0 = decode(R"({"type":"subscribe","masterplan":"padang"})", {});
  ASSERT_TRUE(sub0.ok());
  EXPECT_EQ(std::get<Subscribe>(sub0->body).from_version, 0u);

  auto unsub = decode(R"({"type":"unsubscribe","masterplan":"padang","id":"u1"})", {});
  ASSERT_TRUE(unsub.ok());
  EXPECT_EQ(unsub->id_json, "\"u1\"");

  auto submit = decode(
      R"({"type":"submit","commandId":"c1","masterplan":"padang","baseVersion":3,)"
      R"("command":{"type":"SetVision","text":"x"}})",
      {});
  ASSERT_TRUE(submit.ok());
  const auto& s = std::get<Submit>(submit->body);
  EXPECT_EQ(s.command_id, "c1");
  EXPECT_EQ(s.base_version, 3u);
  EXPECT_EQ(s.command.at("type").as_string(), "SetVision");

  auto no_base = decode(
      R"({"type":"submit","commandId":"c1","masterplan":"p","command":{"type":"X"}})", {});
  ASSERT_TRUE(no_base.ok());
  EXPECT_FALSE(std::get<Submit>(no_base->body).base_version.has_value());

  auto presence = decode(R"({"type":"presence","masterplan":"p","focus":{"entity":"program/1"}})", {});
  ASSERT_TRUE(presence.ok());
  EXPECT_EQ(std::get<Presence>(presence->body).focus_json, R"({"entity":"program/1"})");

  auto ping = decode(R"({"type":"ping"})", {});
  ASSERT_TRUE(ping.ok());
  EXPECT_TRUE(std::holds_alternative<Ping>(ping->body));
}

TEST(Decode, EachMalformedClassHasItsCode) {
  EXPECT_EQ(decode_error("{not json").code, ErrorCode::bad_json);
  EXPECT_EQ(decode_error("").code, ErrorCode::bad_json);
  EXPECT_EQ(decode_error("[1,2]").code, ErrorCode::not_an_object);
  EXPECT_EQ(decode_error("\"hello\"").code, ErrorCode::not_an_object);
  EXPECT_EQ(decode_error(R"({"token":"x"})").code, ErrorCode::missing_type);
  EXPECT_EQ(decode_error(R"({"type":5})").code, ErrorCode::missing_type);
  auto unknown = decode_error(R"({"type":"dance","id":"d"})");
  EXPECT_EQ(unknown.code, ErrorCode::unknown_type);
  EXPECT_EQ(unknown.id_json, "\"d\"");
  EXPECT_NE(unknown.message.find("dance"), std::string::npos);

  auto no_token = decode_error(R"({"type":"hello"})");
  EXPECT_EQ(no_token.code, ErrorCode::missing_field);
  EXPECT_EQ(no_token.path, "/token");
  EXPECT_EQ(no_token.ref, "hello");

  auto bad_from = decode_error(R"({"type":"subscribe","masterplan":"p","fromVersion":-1})");
  EXPECT_EQ(bad_from.code, ErrorCode::invalid_field);
  EXPECT_EQ(bad_from.path, "/fromVersion");
  EXPECT_EQ(decode_error(R"({"type":"subscribe","masterplan":"p","fromVersion":"3"})").code,
            ErrorCode::invalid_field);
  EXPECT_EQ(decode_error(R"({"type":"subscribe","masterplan":"p","fromVersion":1.5})").code,
            ErrorCode::invalid_field);
  EXPECT_EQ(decode_error(R"({"type":"subscribe","masterplan":""})").code,
            ErrorCode::invalid_field);
  EXPECT_EQ(decode_error(R"({"type":"subscribe","masterplan":7})").code,
            ErrorCode::invalid_field);
  EXPECT_EQ(decode_error(R"({"type":"subscribe"})").code, ErrorCode::missing_field);
  const std::string long_mp(201, 'm');
  EXPECT_EQ(decode_error(R"({"type":"subscribe","masterplan":")" + long_mp + "\"}").code,
            ErrorCode::invalid_field);

  auto no_command = decode_error(R"({"type":"submit","commandId":"c","masterplan":"p"})");
  EXPECT_EQ(no_command.code, ErrorCode::missing_field);
  EXPECT_EQ(no_command.path, "/command");
  EXPECT_EQ(decode_error(R"({"type":"submit","commandId":"c","masterplan":"p","command":[]})").code,
            ErrorCode::invalid_field);
  auto untyped = decode_error(R"({"type":"submit","commandId":"c","masterplan":"p","command":{}})");
  EXPECT_EQ(untyped.code, ErrorCode::missing_field);
  EXPECT_EQ(untyped.path, "/command/type");
  EXPECT_EQ(decode_error(R"({"type":"submit","masterplan":"p","command":{"type":"X"}})").code,
            ErrorCode::missing_field);
  const std::string long_id(129, 'c');
  EXPECT_EQ(decode_error(R"({"type":"submit","commandId":")" + long_id +
                         R"(","masterplan":"p","command":{"type":"X"}})")
                .code,
            ErrorCode::invalid_field);

  const std::string big_focus(2000, 'f');
  auto focus = decode_error(R"({"type":"presence","masterplan":"p","focus":")" + big_focus + "\"}");
  EXPECT_EQ(focus.code, ErrorCode::invalid_field);
  EXPECT_EQ(focus.path, "/focus");

  EXPECT_EQ(decode_error(R"({"type":"ping","id":{"a":1}})").code, ErrorCode::invalid_field);
}

TEST(Encode, ServerMessagesAreValidJson) {
  for (const std::string& text :
       {encode_error(ErrorCode::bad_json, "bad \"quote\"\n", "hello", "/token", "3"),
        encode_ack("c1", "p", 4, true, "\"x\""),
        encode_reject("c1", "p", "conflict", "m", json::array{json::object{{"code", "conflict"}}}, ""),
        encode_presence("p", "u", "s1", R"({"a":1})", true), encode_presence("p", "u", "s1", "null", false),
        encode_snapshot("p", 9, R"({"version":9})", ""), encode_unsubscribed("p", "1"),
        encode_pong(""),
        encode_welcome("s1", "u", {"admin"}, "", {}, json::object{{"version", "1"}}, "1")}) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    ASSERT_FALSE(ec) << text;
    EXPECT_TRUE(v.as_object().contains("type")) << text;
  }
  auto err = json::parse(encode_error(ErrorCode::invalid_field, "m", "submit", "/command", "")).as_object();
  EXPECT_EQ(err.at("code").as_string(), "invalid_field");
  EXPECT_EQ(err.at("path").as_string(), "/command");
}

store::RecordedEvent event(std::uint64_t revision) {
  store::RecordedEvent e;
  e.position = revision + 100;
  e.stream = "p\"1";
  e.revision = revision;
  e.type = "VisionSet";
  e.time_us = 1'800'000'000'123'456;
  e.actor = "u";
  e.command_id = "c" + std::to_string(revision);
  e.payload = R"({"text":"v)" + std::to_string(revision) + "\"}";
  return e;
}

TEST(Events, FrameAndMergeKeepEveryEventOnce) {
  std::vector<store::RecordedEvent> a{event(1), event(2)};
  std::vector<store::RecordedEvent> b{event(3)};
  std::vector<store::RecordedEvent> c{event(4), event(5)};
  auto fa = make_events_frame("p\"1", a, true, 0, {});
  auto fb = make_events_frame("p\"1", b, true, 0, {});
  auto fc = make_events_frame("p\"1", c, true, 0, {});
  EXPECT_EQ(fa->first_version, 1u);
  EXPECT_EQ(fa->last_version, 2u);
  std::vector<FramePtr> frames{fa, fb, fc};
  auto merged = merge_events(frames);
  auto v = json::parse(merged->bytes).as_object();
  EXPECT_EQ(v.at("type").as_string(), "events");
  EXPECT_EQ(v.at("masterplan").as_string(), "p\"1");
  EXPECT_EQ(v.at("version").as_int64(), 5);
  const auto& events = v.at("events").as_array();
  ASSERT_EQ(events.size(), 5u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i].as_object();
    EXPECT_EQ(e.at("version").as_int64(), static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(e.at("payload").at("text").as_string(), "v" + std::to_string(i + 1));
    EXPECT_EQ(e.at("time").as_string(), "2027-01-15T08:00:00.123456Z");
  }
  EXPECT_EQ(merged->first_version, 1u);
  EXPECT_EQ(merged->last_version, 5u);
}

TEST(Events, CatchUpFrameCarriesCatchUpAndId) {
  std::vector<store::RecordedEvent> none;
  auto f = make_events_frame("p", none, false, 7, "\"r1\"");
  auto v = json::parse(f->bytes).as_object();
  EXPECT_TRUE(v.at("catchUp").as_bool());
  EXPECT_EQ(v.at("version").as_int64(), 7);
  EXPECT_EQ(v.at("id").as_string(), "r1");
  EXPECT_TRUE(v.at("events").as_array().empty());
}

TEST(JsonString, EscapesControlCharacters) {
  std::string out;
  append_json_string(out, std::string("a\x01\"\\\n\tb", 8));
  EXPECT_EQ(json::parse(out).as_string(), std::string("a\x01\"\\\n\tb", 8));
}

}  // namespace
}  // namespace rembuk::server::protocol

namespace rembuk::server::protocol {
namespace {

TEST(Decode, NestingDeeperThanTheLimitIsTooDeepAtTheLimitIsFine) {
  auto nest = [](int depth) {
    return R"({"type":"ping","x":)" + std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']') + "}";
  };
  DecodeLimits limits;
  limits.max_depth = 8;
  // The message object itself is one level.
  EXPECT_TRUE(decode(nest(7), limits).ok());
  auto deep = decode(nest(8), limits);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, ErrorCode::too_deep);
  EXPECT_NE(deep.error().message.find("8 levels"), std::string::npos) << deep.error().message;
  EXPECT_EQ(to_string(ErrorCode::too_deep), "too_deep");
  // The default allows any real message and refuses a nesting bomb.
  EXPECT_EQ(decode_error(nest(5000)).code, ErrorCode::too_deep);
}

}  // namespace
}  // namespace rembuk::server::protocol
