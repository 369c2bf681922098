// The text type: operations over one plain-text field, and operational transformation of
// concurrent operations (docs/concurrency.md, "Text operations").
//
// Grammar of an operation as JSON (the wire, the TextEdited event, tests/data/text-cases.json):
//
//   operation := "[" [ component { "," component } ] "]"
//   component := keep | insert | delete
//   keep      := positive integer             skip n code points of the text
//   insert    := non-empty string             insert this text here
//   delete    := "{" "\"d\"" ":" positive integer "}"    delete the next n code points
//
// e.g. [12, "kota ", {"d": 4}]: keep 12, insert "kota ", delete 4. Every count is in Unicode
// code points (not bytes, not UTF-16 units), so no operation can split a character. An
// operation need not cover the whole text: the text after its last component is kept.
//
// Normal form (what decode, compose, transform and invert return): no empty component,
// no two adjacent components of the same kind, no trailing keep. Two operations with the
// same effect need not have the same normal form (an insert next to a delete may come on
// either side); compare results of apply, not operations.
//
// Transform (server-ordered, as ShareDB's text type): transform(a, b, side) is `a` rewritten
// to apply after `b`, where both were made on the same text. Inserts at the same position
// are ordered by `side`: Side::left puts a's insert before b's. A delete of text `b` already
// deleted deletes nothing again; an insert inside text `b` deleted lands where the deleted
// text was. For any a, b on text t:
//   apply(apply(t, a), transform(b, a, right)) == apply(apply(t, b), transform(a, b, left)).
//
// Everything here is pure: no I/O, no global state; any number of threads may call it.
// Texts are UTF-8 (REQUIRES valid UTF-8 wherever a std::string_view text is taken; Boost.JSON
// strings are). Functions that take an operation and a text check that the operation fits
// the text and return an Error otherwise; none throws on bad input.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "rembuk/common/result.hpp"

namespace rembuk::model::text {

struct Component {
  enum class Kind { keep, insert, del };
  Kind kind = Kind::keep;
  std::size_t length = 0;  // code points kept, inserted or deleted
  std::string inserted;    // Kind::insert only: the UTF-8 text (length code points)

  static Component keep(std::size_t n) { return {Kind::keep, n, {}}; }
  static Component del(std::size_t n) { return {Kind::del, n, {}}; }
  static Component insert(std::string text);
  friend bool operator==(const Component&, const Component&) = default;
};

using Operation = std::vector<Component>;

// Why an operation or a text was refused: a stable code and an English sentence. The
// model turns these into violations with an Indonesian message.
struct Error {
  std::string code;  // "text.malformed_op", "text.op_too_long"
  std::string message;
};

enum class Side { left, right };

// --- JSON ---------------------------------------------------------------------------------
// Decodes and normalises an operation; never throws. Refuses anything outside the grammar
// (zero or negative counts, fractions, empty strings, other object members, invalid UTF-8)
// with "text.malformed_op" and the index of the bad component.
Result<Operation, Error> decode(const boost::json::value& json);
boost::json::value encode(const Operation& op);

// --- Lengths ------------------------------------------------------------------------------
std::size_t code_points(std::string_view utf8);
// Code points the operation reads (keeps + deletes): the shortest text it applies to.
std::size_t base_length(const Operation& op);
// Code points it adds minus those it deletes.
std::ptrdiff_t length_change(const Operation& op);
bool is_noop(const Operation& op);

// --- The type -----------------------------------------------------------------------------
// The text after the operation; "text.op_too_long" when it keeps or deletes past the end.
Result<std::string, Error> apply(std::string_view text, const Operation& op);

// `op` rewritten to apply after `other` (both made on the same text); see above.
Operation transform(const Operation& op, const Operation& other, Side side);

// One operation with the effect of `first` then `second` (`second` made on the text `first`
// produced): apply(apply(t, first), second) == apply(t, compose(first, second)).
Operation compose(const Operation& first, const Operation& second);

// The texts `op` deletes from `text`, one per delete component, in order (what an event
// records so that the operation can be inverted without the text it applied to).
Result<std::vector<std::string>, Error> deleted_texts(std::string_view text, const Operation& op);

// The operation that undoes `op`: applied to apply(t, op) it gives t back. `deleted` are the
// texts op deleted (deleted_texts). REQUIRES (else an Error): one entry per delete component,
// each as long as its delete.
Result<Operation, Error> invert(const Operation& op, std::span<const std::string> deleted);

// Where a caret at `position` (code points) is after `op`. An insert
// exactly at the caret goes after it with Side::left (the caret keeps its place before the
// new text: other people's typing does not push a caret, as in ShareDB) and before it with
// Side::right (the caret follows the insert: the author's own caret).
std::size_t transform_position(std::size_t position, const Operation& op,
                               Side side = Side::left);

}  // namespace rembuk::model::text
