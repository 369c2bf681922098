// Payakumbuh's pillars. At the 2022 Bimtek the ministry's guide asked that Payakumbuh's smart
// city be "based on local wisdom, so that the approach is not only government but
// governance": business and community groups, bottom-up as well as top-down, UMKM grown
// with it. Payakumbuh is also a city of nagari adat and the home of rendang makers.
#include "payakumbuh.hpp"

namespace payakumbuh {

rembuk::plugin::Pillar collaborative_governance_pillar() {
  return {governance_pillar,
          "Tata Kelola Kolaboratif (bukan hanya pemerintah)",
          "Collaborative governance (not only government)",
          "Kota cerdas yang dibangun bersama: pemerintah bersinergi dengan dunia usaha, "
          "perbankan, BUMD dan komunitas; perencanaan dari bawah (bottom-up); UMKM naik kelas. "
          "/ A smart city built together: government in synergy with business, banks, "
          "regional enterprises and communities; bottom-up planning; small businesses growing.",
          {{"kemitraan_usaha", "Kemitraan pemerintah dan dunia usaha",
            "Government-business partnership"},
           {"partisipasi_warga", "Partisipasi warga dan komunitas (bottom-up)",
            "Citizen and community participation (bottom-up)"},
           {"umkm_naik_kelas", "UMKM naik kelas (rendang, kuliner, kerajinan)",
            "Growing small businesses (rendang, food, crafts)"}}};
}

rembuk::plugin::Pillar nagari_adat_pillar() {
  return {nagari_pillar,
          "Nagari dan Adat Minangkabau",
          "Nagari and Minangkabau custom",
          "Nagari adat di Payakumbuh sebagai mitra pembangunan: Kerapatan Adat Nagari, surau, "
          "dan pelestarian budaya. / Payakumbuh's nagari adat as development partners: adat "
          "councils, the surau, cultural heritage.",
          {{"kerapatan_adat_nagari", "Kerapatan Adat Nagari (KAN)", "Nagari adat councils (KAN)"},
           {"surau", "Surau dan pendidikan karakter", "The surau and character education"},
           {"pelestarian_budaya", "Pelestarian budaya Minang", "Minang cultural heritage"}}};
}

}  // namespace payakumbuh
