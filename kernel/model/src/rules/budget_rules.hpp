// Rule 5: budgets are non-negative whole rupiah, per year within the program's years, from
// a known source.
#pragma once

#include <string>

#include <boost/json/value.hpp>

#include "../decider.hpp"

namespace rembuk::model::rules {

// The known budget sources: APBD, APBD_PROVINSI, APBN, KPBU, CSR, SWASTA.
bool is_budget_source(std::string_view source);

// Checks one budget line; on success returns the amount in whole rupiah.
std::optional<Rupiah> check_budget_line(Decider& d, const Program& program, int year,
                                        const std::string& source,
                                        const boost::json::value& amount);

}  // namespace rembuk::model::rules
