// The SDK's C++ layer (plugin.hpp, plugin_json.hpp) without a shared library in between.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "rembuk/plugin.hpp"

namespace rembuk::plugin {
namespace {

TEST(PluginJson, ParsesAndLooksUpWithoutThrowing) {
  const auto v = json::parse(
      R"({"type":"AddProgram","startYear":2024,"ratio":1.5,"quickWin":true,)"
      R"("supportingOpds":["bpbd","dkp"],"title":"Sirine \u00e9 \ud83c\udf0a","none":null})");
  EXPECT_EQ(v["type"].string_or(), "AddProgram");
  EXPECT_EQ(v["startYear"].as_int(), 2024);
  EXPECT_FALSE(v["ratio"].as_int().has_value());
  EXPECT_DOUBLE_EQ(v["ratio"].as_number().value(), 1.5);
  EXPECT_EQ(v["quickWin"].as_bool(), true);
  EXPECT_EQ(v["supportingOpds"].size(), 2u);
  EXPECT_EQ(v["supportingOpds"][1].string_or(), "dkp");
  EXPECT_EQ(v["title"].string_or(), "Sirine \xC3\xA9 \xF0\x9F\x8C\x8A");
  EXPECT_TRUE(v["none"].is_null());
  EXPECT_TRUE(v["missing"]["deeper"][3].is_null());
  EXPECT_EQ(v["startYear"].as_string(), nullptr);
  ASSERT_NE(v.at_pointer("/supportingOpds/0"), nullptr);
  EXPECT_EQ(v.at_pointer("/supportingOpds/0")->string_or(), "bpbd");
  EXPECT_EQ(v.at_pointer("/supportingOpds/9"), nullptr);
}

TEST(PluginJson, RejectsMalformedText) {
  for (const char* bad : {"", "{", R"({"a":})", "[1,]", R"("\ud800")", "01", "{} x", "tru"}) {
    EXPECT_THROW(json::parse(bad), json::ParseError) << bad;
  }
  std::string deep(200, '[');
  deep += std::string(200, ']');
  EXPECT_THROW(json::parse(deep), json::ParseError);
}

struct Collected {
  std::vector<std::string> codes;
  std::string error;
};

void collect(void* ctx, const char* code, const char*, const char*, const char*) {
  static_cast<Collected*>(ctx)->codes.emplace_back(code);
}
void collect_error(void* ctx, const char* reason) { static_cast<Collected*>(ctx)->error = reason; }

TEST(PluginHpp, ExportsADescriptorAndCatchesEveryException) {
  const Exported exported(
      Definition("demo", "1.2.3")
          .city("13.76", "Kota Payakumbuh")
          .pillar({"tata_kelola_kolaboratif", "Tata kelola kolaboratif", "Collaborative governance",
                   "", {{"kemitraan_bisnis", "Kemitraan bisnis", "Business partnership"}}})
          .validator("says_no", {"AddProgram"},
                     [](const Call& call) {
                       call.report("demo.no", "/command/title", "Tidak", "No");
                     })
          .validator("throws", {"AddProgram"},
                     [](const Call&) { throw std::logic_error("rule bug"); }));
  const rembuk_plugin_descriptor* d = exported.descriptor();
  EXPECT_EQ(d->abi_version, REMBUK_PLUGIN_ABI_VERSION);
  EXPECT_STREQ(d->name, "demo");
  EXPECT_STREQ(d->region_name, "Kota Payakumbuh");
  ASSERT_EQ(d->pillar_count, 1u);
  EXPECT_STREQ(d->pillars[0].elements[0].id, "kemitraan_bisnis");
  ASSERT_EQ(d->validator_count, 2u);
  EXPECT_STREQ(d->validators[1].command_types[0], "AddProgram");

  Collected out;
  const rembuk_host_sink sink{&out, &collect, &collect_error};
  const std::string command = R"({"type":"AddProgram"})";
  const std::string state = "{}";
  const auto& v0 = d->validators[0];
  EXPECT_EQ(v0.validate(v0.user_data, command.c_str(), command.size(), state.c_str(),
                        state.size(), &sink),
            REMBUK_STATUS_OK);
  EXPECT_EQ(out.codes, std::vector<std::string>{"demo.no"});
  const auto& v1 = d->validators[1];
  EXPECT_EQ(v1.validate(v1.user_data, command.c_str(), command.size(), state.c_str(),
                        state.size(), &sink),
            REMBUK_STATUS_ERROR);
  EXPECT_EQ(out.error, "rule bug");
  // NULL input is an error, not a crash.
  EXPECT_EQ(v0.validate(v0.user_data, nullptr, 0, state.c_str(), state.size(), &sink),
            REMBUK_STATUS_ERROR);
}

TEST(PluginHpp, StateIsParsedOnlyWhenUsed) {
  // A state that is not JSON does not matter to a validator that never reads it.
  const Call call(R"({"type":"SubmitMasterplan"})", "not json", nullptr);
  EXPECT_EQ(call.command_type(), "SubmitMasterplan");
  EXPECT_THROW(call.state(), json::ParseError);
}

}  // namespace
}  // namespace rembuk::plugin
