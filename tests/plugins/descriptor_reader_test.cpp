#include "descriptor_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rembuk::plugins::detail {
namespace {

TEST(DescriptorReader, IdentifiersFollowThePluginHRule) {
  EXPECT_TRUE(is_identifier("adat_nagari"));
  EXPECT_TRUE(is_identifier("a1"));
  EXPECT_FALSE(is_identifier("a"));  // at least two characters
  EXPECT_FALSE(is_identifier("Surau"));
  EXPECT_FALSE(is_identifier("1abc"));
  EXPECT_FALSE(is_identifier("pesisir-tangguh"));
  EXPECT_FALSE(is_identifier(std::string(65, 'a')));
  EXPECT_TRUE(is_identifier(std::string(64, 'a')));
}

TEST(DescriptorReader, SemverIsStrict) {
  EXPECT_TRUE(is_semver("1.0.0"));
  EXPECT_TRUE(is_semver("0.12.3-rc.1+build.5"));
  EXPECT_FALSE(is_semver("1.0"));
  EXPECT_FALSE(is_semver("01.0.0"));
  EXPECT_FALSE(is_semver("v1.0.0"));
  EXPECT_FALSE(is_semver("1.0.0-"));
}

TEST(DescriptorReader, Utf8RejectsMalformedSequences) {
  EXPECT_TRUE(is_utf8("Pariaman, kota tabuik"));
  EXPECT_TRUE(is_utf8("\xE2\x80\x94 \xF0\x9F\x8C\x8A"));  // em dash, wave
  EXPECT_FALSE(is_utf8("\xC3\x28"));                     // bad continuation
  EXPECT_FALSE(is_utf8("\xC0\xAF"));                     // overlong
  EXPECT_FALSE(is_utf8("\xED\xA0\x80"));                 // surrogate
  EXPECT_FALSE(is_utf8("\xE2\x80"));                     // truncated at the end
  EXPECT_FALSE(is_utf8("\xF4\x90\x80\x80"));             // above U+10FFFF
}

TEST(DescriptorReader, ViolationCodesLiveInThePluginsNamespace) {
  EXPECT_TRUE(is_violation_code("padang.coastal_program_needs_bpbd", "padang"));
  EXPECT_TRUE(is_violation_code("padang.coast.mitigation", "padang"));
  EXPECT_FALSE(is_violation_code("padang", "padang"));
  EXPECT_FALSE(is_violation_code("padangx.rule", "padang"));
  EXPECT_FALSE(is_violation_code("program.unknown_dimension", "padang"));
  EXPECT_FALSE(is_violation_code("padang.", "padang"));
  EXPECT_FALSE(is_violation_code("padang.Rule", "padang"));
}

TEST(DescriptorReader, TextIsBoundedAndChecked) {
  EXPECT_FALSE(read_text(nullptr, "name").ok());
  EXPECT_EQ(read_text(nullptr, "name").error(), "name is NULL");
  const std::string long_text(REMBUK_PLUGIN_MAX_TEXT + 1, 'x');
  EXPECT_FALSE(read_text(long_text.c_str(), "description").ok());
  EXPECT_EQ(read_text("Kota Padang", "region_name").value(), "Kota Padang");
}

TEST(DescriptorReader, RefusesNullAndNamesTheBrokenField) {
  EXPECT_FALSE(read_descriptor(nullptr).ok());

  static const rembuk_element elements[] = {{"surau", "Surau", "Surau"}};
  static const rembuk_pillar pillars[] = {{"adat", "Adat", "Custom", "", elements, 1},
                                          {"adat", "Adat", "Custom", "", elements, 1}};
  rembuk_plugin_descriptor d{REMBUK_PLUGIN_ABI_VERSION, "padang", "1.0.0", "13.71",
                             "Kota Padang", "", pillars, 1, nullptr, 0};
  ASSERT_TRUE(read_descriptor(&d).ok());
  EXPECT_EQ(read_descriptor(&d)->pillars.at(0).plugin, "padang");

  d.pillar_count = 2;
  EXPECT_EQ(read_descriptor(&d).error(),
            "pillars[1].id \"adat\" repeats another pillar of this plugin");
  d.pillar_count = 1;
  d.region_code = "Padang";
  EXPECT_EQ(read_descriptor(&d).error(),
            "region_code \"Padang\" is not a Kemendagri/BPS region code (e.g. \"13.71\")");
  d.region_code = "13.71";
  d.pillar_count = 1000;
  EXPECT_EQ(read_descriptor(&d).error(), "pillars has 1000 entries; at most 64 allowed");
}

}  // namespace
}  // namespace rembuk::plugins::detail
