// A small Padang 2019–2023 masterplan, written out so that every figure the view tests
// expect can be checked by hand (the sums are in views_test.cpp next to each expectation).
// One command per simulated hour from 2019-03-01T08:00:00Z.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "log_driver.hpp"

namespace rembuk::projections::testing {

inline constexpr std::int64_t padang_start_us = 1'551'427'200'000'000;  // 2019-03-01T08:00:00Z
inline constexpr std::int64_t hour_us = 3'600'000'000;

struct Step {
  std::string command;
  model::Actor actor;
};

inline std::vector<Step> padang_steps() {
  const auto t = tim("u-tim");
  const auto rina = opd_editor("u-rina", "diskominfo");
  return {
      {R"j({"type":"CreateMasterplan","cityName":"Kota Padang","regionCode":"13.71","startYear":2019,"endYear":2023,"rpjmd":{"title":"RPJMD Kota Padang 2019-2024","startYear":2019,"endYear":2024}})j", t},
      {R"j({"type":"RegisterOpd","opdId":"diskominfo","name":"Dinas Komunikasi dan Informatika","shortName":"Diskominfo"})j", t},
      {R"j({"type":"RegisterOpd","opdId":"bappeda","name":"Badan Perencanaan Pembangunan Daerah","shortName":"Bappeda"})j", t},
      {R"j({"type":"RegisterOpd","opdId":"dispar","name":"Dinas Pariwisata","shortName":"Dispar"})j", t},
      {R"j({"type":"RegisterOpd","opdId":"diskop","name":"Dinas Koperasi dan UMKM"})j", t},
      {R"j({"type":"RegisterOpd","opdId":"dishub","name":"Dinas Perhubungan","shortName":"Dishub"})j", t},
      {R"j({"type":"AddReadinessEntry","entryId":"r-staff","axis":"struktur","title":"Tenaga TI","quantity":121,"unit":"orang"})j", t},
      {R"j({"type":"AddReadinessEntry","entryId":"r-fiber","axis":"infrastruktur","title":"Fiber optik ke seluruh OPD"})j", t},
      {R"j({"type":"AddReadinessEntry","entryId":"r-apps","axis":"infrastruktur","title":"Aplikasi terintegrasi","quantity":22,"unit":"aplikasi"})j", t},
      {R"j({"type":"AddReadinessEntry","entryId":"r-perwako","axis":"suprastruktur","title":"Perwako SPBE"})j", t},
      {R"j({"type":"AddStrategicIssue","issueId":"iss-layanan","dimension":"governance","text":"Layanan publik belum terintegrasi"})j", t},
      {R"j({"type":"AddStrategicIssue","issueId":"iss-wisata","dimension":"branding","text":"Potensi wisata pantai belum dikenal"})j", t},
      {R"j({"type":"SetVision","text":"Padang kota pintar berbasis kearifan lokal"})j", t},
      {R"j({"type":"AddMission","missionId":"m-layanan","text":"Layanan publik yang cepat dan terbuka"})j", t},
      {R"j({"type":"AddMission","missionId":"m-ekonomi","text":"Ekonomi kreatif dan UMKM yang tumbuh"})j", t},
      {R"j({"type":"AddMember","userId":"u-rina","name":"Rina","role":"opd_editor","opdId":"diskominfo"})j", t},
      // p-sipadu: governance / public_service, 2019–2023.
      {R"j({"type":"AddProgram","programId":"p-sipadu","title":"Sistem Pelayanan Terpadu","dimension":"governance","element":"public_service","leadOpd":"diskominfo","startYear":2019,"endYear":2023,"supportingOpds":["bappeda"]})j", t},
      {R"j({"type":"SetProgramBudget","programId":"p-sipadu","year":2019,"source":"APBD","amount":500000000})j", t},
      {R"j({"type":"SetProgramBudget","programId":"p-sipadu","year":2020,"source":"APBD","amount":600000000})j", t},
      {R"j({"type":"SetProgramBudget","programId":"p-sipadu","year":2020,"source":"APBN","amount":250000000})j", t},
      {R"j({"type":"AddIndicator","programId":"p-sipadu","indicatorId":"i-layanan","name":"Layanan daring","unit":"layanan","baseline":{"value":12,"year":2018}})j", t},
      {R"j({"type":"SetIndicatorTarget","programId":"p-sipadu","indicatorId":"i-layanan","year":2023,"value":80})j", t},
      // p-wisata: branding / tourism_branding, 2020–2022.
      {R"j({"type":"AddProgram","programId":"p-wisata","title":"Padang Tourism Portal","dimension":"branding","element":"tourism_branding","leadOpd":"dispar","startYear":2020,"endYear":2022,"supportingOpds":["diskominfo"]})j", t},
      {R"j({"type":"SetProgramBudget","programId":"p-wisata","year":2020,"source":"APBD","amount":300000000})j", t},
      {R"j({"type":"SetProgramBudget","programId":"p-wisata","year":2021,"source":"CSR","amount":100000000})j", t},
      // p-qw-wifi: society / community_interaction, a 2019 quick win.
      {R"j({"type":"AddProgram","programId":"p-qw-wifi","title":"Wifi Taman Kota","dimension":"society","element":"community_interaction","leadOpd":"diskominfo","startYear":2019,"endYear":2019,"quickWin":true})j", t},
      {R"j({"type":"SetProgramBudget","programId":"p-qw-wifi","year":2019,"source":"APBD","amount":200000000})j", t},
      {R"j({"type":"AddIndicator","programId":"p-qw-wifi","indicatorId":"i-titik","name":"Titik wifi","unit":"titik"})j", t},
      // p-umkm: economy / people_welfare, 2021–2023.
      {R"j({"type":"AddProgram","programId":"p-umkm","title":"Pasar Daring UMKM","dimension":"economy","element":"people_welfare","leadOpd":"diskop","startYear":2021,"endYear":2023})j", t},
      {R"j({"type":"SetProgramBudget","programId":"p-umkm","year":2022,"source":"KPBU","amount":1000000000})j", t},
      // p-bus: living / transport, 2020–2023.
      {R"j({"type":"AddProgram","programId":"p-bus","title":"Trans Padang Pintar","dimension":"living","element":"transport","leadOpd":"dishub","startYear":2020,"endYear":2023})j", t},
      {R"j({"type":"SetProgramBudget","programId":"p-bus","year":2021,"source":"APBD_PROVINSI","amount":400000000})j", t},
      // Rina (Diskominfo's editor) edits her OPD's program: a new title and more money.
      {R"j({"type":"UpdateProgram","programId":"p-sipadu","title":"Sistem Pelayanan Publik Terpadu (SIPADU)"})j", rina},
      {R"j({"type":"SetProgramBudget","programId":"p-sipadu","year":2020,"source":"APBD","amount":750000000})j", rina},
  };
}

// Runs every step, one simulated hour apart; aborts on a rejection (a fixture defect).
inline void build_padang(Driver& driver, TestClock& clock) {
  std::int64_t at = padang_start_us;
  for (const auto& step : padang_steps()) {
    clock.now_us = at;
    const std::string code = driver.run(step.command, step.actor);
    if (!code.empty()) {
      ADD_FAILURE() << "Padang fixture step rejected (" << code << "): " << step.command;
      return;
    }
    at += hour_us;
  }
}

}  // namespace rembuk::projections::testing
