// Registration only: exports Payakumbuh's pillars and rules through the SDK.
#include "payakumbuh.hpp"

namespace {

rembuk::plugin::Definition describe() {
  return rembuk::plugin::Definition("payakumbuh", "1.0.0")
      .city("13.76", "Kota Payakumbuh")
      .description(
          "Kota Payakumbuh: tata kelola kolaboratif (governance, bukan hanya government) dan "
          "nagari adat; program ekonomi wajib menyebut mitra usaha atau komunitas; program "
          "UMKM wajib punya indikator jumlah UMKM.")
      .pillar(payakumbuh::collaborative_governance_pillar())
      .pillar(payakumbuh::nagari_adat_pillar())
      .validator("economy_partner", {"AddProgram", "UpdateProgram", "SubmitMasterplan"},
                 payakumbuh::check_economy_program_names_partner)
      .validator("umkm_indicator", {"SubmitMasterplan"},
                 payakumbuh::check_umkm_program_has_umkm_indicator);
}

}  // namespace

REMBUK_PLUGIN(describe)
