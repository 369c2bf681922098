// number_format: every case of tests/data/number-format-cases.json (the web editor's format.ts
// meets the same file), then what the file cannot say (extremes, the language names).
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include <boost/json.hpp>

#include "rembuk/common/number_format.hpp"

namespace rembuk {
namespace {

namespace json = boost::json;

json::value cases() {
  std::ifstream file(REMBUK_TEST_DATA "/number-format-cases.json");
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return json::parse(text);
}

std::string formatted(const json::object& c) {
  const std::string fn(c.at("fn").as_string());
  const Lang lang = *lang_from_string(c.at("lang").as_string());
  const double value = c.at("value").to_number<double>();
  const std::int64_t whole = static_cast<std::int64_t>(value);
  if (fn == "integer") return format_integer(whole, lang);
  if (fn == "decimal") return format_decimal(value, lang);
  if (fn == "percent") return format_percent(value, lang);
  if (fn == "quantity") return format_quantity(value, std::string(c.at("unit").as_string()), lang);
  if (fn == "rupiah") return format_rupiah(whole, lang);
  if (fn == "rupiahShort") return format_rupiah_short(whole, lang);
  ADD_FAILURE() << "unknown fn " << fn;
  return {};
}

TEST(NumberFormat, MeetsEverySharedCase) {
  const auto all = cases();
  ASSERT_GE(all.at("cases").as_array().size(), 30u);
  for (const auto& c : all.at("cases").as_array()) {
    EXPECT_EQ(formatted(c.as_object()), std::string(c.at("expect").as_string()))
        << json::serialize(c);
  }
}

TEST(NumberFormat, NeverScientificNotation) {
  // What Boost.JSON's serializer prints for these doubles: 1.21E2, 0E0, 1E5.
  EXPECT_EQ(format_decimal(121.0), "121");
  EXPECT_EQ(format_decimal(0.0), "0");
  EXPECT_EQ(format_decimal(1e5), "100.000");
  EXPECT_EQ(format_decimal(1e15, Lang::en), "1,000,000,000,000,000");
  EXPECT_EQ(format_decimal(1e-9), "0");
}

TEST(NumberFormat, Extremes) {
  EXPECT_EQ(format_integer(std::numeric_limits<std::int64_t>::min()),
            "-9.223.372.036.854.775.808");
  EXPECT_EQ(format_rupiah(std::numeric_limits<std::int64_t>::max(), Lang::en),
            "Rp 9,223,372,036,854,775,807");
  EXPECT_EQ(format_decimal(std::numeric_limits<double>::infinity()), "—");
  EXPECT_EQ(format_decimal(std::numeric_limits<double>::quiet_NaN()), "—");
  EXPECT_EQ(format_decimal(2.5, Lang::id, 0), "2");  // to nearest, ties to even
  EXPECT_EQ(format_decimal(0.123456789, Lang::id, 6), "0,123457");
  EXPECT_EQ(format_rupiah_short(-3'500'000'000), "-Rp 3,5 miliar");
  EXPECT_EQ(format_rupiah_short(994'000), "Rp 994.000");
  EXPECT_EQ(format_rupiah_short(999'999), "Rp 1 juta");  // by what it rounds to
}

TEST(NumberFormat, LanguageNames) {
  EXPECT_EQ(lang_from_string("id"), Lang::id);
  EXPECT_EQ(lang_from_string("en"), Lang::en);
  EXPECT_FALSE(lang_from_string("fr"));
  EXPECT_FALSE(lang_from_string("ID"));
  EXPECT_EQ(to_string(Lang::en), "en");
}

}  // namespace
}  // namespace rembuk
