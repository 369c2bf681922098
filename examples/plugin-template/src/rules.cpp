#include "rules.hpp"

#include <rembuk/plugin_masterplan.hpp>

namespace kota_contoh {
namespace mp = rembuk::plugin::masterplan;

rembuk::plugin::Pillar local_wisdom_pillar() {
  return {pillar_id,
          "Kearifan Lokal Kota Contoh",
          "Local wisdom of Kota Contoh",
          "Ganti dengan potensi dan kearifan lokal kota Anda. / Replace with your city's own "
          "potential and local wisdom.",
          {{"budaya_lokal", "Budaya lokal", "Local culture"},
           {"potensi_daerah", "Potensi daerah", "Local potential"}}};
}

void check_program_has_description(const rembuk::plugin::Call& call) {
  const auto program = mp::program_after(call);
  if (!program || program->dimension != pillar_id) return;
  if (!program->description.empty()) return;
  call.report("kota_contoh.program_needs_description", "/command/description",
              "Program kearifan lokal harus memiliki deskripsi",
              "A local-wisdom program must have a description");
}

}  // namespace kota_contoh
