// "Governance, not only government": an economy program in Payakumbuh says who outside the
// city government it works with. The partner is named in the description with the
// convention "Mitra: <name>" (or "Partner: <name>"), or shown by a budget line from a
// non-government source (KPBU, CSR, SWASTA).
#include "rembuk/plugin_masterplan.hpp"

#include "payakumbuh.hpp"

namespace payakumbuh {
namespace mp = rembuk::plugin::masterplan;

namespace {

bool is_economy_program(const mp::Program& p) {
  return p.dimension == "economy" || p.dimension == governance_pillar;
}

// "Mitra:" or "Partner:" followed by a name on the same line.
bool names_partner(const std::string& description) {
  std::string lower(description);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string_view marker : {"mitra:", "partner:"}) {
    for (std::size_t at = lower.find(marker); at != std::string::npos;
         at = lower.find(marker, at + 1)) {
      std::size_t i = at + marker.size();
      while (i < lower.size() && (lower[i] == ' ' || lower[i] == '\t')) ++i;
      if (i < lower.size() && lower[i] != '\n' && lower[i] != '\r' && lower[i] != ',' &&
          lower[i] != '.' && lower[i] != ';') {
        return true;
      }
    }
  }
  return false;
}

bool has_partner_budget(const mp::Program& p) {
  for (const auto& line : p.budget) {
    if (line.source == "KPBU" || line.source == "CSR" || line.source == "SWASTA") return true;
  }
  return false;
}

void report(const rembuk::plugin::Call& call, const mp::Program& p, const std::string& path) {
  call.report("payakumbuh.economy_program_needs_partner", path,
              "Program ekonomi \"" + p.title +
                  "\" harus menyebut mitra dunia usaha atau komunitas (tulis \"Mitra: <nama>\" "
                  "di deskripsi, atau anggaran dari KPBU/CSR/swasta)",
              "Economy program \"" + p.title +
                  "\" must name a business or community partner (write \"Mitra: <name>\" in "
                  "the description, or budget it from KPBU/CSR/private funds)");
}

}  // namespace

void check_economy_program_names_partner(const rembuk::plugin::Call& call) {
  if (call.command_type() == "SubmitMasterplan") {
    for (const auto& p : mp::programs(call.state())) {
      if (is_economy_program(p) && !names_partner(p.description) && !has_partner_budget(p)) {
        report(call, p, mp::pointer_to(p, "description"));
      }
    }
    return;
  }
  // AddProgram / UpdateProgram touching the dimension or the description.
  if (call.command_type() == "UpdateProgram" && call.command()["dimension"].is_null() &&
      call.command()["description"].is_null()) {
    return;
  }
  const auto p = mp::program_after(call);
  if (!p || !is_economy_program(*p)) return;
  if (names_partner(p->description) || has_partner_budget(*p)) return;
  report(call, *p, "/command/description");
}

}  // namespace payakumbuh
