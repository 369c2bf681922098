// Tourism is Pariaman's economy; a tourism program that does not measure visits cannot show
// it worked. Applies to the coastal-tourism pillar and to the national "tourism branding"
// element.
#include "rembuk/plugin_masterplan.hpp"

#include "pariaman.hpp"

namespace pariaman {
namespace mp = rembuk::plugin::masterplan;

namespace {

bool is_tourism_program(const mp::Program& p) {
  return (p.dimension == coast_pillar && p.element == "wisata_pantai_pulau") ||
         (p.dimension == culture_pillar && p.element == "festival_tabuik") ||
         (p.dimension == "branding" && p.element == "tourism_branding");
}

bool measures_visits(const mp::Program& p) {
  return std::any_of(p.indicators.begin(), p.indicators.end(), [](const mp::Indicator& i) {
    return mp::contains_any(i.name, {"kunjungan", "wisatawan", "pengunjung", "visitor",
                                     "tourist", "visit"});
  });
}

void report(const rembuk::plugin::Call& call, const mp::Program& p, const std::string& path) {
  call.report("pariaman.tourism_program_needs_visitor_indicator", path,
              "Program wisata \"" + p.title +
                  "\" harus memiliki indikator kunjungan (mis. \"Jumlah kunjungan wisatawan "
                  "ke Pantai Gandoriah\")",
              "Tourism program \"" + p.title +
                  "\" must carry a visits indicator (e.g. \"Tourist visits to Gandoriah "
                  "beach\")");
}

}  // namespace

void check_tourism_program_measures_visits(const rembuk::plugin::Call& call) {
  if (call.command_type() == "SubmitMasterplan") {
    for (const auto& p : mp::programs(call.state())) {
      if (is_tourism_program(p) && !measures_visits(p)) report(call, p, mp::pointer_to(p, "indicators"));
    }
    return;
  }
  const auto before = mp::find_program(call.state(), call.command()["programId"].string_or());
  const auto after = mp::program_after(call);
  if (!before || !after || !is_tourism_program(*after)) return;
  if (measures_visits(*before) && !measures_visits(*after)) report(call, *after, "/command/indicatorId");
}

}  // namespace pariaman
