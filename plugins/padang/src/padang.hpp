// Padang's local-wisdom pillars and rules. Pure C++ over the SDK's Call: nothing here knows
// about shared libraries (entry.cpp does the exporting).
#pragma once

#include "rembuk/plugin.hpp"

namespace padang {

inline constexpr const char* adat_pillar = "padang_adat_surau";
inline constexpr const char* coast_pillar = "padang_pesisir_tangguh";

// Adat Basandi Syarak, Syarak Basandi Kitabullah: nagari, KAN, surau, Minang culture.
rembuk::plugin::Pillar adat_surau_pillar();
// Padang's coast: disaster resilience, the blue economy, coastal tourism.
rembuk::plugin::Pillar coast_pillar_definition();

// A coastal program must involve the BPBD (lead or supporting OPD).
void check_coastal_program_involves_bpbd(const rembuk::plugin::Call& call);
// At submission (and when an indicator is removed) a coastal program must carry a
// disaster-mitigation indicator.
void check_coastal_mitigation_indicator(const rembuk::plugin::Call& call);
// An adat program must name its adat partner (KAN, LKAAM, ninik mamak, alim ulama, ...).
void check_adat_program_names_adat_partner(const rembuk::plugin::Call& call);

}  // namespace padang
