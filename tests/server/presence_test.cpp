#include "presence.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "limits.hpp"

namespace rembuk::server {
namespace {

namespace json = boost::json;
using Clock = PresenceBoard::Clock;

TEST(PresenceBoard, UpdateRemoveAndExpire) {
  PresenceBoard board("padang");
  const auto t0 = Clock::now();
  auto f1 = board.update(1, "u-rina", "s1", R"({"entity":"program/p1"})", t0);
  auto v1 = json::parse(f1->bytes).as_object();
  EXPECT_EQ(v1.at("type").as_string(), "presence");
  EXPECT_EQ(v1.at("user").as_string(), "u-rina");
  EXPECT_EQ(v1.at("state").as_string(), "active");
  EXPECT_EQ(v1.at("focus").at("entity").as_string(), "program/p1");

  board.update(2, "u-budi", "s2", "null", t0 + std::chrono::seconds(20));
  EXPECT_EQ(board.current(1).size(), 1u);
  EXPECT_EQ(board.current(3).size(), 2u);

  auto expired = board.expire(t0 + std::chrono::seconds(31), std::chrono::seconds(30));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].session_id, 1u);
  EXPECT_EQ(json::parse(expired[0].left->bytes).at("state").as_string(), "left");
  EXPECT_EQ(board.size(), 1u);

  EXPECT_NE(board.remove(2), nullptr);
  EXPECT_EQ(board.remove(2), nullptr);
  EXPECT_EQ(board.size(), 0u);
}

TEST(TokenBucket, AllowsRateThenRefills) {
  TokenBucket bucket(5);
  const auto t0 = Clock::now() + std::chrono::seconds(1);
  int taken = 0;
  for (int i = 0; i < 10; ++i) taken += bucket.try_take(t0) ? 1 : 0;
  EXPECT_EQ(taken, 5);
  EXPECT_FALSE(bucket.try_take(t0 + std::chrono::milliseconds(100)));
  EXPECT_TRUE(bucket.try_take(t0 + std::chrono::milliseconds(250)));
}

}  // namespace
}  // namespace rembuk::server
