// A UMKM program is measured by the UMKM it reaches: at submission each program in the
// "UMKM naik kelas" element (or an economy program about UMKM) carries an indicator that
// counts them.
#include "rembuk/plugin_masterplan.hpp"

#include "payakumbuh.hpp"

namespace payakumbuh {
namespace mp = rembuk::plugin::masterplan;

namespace {

bool is_umkm_program(const mp::Program& p) {
  if (p.dimension == governance_pillar && p.element == "umkm_naik_kelas") return true;
  return p.dimension == "economy" &&
         mp::mentions_word(p.title, {"UMKM", "IKM", "usaha mikro", "usaha kecil"});
}

bool counts_umkm(const mp::Indicator& i) {
  return mp::mentions_word(i.name, {"UMKM", "IKM", "usaha mikro", "usaha kecil", "pelaku usaha"});
}

}  // namespace

void check_umkm_program_has_umkm_indicator(const rembuk::plugin::Call& call) {
  for (const auto& p : mp::programs(call.state())) {
    if (!is_umkm_program(p)) continue;
    if (std::any_of(p.indicators.begin(), p.indicators.end(), counts_umkm)) continue;
    call.report("payakumbuh.umkm_program_needs_umkm_indicator", mp::pointer_to(p, "indicators"),
                "Program UMKM \"" + p.title +
                    "\" harus memiliki indikator jumlah UMKM yang dijangkau (mis. \"Jumlah UMKM "
                    "yang berjualan daring\")",
                "UMKM program \"" + p.title +
                    "\" must carry an indicator counting the small businesses it reaches (e.g. "
                    "\"Number of UMKM selling online\")");
  }
}

}  // namespace payakumbuh
