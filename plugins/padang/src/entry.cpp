// Registration only: exports Padang's pillars and rules through the SDK.
#include "padang.hpp"

namespace {

rembuk::plugin::Definition describe() {
  return rembuk::plugin::Definition("padang", "1.0.0")
      .city("13.71", "Kota Padang")
      .description(
          "Kota Padang: pilar adat dan surau (ABS-SBK) serta pesisir tangguh; program pesisir "
          "wajib melibatkan BPBD dan memiliki indikator mitigasi bencana; program adat wajib "
          "menyebut mitra adatnya.")
      .pillar(padang::adat_surau_pillar())
      .pillar(padang::coast_pillar_definition())
      .validator("coastal_bpbd",
                 {"AddProgram", "UpdateProgram", "SetProgramLeadOpd", "RemoveSupportingOpd"},
                 padang::check_coastal_program_involves_bpbd)
      .validator("coastal_mitigation_indicator",
                 {"SubmitMasterplan", "RemoveIndicator", "UpdateIndicator"},
                 padang::check_coastal_mitigation_indicator)
      .validator("adat_partner", {"AddProgram", "UpdateProgram"},
                 padang::check_adat_program_names_adat_partner);
}

}  // namespace

REMBUK_PLUGIN(describe)
