// Payakumbuh's local-wisdom pillars and rules: "governance, not only government". Pure C++
// over the SDK's Call; entry.cpp does the exporting.
#pragma once

#include "rembuk/plugin.hpp"

namespace payakumbuh {

inline constexpr const char* governance_pillar = "payakumbuh_tata_kelola_kolaboratif";
inline constexpr const char* nagari_pillar = "payakumbuh_nagari_adat";

rembuk::plugin::Pillar collaborative_governance_pillar();
rembuk::plugin::Pillar nagari_adat_pillar();

// An economy or collaborative-governance program names a business or community partner.
void check_economy_program_names_partner(const rembuk::plugin::Call& call);
// At submission a UMKM program carries an indicator that counts UMKM.
void check_umkm_program_has_umkm_indicator(const rembuk::plugin::Call& call);

}  // namespace payakumbuh
