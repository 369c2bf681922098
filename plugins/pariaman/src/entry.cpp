// Registration only: exports Pariaman's pillars and rules through the SDK.
#include "pariaman.hpp"

namespace {

rembuk::plugin::Definition describe() {
  return rembuk::plugin::Definition("pariaman", "1.0.0")
      .city("13.77", "Kota Pariaman")
      .description(
          "Kota Pariaman: pilar wisata pesisir dan budaya Piaman (Tabuik); program wisata "
          "wajib punya indikator kunjungan; program budaya, konservasi penyu dan pesisir aman "
          "wajib melibatkan OPD yang membidanginya.")
      .pillar(pariaman::coastal_tourism_pillar())
      .pillar(pariaman::piaman_culture_pillar())
      .validator("tourism_visits", {"SubmitMasterplan", "RemoveIndicator", "UpdateIndicator"},
                 pariaman::check_tourism_program_measures_visits)
      .validator("responsible_opd",
                 {"AddProgram", "UpdateProgram", "SetProgramLeadOpd", "RemoveSupportingOpd"},
                 pariaman::check_program_involves_responsible_opd);
}

}  // namespace

REMBUK_PLUGIN(describe)
