// libFuzzer target for the text type (kernel/model/text): the input is JSON. Any JSON value is
// decoded as an operation (never throws; refused with a code). An array
// [text, a, b] whose operations both fit `text` is also checked for the algebra's promises,
// aborting on a broken one: the two orders through transform converge, compose agrees with
// applying in turn, the inverse undoes, a caret stays within the text.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "rembuk/model/text/operation.hpp"

namespace json = boost::json;
namespace text = rembuk::model::text;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  json::error_code ec;
  json::value value = json::parse(
      std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  auto op = text::decode(value);
  if (op) {
    auto again = text::decode(text::encode(op.value()));
    check(again && again.value() == op.value());
  } else {
    check(op.error().code == "text.malformed_op");
  }
  if (!value.is_array() || value.get_array().size() != 3 || !value.get_array()[0].is_string()) {
    return 0;
  }
  const std::string_view doc = value.get_array()[0].get_string();
  auto a = text::decode(value.get_array()[1]);
  auto b = text::decode(value.get_array()[2]);
  if (!a || !b) return 0;
  // Huge keeps or deletes simply do not fit: refused by apply, nothing else to check.
  auto after_a = text::apply(doc, a.value());
  auto after_b = text::apply(doc, b.value());
  if (!after_a || !after_b) return 0;
  auto left = text::apply(after_a.value(), text::transform(b.value(), a.value(), text::Side::right));
  auto right = text::apply(after_b.value(), text::transform(a.value(), b.value(), text::Side::left));
  check(left && right && left.value() == right.value());
  auto composed = text::apply(doc, text::compose(a.value(), b.value()));
  auto in_turn = text::apply(after_a.value(), b.value());
  check(composed.ok() == in_turn.ok());
  if (composed && in_turn) check(composed.value() == in_turn.value());
  auto deleted = text::deleted_texts(doc, a.value());
  check(deleted.ok());
  auto inverse = text::invert(a.value(), deleted.value());
  check(inverse.ok());
  auto undone = text::apply(after_a.value(), inverse.value());
  check(undone && undone.value() == doc);
  const std::size_t caret = text::code_points(doc) / 2;
  check(text::transform_position(caret, a.value()) <= text::code_points(after_a.value()));
  return 0;
}
