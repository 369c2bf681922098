// Pariaman's pillars. Pariaman signed the smart-city MoU in April 2022 with a roadmap
// aligned to its RPJMD 2018-2023; the city lives from its coast (Pantai Gandoriah, Pantai
// Kata, the Angso Duo islands, the turtle conservation at Apar) and its culture, above all
// the Tabuik festival every Muharram.
#include "pariaman.hpp"

namespace pariaman {

rembuk::plugin::Pillar coastal_tourism_pillar() {
  return {coast_pillar,
          "Pariaman Kota Wisata Pesisir",
          "Pariaman, a coastal tourism city",
          "Pantai dan pulau sebagai sumber kesejahteraan yang dijaga: wisata pantai dan pulau, "
          "konservasi penyu, dan pesisir yang aman dari abrasi dan tsunami. / Beaches and "
          "islands as a livelihood to protect: beach and island tourism, turtle conservation, "
          "a coast safe from erosion and tsunamis.",
          {{"wisata_pantai_pulau", "Wisata pantai dan pulau (Gandoriah, Kata, Angso Duo)",
            "Beach and island tourism (Gandoriah, Kata, Angso Duo)"},
           {"konservasi_penyu", "Konservasi penyu dan ekosistem pesisir",
            "Turtle conservation and coastal ecosystems"},
           {"pesisir_aman", "Pesisir aman: abrasi dan mitigasi tsunami",
            "A safe coast: erosion and tsunami mitigation"}}};
}

rembuk::plugin::Pillar piaman_culture_pillar() {
  return {culture_pillar,
          "Budaya Piaman",
          "Piaman culture",
          "Budaya Pariaman sebagai identitas dan daya tarik: Pesta Budaya Tabuik, seni tradisi, "
          "dan ekonomi kreatif. / Pariaman's culture as identity and attraction: the Tabuik "
          "festival, traditional arts, the creative economy.",
          {{"festival_tabuik", "Pesta Budaya Tabuik", "The Tabuik festival"},
           {"seni_tradisi", "Seni tradisi (indang, gandang tasa)",
            "Traditional arts (indang, gandang tasa)"},
           {"ekonomi_kreatif", "Ekonomi kreatif (sulaman, kuliner sala lauak)",
            "Creative economy (embroidery, sala lauak)"}}};
}

}  // namespace pariaman
