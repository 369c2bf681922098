// Padang's coastal rules. Padang lies on a coast exposed to tsunamis from the Mentawai
// megathrust; every program that works on that coast must plan for it.
#include "rembuk/plugin_masterplan.hpp"

#include "padang.hpp"

namespace padang {
namespace mp = rembuk::plugin::masterplan;

namespace {

// A program on the coast: in the coastal pillar, or a national-dimension program whose
// title or description is about the beach, the sea or the coast.
bool is_coastal(const mp::Program& p) {
  if (p.dimension == coast_pillar) return true;
  return mp::contains_any(p.title + " " + p.description,
                          {"pantai", "pesisir", "laut", "bahari", "nelayan", "tsunami", "abrasi",
                           "pulau", "coast", "beach"});
}

bool is_mitigation_indicator(const mp::Indicator& i) {
  return mp::contains_any(i.name, {"mitigasi", "evakuasi", "tsunami", "peringatan dini",
                                   "kesiapsiagaan", "bencana", "shelter", "early warning",
                                   "disaster", "evacuation"});
}

bool has_mitigation_indicator(const mp::Program& p) {
  for (const auto& i : p.indicators) {
    if (is_mitigation_indicator(i)) return true;
  }
  return false;
}

const std::initializer_list<std::string_view> bpbd = {"BPBD", "Penanggulangan Bencana"};

}  // namespace

void check_coastal_program_involves_bpbd(const rembuk::plugin::Call& call) {
  const auto p = mp::program_after(call);
  if (!p || !is_coastal(*p)) return;
  if (mp::involves_opd(call.state(), *p, bpbd)) return;
  // Only the commands that make or keep a coastal program without BPBD are refused.
  const std::string_view type = call.command_type();
  if (type == "UpdateProgram" && call.command()["dimension"].is_null() &&
      call.command()["title"].is_null() && call.command()["description"].is_null()) {
    return;
  }
  const char* path = type == "AddProgram"            ? "/command/supportingOpds"
                     : type == "RemoveSupportingOpd" ? "/command/opdId"
                     : type == "SetProgramLeadOpd"   ? "/command/leadOpd"
                                                     : "/command";
  call.report("padang.coastal_program_needs_bpbd", path,
              "Program pesisir \"" + p->title +
                  "\" harus melibatkan BPBD (Badan Penanggulangan Bencana Daerah) sebagai OPD "
                  "pengampu atau pendukung",
              "Coastal program \"" + p->title +
                  "\" must involve the BPBD (regional disaster management agency) as lead or "
                  "supporting OPD");
}

void check_coastal_mitigation_indicator(const rembuk::plugin::Call& call) {
  auto report = [&](const mp::Program& p, const std::string& path) {
    call.report("padang.coastal_program_needs_mitigation_indicator", path,
                "Program pesisir \"" + p.title +
                    "\" harus memiliki indikator mitigasi bencana (mis. jalur evakuasi, "
                    "shelter, peringatan dini tsunami)",
                "Coastal program \"" + p.title +
                    "\" must carry a disaster-mitigation indicator (e.g. evacuation routes, "
                    "shelters, tsunami early warning)");
  };
  if (call.command_type() == "SubmitMasterplan") {
    for (const auto& p : mp::programs(call.state())) {
      if (is_coastal(p) && !has_mitigation_indicator(p)) report(p, mp::pointer_to(p, "indicators"));
    }
    return;
  }
  // RemoveIndicator / UpdateIndicator: never take away the last mitigation indicator.
  const auto before = mp::find_program(call.state(), call.command()["programId"].string_or());
  const auto after = mp::program_after(call);
  if (!before || !after || !is_coastal(*after)) return;
  if (has_mitigation_indicator(*before) && !has_mitigation_indicator(*after)) {
    report(*after, "/command/indicatorId");
  }
}

}  // namespace padang
