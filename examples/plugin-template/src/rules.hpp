// Your city's pillar and rules: plain C++ over the SDK's Call, nothing about shared libraries.
#pragma once

#include <rembuk/plugin.hpp>

namespace kota_contoh {

inline constexpr const char* pillar_id = "kota_contoh_kearifan_lokal";

rembuk::plugin::Pillar local_wisdom_pillar();

// Every program in the local-wisdom pillar says in its description who in the community it
// is built with.
void check_program_has_description(const rembuk::plugin::Call& call);

}  // namespace kota_contoh
