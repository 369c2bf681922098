#include "rembuk/projections/time_format.hpp"

#include <gtest/gtest.h>

namespace rembuk::projections {
namespace {

TEST(TimeFormat, FormatsUtc) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(1'551'427'200'000'000), "2019-03-01T08:00:00Z");
  EXPECT_EQ(format_iso8601(1'551'427'200'000'123), "2019-03-01T08:00:00.000123Z");
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_iso8601(951'782'400'000'000), "2000-02-29T00:00:00Z");
}

TEST(TimeFormat, ParsesTheFormsTheCliAccepts) {
  EXPECT_EQ(parse_iso8601("2019-03-01"), 1'551'398'400'000'000);
  EXPECT_EQ(parse_iso8601("2019-03-01T08:00"), 1'551'427'200'000'000);
  EXPECT_EQ(parse_iso8601("2019-03-01T08:00:00Z"), 1'551'427'200'000'000);
  EXPECT_EQ(parse_iso8601("2019-03-01T15:00:00+07:00"), 1'551'427'200'000'000);  // WIB
  EXPECT_EQ(parse_iso8601("2019-03-01T08:00:00.5Z"), 1'551'427'200'500'000);
  EXPECT_EQ(parse_iso8601("2019-03-01T08:00:00.1234567Z"), 1'551'427'200'123'456);
  for (auto round : {std::int64_t{0}, std::int64_t{1'551'427'200'000'123}, std::int64_t{-1}}) {
    EXPECT_EQ(parse_iso8601(format_iso8601(round)), round);
  }
}

TEST(TimeFormat, RefusesWhatIsNotATime) {
  for (const char* bad : {"", "2019", "2019-13-01", "2019-03-01T25:00", "yesterday",
                          "2019-03-01T08:00:00Zjunk", "2019-03-01T08:00:00."}) {
    EXPECT_FALSE(parse_iso8601(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace rembuk::projections
