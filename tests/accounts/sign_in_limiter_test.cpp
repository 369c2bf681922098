#include "rembuk/accounts/sign_in_limiter.hpp"

#include <gtest/gtest.h>

namespace rembuk::accounts {
namespace {

TEST(SignInLimiter, FreeFailuresThenGrowingDelays) {
  SignInLimiter limiter(LimiterOptions{3, 1, 60, 3600, 1000});
  const std::int64_t now = 1'000'000;
  EXPECT_EQ(limiter.failed("user:budi", now), 0);
  EXPECT_EQ(limiter.failed("user:budi", now), 0);
  EXPECT_EQ(limiter.failed("user:budi", now), 0);
  EXPECT_EQ(limiter.retry_after("user:budi", now), 0);
  EXPECT_EQ(limiter.failed("user:budi", now), 1);
  EXPECT_EQ(limiter.retry_after("user:budi", now), 1);
  EXPECT_EQ(limiter.failed("user:budi", now + 1), 2);
  EXPECT_EQ(limiter.failed("user:budi", now + 3), 4);
  EXPECT_EQ(limiter.failed("user:budi", now + 7), 8);
  EXPECT_EQ(limiter.retry_after("user:budi", now + 7), 8);
  EXPECT_EQ(limiter.retry_after("user:budi", now + 15), 0);
  for (int i = 0; i < 20; ++i) limiter.failed("user:budi", now + 20);
  EXPECT_EQ(limiter.retry_after("user:budi", now + 20), 60);  // capped
  EXPECT_EQ(limiter.retry_after("user:ani", now + 20), 0);    // keys are apart
}

TEST(SignInLimiter, SuccessClearsAndIdleKeysAreForgotten) {
  SignInLimiter limiter(LimiterOptions{1, 1, 60, 100, 1000});
  limiter.failed("k", 10);
  EXPECT_EQ(limiter.failed("k", 10), 1);
  limiter.succeeded("k");
  EXPECT_EQ(limiter.retry_after("k", 10), 0);
  EXPECT_EQ(limiter.failed("k", 10), 0);
  EXPECT_EQ(limiter.failed("k", 10), 1);
  EXPECT_EQ(limiter.failed("k", 500), 0);  // forgotten after 100 s idle: free again
}

TEST(SignInLimiter, BoundedNumberOfKeys) {
  SignInLimiter limiter(LimiterOptions{0, 1, 60, 1'000'000, 100});
  for (int i = 0; i < 10'000; ++i) limiter.failed("address:" + std::to_string(i), i);
  // The newest keys are kept, the stalest were dropped.
  EXPECT_GT(limiter.retry_after("address:9999", 9999), 0);
  EXPECT_EQ(limiter.retry_after("address:0", 9999), 0);
}

}  // namespace
}  // namespace rembuk::accounts
