#include "budget_rules.hpp"

#include <cmath>

namespace rembuk::model::rules {

namespace json = boost::json;

namespace {
constexpr Rupiah kMaxAmount = 1'000'000'000'000'000;  // 10^15 rupiah
}

bool is_budget_source(std::string_view source) {
  return source == "APBD" || source == "APBD_PROVINSI" || source == "APBN" || source == "KPBU" ||
         source == "CSR" || source == "SWASTA";
}

std::optional<Rupiah> check_budget_line(Decider& d, const Program& program, int year,
                                        const std::string& source, const json::value& amount) {
  bool ok = true;
  std::optional<Rupiah> rupiah;
  if (amount.is_int64()) {
    rupiah = amount.get_int64();
  } else if (amount.is_uint64()) {
    if (amount.get_uint64() <= static_cast<std::uint64_t>(kMaxAmount)) {
      rupiah = static_cast<Rupiah>(amount.get_uint64());
    } else {
      rupiah = kMaxAmount + 1;
    }
  } else if (amount.is_double()) {
    double value = amount.get_double();
    if (value < 0) {
      rupiah = -1;
    } else if (std::floor(value) != value || !std::isfinite(value)) {
      d.violate("budget.not_whole_rupiah", Decider::path("amount"),
                "Anggaran harus dalam rupiah bulat, tanpa pecahan",
                "A budget is in whole rupiah, without fractions",
                json::object{{"amount", value}});
      ok = false;
    } else {
      rupiah = value > static_cast<double>(kMaxAmount) ? kMaxAmount + 1
                                                       : static_cast<Rupiah>(value);
    }
  }
  if (rupiah && *rupiah < 0) {
    d.violate("budget.negative", Decider::path("amount"), "Anggaran tidak boleh negatif",
              "A budget cannot be negative", json::object{{"amount", amount}});
    ok = false;
  } else if (rupiah && *rupiah > kMaxAmount) {
    d.violate("budget.too_large", Decider::path("amount"),
              "Anggaran melebihi batas 10^15 rupiah", "A budget above 10^15 rupiah",
              json::object{{"amount", amount}});
    ok = false;
  }
  if (year < program.start_year || year > program.end_year) {
    d.violate("budget.year_outside_program", Decider::path("year"),
              "Tahun anggaran " + std::to_string(year) + " di luar tahun program " +
                  std::to_string(program.start_year) + "–" + std::to_string(program.end_year),
              "Budget year " + std::to_string(year) + " lies outside the program's years " +
                  std::to_string(program.start_year) + "–" + std::to_string(program.end_year),
              json::object{{"programId", program.id}, {"year", year}});
    ok = false;
  }
  if (!is_budget_source(source)) {
    d.violate("budget.unknown_source", Decider::path("source"),
              "Sumber anggaran '" + source +
                  "' tidak dikenal (APBD, APBD_PROVINSI, APBN, KPBU, CSR, SWASTA)",
              "Unknown budget source '" + source +
                  "' (APBD, APBD_PROVINSI, APBN, KPBU, CSR, SWASTA)",
              json::object{{"source", source}});
    ok = false;
  }
  if (!ok) return std::nullopt;
  return rupiah;
}

}  // namespace rembuk::model::rules
