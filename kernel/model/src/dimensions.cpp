// The six national dimensions and their elements (domain.md, "The six dimensions").
#include "rembuk/model/dimensions.hpp"

namespace rembuk::model {

const std::vector<Pillar>& national_dimensions() {
  static const std::vector<Pillar> dimensions = {
      {"governance", "Tata Kelola Pintar (Smart Governance)", "Smart Governance",
       "Pemerintahan yang melayani, birokrasi yang efisien, kebijakan berbasis data",
       {{"public_service", "Pelayanan publik", "Public services"},
        {"bureaucracy_management", "Manajemen birokrasi", "Bureaucracy management"},
        {"public_policy", "Kebijakan publik", "Public policy"}},
       ""},
      {"branding", "Branding Pintar (Smart Branding)", "Smart Branding",
       "Citra kota untuk pariwisata, bisnis dan wajah kota",
       {{"tourism_branding", "Pemasaran pariwisata", "Tourism branding"},
        {"business_branding", "Pemasaran bisnis", "Business branding"},
        {"city_appearance", "Wajah kota", "City appearance"}},
       ""},
      {"economy", "Ekonomi Pintar (Smart Economy)", "Smart Economy",
       "Ekosistem industri, kesejahteraan rakyat dan transaksi keuangan",
       {{"industry_ecosystem", "Ekosistem industri", "Industry ecosystem"},
        {"people_welfare", "Kesejahteraan rakyat", "People's welfare"},
        {"financial_transaction_ecosystem", "Ekosistem transaksi keuangan",
         "Financial-transaction ecosystem"}},
       ""},
      {"living", "Lingkungan Hidup Pintar (Smart Living)", "Smart Living",
       "Tata ruang dan perumahan, kesehatan, transportasi",
       {{"spatial_harmony", "Harmonisasi tata ruang", "Spatial harmony and housing"},
        {"health", "Kesehatan", "Health"},
        {"transport", "Transportasi", "Transport"}},
       ""},
      {"society", "Masyarakat Pintar (Smart Society)", "Smart Society",
       "Komunitas, ekosistem belajar dan keamanan",
       {{"community_interaction", "Interaksi komunitas", "Community interaction"},
        {"learning_ecosystem", "Ekosistem belajar", "Learning ecosystem"},
        {"public_safety", "Keamanan", "Public safety"}},
       ""},
      {"environment", "Lingkungan Pintar (Smart Environment)", "Smart Environment",
       "Proteksi lingkungan, tata kelola sampah dan limbah, tata kelola energi",
       {{"environmental_protection", "Proteksi lingkungan", "Environmental protection"},
        {"waste_management", "Tata kelola sampah dan limbah", "Waste management"},
        {"energy_management", "Tata kelola energi", "Energy management"}},
       ""},
  };
  return dimensions;
}

const Pillar* find_national_dimension(std::string_view id) {
  for (const auto& dimension : national_dimensions()) {
    if (dimension.id == id) return &dimension;
  }
  return nullptr;
}

std::vector<Pillar> pillars_for(const MasterplanState& state, const Extensions* extensions) {
  std::vector<Pillar> pillars = national_dimensions();
  if (extensions == nullptr) return pillars;
  for (const auto& [name, use] : state.plugins) {
    for (auto& pillar : extensions->pillars_of(name)) {
      pillar.plugin = name;
      pillars.push_back(std::move(pillar));
    }
  }
  return pillars;
}

}  // namespace rembuk::model
