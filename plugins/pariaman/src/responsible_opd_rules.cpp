// Some work belongs to a named agency: the Tabuik and traditional arts to the culture office,
// turtle conservation to fisheries or the environment office, coastal safety to the BPBD. A
// program there must have that agency as lead or supporting OPD. OPDs are recognised by
// name or short name, since OPD ids are chosen by each masterplan's editors.
#include <initializer_list>
#include <string_view>

#include "rembuk/plugin_masterplan.hpp"

#include "pariaman.hpp"

namespace pariaman {
namespace mp = rembuk::plugin::masterplan;

namespace {

struct Responsibility {
  const char* pillar;
  const char* element;
  std::initializer_list<std::string_view> opd_names;
  const char* agency_id;  // for the message
  const char* agency_en;
};

const Responsibility responsibilities[] = {
    {culture_pillar, "festival_tabuik", {"Kebudayaan", "Disparbud", "Disbud"},
     "Dinas yang membidangi kebudayaan", "the culture office"},
    {culture_pillar, "seni_tradisi", {"Kebudayaan", "Disparbud", "Disbud"},
     "Dinas yang membidangi kebudayaan", "the culture office"},
    {coast_pillar, "konservasi_penyu", {"Perikanan", "Kelautan", "Lingkungan Hidup", "DKP", "DLH"},
     "Dinas Kelautan dan Perikanan atau Dinas Lingkungan Hidup",
     "the fisheries or environment office"},
    {coast_pillar, "pesisir_aman", {"BPBD", "Penanggulangan Bencana"},
     "BPBD (Badan Penanggulangan Bencana Daerah)", "the BPBD (disaster management agency)"},
};

}  // namespace

void check_program_involves_responsible_opd(const rembuk::plugin::Call& call) {
  const auto p = mp::program_after(call);
  if (!p) return;
  const std::string_view type = call.command_type();
  if (type == "UpdateProgram" && call.command()["dimension"].is_null() &&
      call.command()["element"].is_null()) {
    return;
  }
  for (const auto& r : responsibilities) {
    if (p->dimension != r.pillar || p->element != r.element) continue;
    if (mp::involves_opd(call.state(), *p, r.opd_names)) return;
    const char* path = type == "AddProgram"            ? "/command/supportingOpds"
                       : type == "RemoveSupportingOpd" ? "/command/opdId"
                       : type == "SetProgramLeadOpd"   ? "/command/leadOpd"
                                                       : "/command";
    call.report("pariaman.program_needs_responsible_opd", path,
                "Program \"" + p->title + "\" harus melibatkan " + r.agency_id +
                    " sebagai OPD pengampu atau pendukung",
                "Program \"" + p->title + "\" must involve " + r.agency_en +
                    " as lead or supporting OPD");
    return;
  }
}

}  // namespace pariaman
