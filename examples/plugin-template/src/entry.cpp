// Registration only: the one file that exports the plugin (REMBUK_PLUGIN).
#include <rembuk/plugin.hpp>

#include "rules.hpp"

namespace {

rembuk::plugin::Definition describe() {
  return rembuk::plugin::Definition("kota_contoh", "1.0.0")
      .city("00.00", "Kota Contoh")  // your Kemendagri region code and city name
      .description("Template: one local-wisdom pillar and one rule.")
      .pillar(kota_contoh::local_wisdom_pillar())
      .validator("program_description", {"AddProgram", "UpdateProgram"},
                 kota_contoh::check_program_has_description);
}

}  // namespace

REMBUK_PLUGIN(describe)
