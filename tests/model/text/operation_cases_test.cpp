// The shared cases of the text type (tests/data/text-cases.json): the C++ type and the
// TypeScript one in @rembuk/client (clients/js/test/text.test.ts) run the same file, so their
// semantics cannot drift. DISABLED_WriteRandomCases regenerates its "random" part.
#include <fstream>
#include <random>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "random_ops.hpp"

namespace rembuk::model::text::testing {
namespace {

namespace json = boost::json;

const std::string kCases = std::string(REMBUK_SOURCE_DIR) + "/tests/data/text-cases.json";

json::object load_cases() {
  std::ifstream in(kCases);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return json::parse(buffer.str()).as_object();
}

Operation op_of(const json::value& v) {
  auto decoded = decode(v);
  EXPECT_TRUE(decoded) << json::serialize(v) << ": "
                       << (decoded ? "" : decoded.error().message);
  return decoded ? decoded.value() : Operation{};
}

Side side_of(const json::object& c) { return c.at("side").as_string() == "left" ? Side::left : Side::right; }

std::string name_of(const json::object& c) {
  const auto* name = c.if_contains("name");
  return name != nullptr ? std::string(name->as_string()) : json::serialize(c);
}

class TextCases : public ::testing::Test {
 protected:
  json::object cases = load_cases();
  const json::array& group(std::string_view name) {
    static const json::array empty;
    const auto* found = cases.if_contains(name);
    return found != nullptr ? found->as_array() : empty;
  }
};

TEST_F(TextCases, TheFileHasEveryGroup) {
  for (auto name : {"decode", "apply", "transform", "compose", "invert", "transformPosition"}) {
    EXPECT_FALSE(group(name).empty()) << name;
  }
}

TEST_F(TextCases, Decode) {
  for (const auto& v : group("decode")) {
    const auto& c = v.as_object();
    auto decoded = decode(c.at("json"));
    if (const auto* error = c.if_contains("error")) {
      EXPECT_FALSE(decoded) << name_of(c);
      if (!decoded) {
        EXPECT_EQ(decoded.error().code, error->as_string()) << name_of(c);
      }
    } else {
      ASSERT_TRUE(decoded) << name_of(c) << ": " << decoded.error().message;
      EXPECT_EQ(json::serialize(encode(decoded.value())), json::serialize(c.at("op")))
          << name_of(c);
    }
  }
}

TEST_F(TextCases, Apply) {
  for (const auto& v : group("apply")) {
    const auto& c = v.as_object();
    auto result = text::apply(c.at("doc").as_string(), op_of(c.at("op")));
    if (const auto* error = c.if_contains("error")) {
      EXPECT_FALSE(result) << name_of(c);
      if (!result) {
        EXPECT_EQ(result.error().code, error->as_string()) << name_of(c);
      }
    } else {
      ASSERT_TRUE(result) << name_of(c) << ": " << result.error().message;
      EXPECT_EQ(result.value(), c.at("result").as_string()) << name_of(c);
    }
  }
}

TEST_F(TextCases, Transform) {
  for (const auto& v : group("transform")) {
    const auto& c = v.as_object();
    const Operation result = transform(op_of(c.at("op")), op_of(c.at("other")), side_of(c));
    EXPECT_EQ(json::serialize(encode(result)), json::serialize(c.at("result"))) << name_of(c);
  }
}

TEST_F(TextCases, Compose) {
  for (const auto& v : group("compose")) {
    const auto& c = v.as_object();
    const Operation result = compose(op_of(c.at("first")), op_of(c.at("second")));
    EXPECT_EQ(json::serialize(encode(result)), json::serialize(c.at("result"))) << name_of(c);
  }
}

TEST_F(TextCases, Invert) {
  for (const auto& v : group("invert")) {
    const auto& c = v.as_object();
    const Operation op = op_of(c.at("op"));
    auto deleted = deleted_texts(c.at("doc").as_string(), op);
    ASSERT_TRUE(deleted) << name_of(c);
    auto inverse = invert(op, deleted.value());
    ASSERT_TRUE(inverse) << name_of(c);
    EXPECT_EQ(json::serialize(encode(inverse.value())), json::serialize(c.at("result")))
        << name_of(c);
  }
}

TEST_F(TextCases, TransformPosition) {
  for (const auto& v : group("transformPosition")) {
    const auto& c = v.as_object();
    const auto position = static_cast<std::size_t>(c.at("position").to_number<std::uint64_t>());
    EXPECT_EQ(transform_position(position, op_of(c.at("op")), side_of(c)),
              c.at("result").to_number<std::uint64_t>())
        << name_of(c);
  }
}

// Run by hand: prints a "random" set of cases computed by this implementation, to paste into
// the cases file after a change that is meant to change results (review the diff!).
TEST(TextCasesWriter, DISABLED_WriteRandomCases) {
  std::mt19937_64 rng(20261206);
  json::array transforms;
  json::array composes;
  for (int i = 0; i < 60; ++i) {
    const std::string doc = random_text(rng, 8);
    const Operation a = random_op(rng, code_points(doc));
    const Operation b = random_op(rng, code_points(doc));
    const bool left = i % 2 == 0;
    transforms.push_back(json::object{
        {"name", "random " + std::to_string(i)},
        {"op", encode(a)},
        {"other", encode(b)},
        {"side", left ? "left" : "right"},
        {"result", encode(transform(a, b, left ? Side::left : Side::right))}});
    const std::string middle = text::apply(doc, a).value();
    const Operation c = random_op(rng, code_points(middle));
    composes.push_back(json::object{{"name", "random " + std::to_string(i)},
                                    {"first", encode(a)},
                                    {"second", encode(c)},
                                    {"result", encode(compose(a, c))}});
  }
  std::cout << json::serialize(json::object{{"transform", transforms}, {"compose", composes}})
            << "\n";
}

// Counts stop at 2^53 - 1: every count must survive encode() (signed 64-bit) and a JavaScript
// client, and merging neighbours must not overflow. Found by fuzz_text.
TEST(TextDecode, CountsPastTwoToTheFiftyThreeAreRefusedAlsoWhenMerged) {
  constexpr std::int64_t kMax = (std::int64_t{1} << 53) - 1;
  auto largest = decode(json::array{kMax, "a"});
  ASSERT_TRUE(largest);
  EXPECT_EQ(json::serialize(encode(largest.value())), json::serialize(json::array{kMax, "a"}));
  EXPECT_FALSE(decode(json::array{kMax + 1, "a"}));
  EXPECT_FALSE(decode(json::array{kMax, 1, "a"}));
  EXPECT_FALSE(decode(json::array{json::object{{"d", kMax}}, json::object{{"d", 1}}}));
  EXPECT_FALSE(decode(json::parse(R"([1, {"d": 12213023708546635944}])")));
}

}  // namespace
}  // namespace rembuk::model::text::testing
