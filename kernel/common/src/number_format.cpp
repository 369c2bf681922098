#include "rembuk/common/number_format.hpp"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace rembuk {
namespace {

struct Separators {
  char thousands;
  char decimal;
};

Separators separators(Lang lang) { return lang == Lang::id ? Separators{'.', ','} : Separators{',', '.'}; }

// "1234567" → "1.234.567" (digits only).
std::string group(std::string_view digits, char separator) {
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(separator);
    out.push_back(digits[i]);
  }
  return out;
}

std::string magnitude_digits(std::int64_t value) {
  // Unsigned negation keeps INT64_MIN exact.
  const std::uint64_t magnitude =
      value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  return std::to_string(magnitude);
}

bool is_percent_unit(std::string_view unit) {
  return unit == "%" || unit == "persen" || unit == "Persen" || unit == "percent";
}

}  // namespace

std::string_view to_string(Lang lang) { return lang == Lang::id ? "id" : "en"; }

std::optional<Lang> lang_from_string(std::string_view name) {
  if (name == "id") return Lang::id;
  if (name == "en") return Lang::en;
  return std::nullopt;
}

std::string format_integer(std::int64_t value, Lang lang) {
  const std::string grouped = group(magnitude_digits(value), separators(lang).thousands);
  return value < 0 ? "-" + grouped : grouped;
}

std::string format_decimal(double value, Lang lang, int max_fraction) {
  assert(max_fraction >= 0 && max_fraction <= 6);
  if (!std::isfinite(value)) return "—";
  // Fixed notation, correctly rounded; 309 integer digits + sign + point + 6 decimals fit.
  char buffer[330];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, std::abs(value), std::chars_format::fixed,
                    max_fraction);
  assert(ec == std::errc{});
  std::string_view fixed(buffer, static_cast<std::size_t>(end - buffer));
  std::string_view integer = fixed;
  std::string_view fraction;
  if (const auto point = fixed.find('.'); point != std::string_view::npos) {
    integer = fixed.substr(0, point);
    fraction = fixed.substr(point + 1);
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  }
  const Separators s = separators(lang);
  std::string out = group(integer, s.thousands);
  if (!fraction.empty()) {
    out.push_back(s.decimal);
    out.append(fraction);
  }
  const bool zero = out.find_first_not_of("0.,") == std::string::npos;
  return value < 0 && !zero ? "-" + out : out;
}

std::string format_percent(double value, Lang lang, int max_fraction) {
  return format_decimal(value, lang, max_fraction) + (lang == Lang::id ? " %" : "%");
}

std::string format_quantity(double value, std::string_view unit, Lang lang) {
  if (is_percent_unit(unit)) return format_percent(value, lang, 2);
  std::string out = format_decimal(value, lang, 2);
  if (!unit.empty()) {
    out.push_back(' ');
    out.append(unit);
  }
  return out;
}

std::string format_rupiah(std::int64_t amount, Lang lang) {
  const std::string grouped = group(magnitude_digits(amount), separators(lang).thousands);
  return (amount < 0 ? "-Rp " : "Rp ") + grouped;
}

std::string format_rupiah_short(std::int64_t amount, Lang lang) {
  struct Scale {
    double size;
    const char* id;
    const char* en;
  };
  static constexpr Scale scales[] = {{1e12, "triliun", "trillion"},
                                     {1e9, "miliar", "billion"},
                                     {1e6, "juta", "million"}};
  const double magnitude = std::abs(static_cast<double>(amount));
  for (const auto& scale : scales) {
    // By what it rounds to: 999.999.999 is "Rp 1 miliar", not "Rp 1.000 juta".
    if (std::round(magnitude / scale.size * 100) >= 100) {
      return (amount < 0 ? "-Rp " : "Rp ") + format_decimal(magnitude / scale.size, lang, 2) +
             " " + (lang == Lang::id ? scale.id : scale.en);
    }
  }
  return format_rupiah(amount, lang);
}

}  // namespace rembuk
