// Numbers as a person reads them, in Indonesian (the default) or English: every place rembuk
// shows a number to a person (the documents and exports, the CLI's views) formats it here, so
// that no "1.21E2 orang" reaches a city's staff. The web editor's clients/web/src/format.ts
// follows the same rules; both are checked against tests/data/number-format-cases.json.
//
//                 Indonesian (id)          English (en)
//   integer       1.250                    1,250
//   decimal       85,5   0,25   121        85.5   0.25   121
//   percent       85,5 %                   85.5%
//   quantity      121 orang, 85,5 %        121 orang, 85.5%       (the unit as written)
//   rupiah        Rp 1.250.000.000         Rp 1,250,000,000
//   rupiah short  Rp 1,2 miliar            Rp 1.2 billion         (juta/million,
//                                                                   miliar/billion,
//                                                                   triliun/trillion)
// Decimals are rounded to the nearest at most `max_fraction` digits and written without
// trailing zeros; a value that rounds to zero is "0", never "-0". Years and version
// numbers are identifiers, not quantities: print them with std::to_string, not here.
//
// Thread safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rembuk {

enum class Lang { id, en };

// "id", "en".
std::string_view to_string(Lang lang);
std::optional<Lang> lang_from_string(std::string_view name);

// 1250 → "1.250" (id), "1,250" (en).
std::string format_integer(std::int64_t value, Lang lang = Lang::id);

// 85.5 → "85,5" (id), "85.5" (en); 1250.75 → "1.250,75"; 121.0 → "121".
// REQUIRES: 0 <= max_fraction <= 6. A non-finite value is written as "—".
std::string format_decimal(double value, Lang lang = Lang::id, int max_fraction = 2);

// 85.5 → "85,5 %" (id; Indonesian puts a space before the sign), "85.5%" (en).
std::string format_percent(double value, Lang lang = Lang::id, int max_fraction = 1);

// A value with its unit: "121 orang", "1.250 kunjungan", "85,5 %" (a unit "%" or "persen"
// reads as a percent). An empty unit gives the number alone.
std::string format_quantity(double value, std::string_view unit, Lang lang = Lang::id);

// Whole rupiah: "Rp 1.250.000.000" (id), "Rp 1,250,000,000" (en); negative "-Rp 5.000".
std::string format_rupiah(std::int64_t amount, Lang lang = Lang::id);

// Rupiah for charts and summaries: "Rp 1,2 miliar", "Rp 750 juta", "Rp 49,5 miliar",
// "Rp 2,75 triliun" (up to two decimals); below a million, the whole amount.
std::string format_rupiah_short(std::int64_t amount, Lang lang = Lang::id);

}  // namespace rembuk
