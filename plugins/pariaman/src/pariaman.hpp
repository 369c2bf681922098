// Pariaman's local-wisdom pillars and rules: the coast, tourism and culture. Pure C++ over
// the SDK's Call; entry.cpp does the exporting.
#pragma once

#include "rembuk/plugin.hpp"

namespace pariaman {

inline constexpr const char* coast_pillar = "pariaman_wisata_pesisir";
inline constexpr const char* culture_pillar = "pariaman_budaya_piaman";

rembuk::plugin::Pillar coastal_tourism_pillar();
rembuk::plugin::Pillar piaman_culture_pillar();

// At submission (and when an indicator is removed) a tourism program carries an indicator
// on visits.
void check_tourism_program_measures_visits(const rembuk::plugin::Call& call);
// A program in certain elements involves the OPD responsible for that field.
void check_program_involves_responsible_opd(const rembuk::plugin::Call& call);

}  // namespace pariaman
