// Padang's two local-wisdom pillars. Grounded in what Padang said of its masterplan in 2018:
// a smart city "raising the beauty of its nature and its local wisdom" (Bimtek II,
// 8 August 2018), on a coast that faces the Mentawai megathrust.
#include "padang.hpp"

namespace padang {

rembuk::plugin::Pillar adat_surau_pillar() {
  return {adat_pillar,
          "Adat Basandi Syarak, Syarak Basandi Kitabullah",
          "Minangkabau custom and the surau",
          "Kearifan lokal Minangkabau sebagai pilar kota cerdas: kelembagaan adat nagari "
          "(Kerapatan Adat Nagari), surau sebagai pusat belajar dan pembinaan karakter, serta "
          "bahasa dan budaya Minang. / Minangkabau local wisdom as a smart-city pillar: the "
          "nagari's adat institutions, the surau as a place of learning, Minang language and "
          "culture.",
          {{"nagari_kan", "Nagari dan Kerapatan Adat Nagari (KAN)",
            "Nagari and their adat councils (KAN)"},
           {"surau", "Surau sebagai pusat belajar dan pembinaan karakter",
            "The surau as a centre of learning and character"},
           {"budaya_minang", "Bahasa, seni dan budaya Minang (randai, silek, saluang)",
            "Minang language, arts and culture (randai, silek, saluang)"}}};
}

rembuk::plugin::Pillar coast_pillar_definition() {
  return {coast_pillar,
          "Padang Pesisir Tangguh",
          "Resilient coastal Padang",
          "Pesisir Padang sebagai kekuatan dan risiko: kesiapsiagaan gempa dan tsunami, "
          "ekonomi bahari nelayan, dan wisata pantai serta pulau-pulau kecil. / Padang's coast "
          "as strength and risk: earthquake and tsunami preparedness, the fishers' blue "
          "economy, beach and small-island tourism.",
          {{"mitigasi_bencana", "Mitigasi bencana gempa dan tsunami",
            "Earthquake and tsunami mitigation"},
           {"ekonomi_bahari", "Ekonomi bahari dan nelayan", "Blue economy and fishers"},
           {"wisata_bahari", "Wisata pantai dan pulau-pulau kecil",
            "Beach and small-island tourism"}}};
}

}  // namespace padang
