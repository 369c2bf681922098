// StateJsonCache: a text is found only at its version, a newer version replaces it, an older
// one does not, and the least recently read go first when the texts outgrow the capacity.
#include "state_json_cache.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace rembuk::server {
namespace {

std::shared_ptr<const std::string> text(std::size_t size, char fill) {
  return std::make_shared<const std::string>(size, fill);
}

TEST(StateJsonCache, FindsATextOnlyAtItsVersion) {
  StateJsonCache cache(1000);
  EXPECT_EQ(cache.find("kota-a", 3), nullptr);
  cache.keep("kota-a", 3, text(10, 'a'));
  ASSERT_NE(cache.find("kota-a", 3), nullptr);
  EXPECT_EQ(*cache.find("kota-a", 3), std::string(10, 'a'));
  EXPECT_EQ(cache.find("kota-a", 4), nullptr);
  EXPECT_EQ(cache.find("kota-a", 2), nullptr);
  EXPECT_EQ(cache.find("kota-b", 3), nullptr);
}

TEST(StateJsonCache, ANewerVersionReplacesTheTextAndAnOlderOneDoesNot) {
  StateJsonCache cache(1000);
  cache.keep("kota-a", 3, text(10, 'a'));
  cache.keep("kota-a", 5, text(20, 'b'));
  EXPECT_EQ(cache.find("kota-a", 3), nullptr);
  ASSERT_NE(cache.find("kota-a", 5), nullptr);
  EXPECT_EQ(cache.bytes(), 20u);
  cache.keep("kota-a", 4, text(30, 'c'));  // a slow reader's older encoding
  EXPECT_EQ(cache.find("kota-a", 4), nullptr);
  ASSERT_NE(cache.find("kota-a", 5), nullptr);
  EXPECT_EQ(cache.bytes(), 20u);
}

TEST(StateJsonCache, TheLeastRecentlyReadGoFirstWhenFull) {
  StateJsonCache cache(100);
  cache.keep("kota-a", 1, text(40, 'a'));
  cache.keep("kota-b", 1, text(40, 'b'));
  ASSERT_NE(cache.find("kota-a", 1), nullptr);  // kota-b is now the least recently read
  cache.keep("kota-c", 1, text(40, 'c'));
  EXPECT_NE(cache.find("kota-a", 1), nullptr);
  EXPECT_EQ(cache.find("kota-b", 1), nullptr);
  EXPECT_NE(cache.find("kota-c", 1), nullptr);
  EXPECT_EQ(cache.bytes(), 80u);
}

TEST(StateJsonCache, ATextLargerThanTheCapacityIsNotKept) {
  StateJsonCache cache(100);
  cache.keep("kota-a", 1, text(40, 'a'));
  cache.keep("kota-b", 1, text(101, 'b'));
  EXPECT_EQ(cache.find("kota-b", 1), nullptr);
  EXPECT_NE(cache.find("kota-a", 1), nullptr);
  EXPECT_EQ(cache.bytes(), 40u);
}

}  // namespace
}  // namespace rembuk::server
