// Padang's adat rule: programs in the adat pillar are decided with the adat institutions,
// not for them. In Minangkabau custom that is the tungku tigo sajarangan (ninik mamak, alim
// ulama, cadiak pandai), the nagari's KAN and, province-wide, LKAAM; Bundo Kanduang speaks
// for the women.
#include "rembuk/plugin_masterplan.hpp"

#include "padang.hpp"

namespace padang {
namespace mp = rembuk::plugin::masterplan;

void check_adat_program_names_adat_partner(const rembuk::plugin::Call& call) {
  const auto p = mp::program_after(call);
  if (!p || p->dimension != adat_pillar) return;
  if (call.command_type() == "UpdateProgram" && call.command()["dimension"].is_null() &&
      call.command()["description"].is_null()) {
    return;  // an edit that does not touch the pillar or the description
  }
  if (mp::mentions_word(p->description,
                       {"KAN", "Kerapatan Adat", "LKAAM", "ninik mamak", "niniak mamak",
                        "alim ulama", "cadiak pandai", "tungku tigo", "Bundo Kanduang"})) {
    return;
  }
  call.report("padang.adat_program_needs_adat_partner", "/command/description",
              "Program adat \"" + p->title +
                  "\" harus menyebut mitra adatnya dalam deskripsi (KAN, LKAAM, ninik mamak, "
                  "alim ulama, cadiak pandai atau Bundo Kanduang)",
              "Adat program \"" + p->title +
                  "\" must name its adat partner in the description (KAN, LKAAM, ninik mamak, "
                  "alim ulama, cadiak pandai or Bundo Kanduang)");
}

}  // namespace padang
