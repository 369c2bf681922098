// The SDK's C++ layer (plugin.hpp, plugin_json.hpp) without a shared library in between.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "rembuk/plugin.hpp"
#include "rembuk/plugin_masterplan.hpp"

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

// A host's view over a two-program state, counting what it is asked.
struct FakeState {
  std::string whole =
      R"({"masterplan":"padang-2019","cityName":"Kota Padang","programs":[)"
      R"({"programId":"p-adat","dimension":"padang_adat_surau","leadOpd":"kan"},)"
      R"({"programId":"p-pantai","dimension":"padang_pesisir_tangguh","leadOpd":"dkp"}],)"
      R"("opds":[{"opdId":"bpbd","name":"Badan Penanggulangan Bencana Daerah","shortName":"BPBD"}]})";
  std::string identity = R"({"masterplan":"padang-2019","cityName":"Kota Padang"})";
  std::vector<std::string> programs = {
      R"({"programId":"p-adat","dimension":"padang_adat_surau","leadOpd":"kan"})",
      R"({"programId":"p-pantai","dimension":"padang_pesisir_tangguh","leadOpd":"dkp"})"};
  std::string bpbd =
      R"({"opdId":"bpbd","name":"Badan Penanggulangan Bencana Daerah","shortName":"BPBD"})";
  int find_program_calls = 0;
  int section_calls = 0;

  static FakeState& self(void* ctx) { return *static_cast<FakeState*>(ctx); }
  static rembuk_text text(const std::string& s) { return {s.c_str(), s.size()}; }
  rembuk_state_view view() {
    rembuk_state_view v{};
    v.ctx = this;
    v.masterplan = [](void* ctx, rembuk_text* out) -> std::int32_t {
      *out = text(self(ctx).identity);
      return REMBUK_VIEW_OK;
    };
    v.program_count = [](void* ctx, std::size_t* out) -> std::int32_t {
      *out = self(ctx).programs.size();
      return REMBUK_VIEW_OK;
    };
    v.find_program = [](void* ctx, const char* id, std::size_t size, rembuk_text* out,
                        std::size_t* index) -> std::int32_t {
      auto& s = self(ctx);
      ++s.find_program_calls;
      *out = {nullptr, 0};
      const std::string wanted = "\"programId\":\"" + std::string(id, size) + "\"";
      for (std::size_t i = 0; i < s.programs.size(); ++i) {
        if (s.programs[i].find(wanted) != std::string::npos) {
          *out = text(s.programs[i]);
          *index = i;
        }
      }
      return REMBUK_VIEW_OK;
    };
    v.each_program = [](void* ctx, const char* dimension, std::size_t size, rembuk_program_fn fn,
                        void* fn_ctx) -> std::int32_t {
      auto& s = self(ctx);
      const std::string wanted = "\"dimension\":\"" + std::string(dimension, size) + "\"";
      for (std::size_t i = 0; i < s.programs.size(); ++i) {
        if (size > 0 && s.programs[i].find(wanted) == std::string::npos) continue;
        if (fn(fn_ctx, text(s.programs[i]), i) != 0) break;
      }
      return REMBUK_VIEW_OK;
    };
    v.find_opd = [](void* ctx, const char* id, std::size_t size, rembuk_text* out) -> std::int32_t {
      *out = std::string(id, size) == "bpbd" ? text(self(ctx).bpbd) : rembuk_text{nullptr, 0};
      return REMBUK_VIEW_OK;
    };
    v.find_member = [](void*, const char*, std::size_t, rembuk_text* out) -> std::int32_t {
      *out = {nullptr, 0};
      return REMBUK_VIEW_OK;
    };
    v.section = [](void* ctx, const char*, std::size_t, rembuk_text* out) -> std::int32_t {
      ++self(ctx).section_calls;
      *out = text(self(ctx).whole);
      return REMBUK_VIEW_OK;
    };
    return v;
  }
};

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
  FakeState fake;
  const rembuk_state_view view = fake.view();
  const rembuk_call call{{command.c_str(), command.size()}, {"AddProgram", 10}, &view};
  const auto& v0 = d->validators[0];
  EXPECT_EQ(v0.validate(v0.user_data, &call, &sink), REMBUK_STATUS_OK);
  EXPECT_EQ(out.codes, std::vector<std::string>{"demo.no"});
  const auto& v1 = d->validators[1];
  EXPECT_EQ(v1.validate(v1.user_data, &call, &sink), REMBUK_STATUS_ERROR);
  EXPECT_EQ(out.error, "rule bug");
  // NULL input is an error, not a crash.
  EXPECT_EQ(v0.validate(v0.user_data, nullptr, &sink), REMBUK_STATUS_ERROR);
  const rembuk_call no_command{{nullptr, 0}, {"AddProgram", 10}, &view};
  EXPECT_EQ(v0.validate(v0.user_data, &no_command, &sink), REMBUK_STATUS_ERROR);
}

TEST(PluginHpp, TheHelpersReadTheLentViewOneEntityAtATime) {
  namespace mp = masterplan;
  FakeState fake;
  const rembuk_state_view view = fake.view();
  const std::string command =
      R"({"type":"SetProgramLeadOpd","programId":"p-pantai","leadOpd":"bpbd"})";
  const rembuk_call c{{command.c_str(), command.size()}, {"SetProgramLeadOpd", 17}, &view};
  const Call call(c, nullptr);
  EXPECT_EQ(call.state()["cityName"].string_or(), "Kota Padang");
  const auto after = mp::program_after(call);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->lead_opd, "bpbd");
  EXPECT_EQ(after->index, 1u);
  EXPECT_EQ(mp::pointer_to(*after, "leadOpd"), "/state/programs/1/leadOpd");
  EXPECT_TRUE(mp::involves_opd(call.state(), *after, {"BPBD"}));
  // A second validator-style lookup of the same program is answered from the call's cache.
  ASSERT_TRUE(mp::program_after(call).has_value());
  EXPECT_EQ(fake.find_program_calls, 1);
  EXPECT_FALSE(mp::find_program(call.state(), "p-none").has_value());
  EXPECT_TRUE(mp::find_opd(call.state(), "dkp").is_null());
  EXPECT_EQ(mp::programs(call.state()).size(), 2u);
  EXPECT_EQ(mp::programs_in(call.state(), "padang_pesisir_tangguh").size(), 1u);
  // Nothing asked for the whole state.
  EXPECT_EQ(fake.find_program_calls, 2);
  EXPECT_EQ(fake.section_calls, 0);
  // The same functions over JSON text give the same answers.
  const Call from_text(command, fake.whole, nullptr);
  const auto same = mp::program_after(from_text);
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->index, 1u);
  EXPECT_TRUE(mp::involves_opd(from_text.state(), *same, {"BPBD"}));
}

TEST(PluginHpp, StateIsParsedOnlyWhenUsed) {
  // A state that is not JSON does not matter to a validator that never reads it.
  const Call call(R"({"type":"SubmitMasterplan"})", "not json", nullptr);
  EXPECT_EQ(call.command_type(), "SubmitMasterplan");
  EXPECT_NO_THROW(call.state());
  EXPECT_THROW(call.state().whole(), json::ParseError);
  EXPECT_THROW(call.state()["cityName"], json::ParseError);
}

}  // namespace
}  // namespace rembuk::plugin
