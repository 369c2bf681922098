// The text type's algebra: apply, transform, compose, invert, caret positions. The shape of
// each follows ShareDB's text type (ot-text-unicode); see operation.hpp for the contract.
#include "rembuk/model/text/operation.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "utf8.hpp"

namespace rembuk::model::text {

namespace {

using Kind = Component::Kind;
constexpr std::size_t kWhole = std::numeric_limits<std::size_t>::max();

// Appends keeping the normal form: drops empty components, merges a component into the last
// one of the same kind.
void append(Operation& op, Component c) {
  if (c.length == 0) return;
  if (!op.empty() && op.back().kind == c.kind) {
    Component& last = op.back();
    last.length += c.length;
    if (c.kind == Kind::insert) last.inserted += c.inserted;
    return;
  }
  op.push_back(std::move(c));
}

void trim(Operation& op) {
  if (!op.empty() && op.back().kind == Kind::keep) op.pop_back();
}

// Reads an operation piece by piece. Past its end an operation keeps everything, so take()
// then answers a keep of what was asked for (or nothing when the whole rest was asked for).
class Reader {
 public:
  explicit Reader(const Operation& op) : op_(op) {}

  std::optional<Kind> peek() const {
    if (index_ == op_.size()) return std::nullopt;
    return op_[index_].kind;
  }

  // Up to `n` code points of the current component (kWhole: all of it). A component of kind
  // `indivisible` is always taken whole.
  std::optional<Component> take(std::size_t n = kWhole,
                                std::optional<Kind> indivisible = std::nullopt) {
    if (index_ == op_.size()) {
      if (n == kWhole) return std::nullopt;
      return Component::keep(n);
    }
    const Component& c = op_[index_];
    const std::size_t left = c.length - offset_;
    if (n == kWhole || n >= left || indivisible == c.kind) {
      Component part{c.kind, left, {}};
      if (c.kind == Kind::insert) part.inserted = c.inserted.substr(byte_offset_);
      ++index_;
      offset_ = 0;
      byte_offset_ = 0;
      return part;
    }
    Component part{c.kind, n, {}};
    if (c.kind == Kind::insert) {
      std::string_view rest = std::string_view(c.inserted).substr(byte_offset_);
      const std::size_t bytes = utf8::prefix_bytes(rest, n);
      part.inserted = std::string(rest.substr(0, bytes));
      byte_offset_ += bytes;
    }
    offset_ += n;
    return part;
  }

 private:
  const Operation& op_;
  std::size_t index_ = 0;
  std::size_t offset_ = 0;       // code points of op_[index_] already taken
  std::size_t byte_offset_ = 0;  // the same in bytes, for inserts
};

Error too_long(std::size_t needed, std::size_t length) {
  return Error{"text.op_too_long", "the operation reaches code point " + std::to_string(needed) +
                                       " of a text of " + std::to_string(length)};
}

}  // namespace

Component Component::insert(std::string text) {
  const std::size_t n = utf8::code_points(text);
  return Component{Kind::insert, n, std::move(text)};
}

std::size_t code_points(std::string_view utf8) { return utf8::code_points(utf8); }

std::size_t base_length(const Operation& op) {
  std::size_t n = 0;
  for (const auto& c : op) {
    if (c.kind != Kind::insert) n += c.length;
  }
  return n;
}

std::ptrdiff_t length_change(const Operation& op) {
  std::ptrdiff_t n = 0;
  for (const auto& c : op) {
    if (c.kind == Kind::insert) n += static_cast<std::ptrdiff_t>(c.length);
    if (c.kind == Kind::del) n -= static_cast<std::ptrdiff_t>(c.length);
  }
  return n;
}

bool is_noop(const Operation& op) {
  return std::all_of(op.begin(), op.end(), [](const Component& c) {
    return c.kind == Kind::keep || c.length == 0;
  });
}

Result<std::string, Error> apply(std::string_view text, const Operation& op) {
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t at = 0;  // code points of `text` consumed
  for (const auto& c : op) {
    if (c.kind == Kind::insert) {
      out += c.inserted;
      continue;
    }
    const std::size_t bytes = utf8::prefix_bytes(text, c.length);
    if (utf8::code_points(text.substr(0, bytes)) < c.length) {
      return fail(too_long(at + c.length, at + utf8::code_points(text)));
    }
    if (c.kind == Kind::keep) out.append(text.substr(0, bytes));
    text.remove_prefix(bytes);
    at += c.length;
  }
  out.append(text);
  return out;
}

Operation transform(const Operation& op, const Operation& other, Side side) {
  Operation result;
  Reader reader(op);
  for (const auto& c : other) {
    switch (c.kind) {
      case Kind::keep: {
        std::size_t n = c.length;
        while (n > 0) {
          Component chunk = *reader.take(n, Kind::insert);
          if (chunk.kind != Kind::insert) n -= chunk.length;
          append(result, std::move(chunk));
        }
        break;
      }
      case Kind::insert:
        // Two inserts at one place: the left one goes first.
        while (side == Side::left && reader.peek() == Kind::insert) {
          append(result, *reader.take());
        }
        append(result, Component::keep(c.length));
        break;
      case Kind::del: {
        std::size_t n = c.length;
        while (n > 0) {
          Component chunk = *reader.take(n, Kind::insert);
          // Kept text `other` deleted is gone; text both deleted is deleted once; an insert
          // inside the deleted range stays, where the range was.
          if (chunk.kind == Kind::insert) {
            append(result, std::move(chunk));
          } else {
            n -= chunk.length;
          }
        }
        break;
      }
    }
  }
  while (auto chunk = reader.take()) append(result, std::move(*chunk));
  trim(result);
  return result;
}

Operation compose(const Operation& first, const Operation& second) {
  Operation result;
  Reader reader(first);
  for (const auto& c : second) {
    switch (c.kind) {
      case Kind::keep: {
        std::size_t n = c.length;
        while (n > 0) {
          Component chunk = *reader.take(n, Kind::del);
          if (chunk.kind != Kind::del) n -= chunk.length;
          append(result, std::move(chunk));
        }
        break;
      }
      case Kind::insert:
        append(result, c);
        break;
      case Kind::del: {
        std::size_t n = c.length;
        while (n > 0) {
          Component chunk = *reader.take(n, Kind::del);
          switch (chunk.kind) {
            case Kind::keep:
              n -= chunk.length;
              append(result, Component::del(chunk.length));
              break;
            case Kind::insert:  // inserted by `first`, deleted by `second`: never there
              n -= chunk.length;
              break;
            case Kind::del:
              append(result, std::move(chunk));
              break;
          }
        }
        break;
      }
    }
  }
  while (auto chunk = reader.take()) append(result, std::move(*chunk));
  trim(result);
  return result;
}

Result<std::vector<std::string>, Error> deleted_texts(std::string_view text, const Operation& op) {
  std::vector<std::string> deleted;
  std::size_t at = 0;
  for (const auto& c : op) {
    if (c.kind == Kind::insert) continue;
    const std::size_t bytes = utf8::prefix_bytes(text, c.length);
    if (utf8::code_points(text.substr(0, bytes)) < c.length) {
      return fail(too_long(at + c.length, at + utf8::code_points(text)));
    }
    if (c.kind == Kind::del) deleted.emplace_back(text.substr(0, bytes));
    text.remove_prefix(bytes);
    at += c.length;
  }
  return deleted;
}

Result<Operation, Error> invert(const Operation& op, std::span<const std::string> deleted) {
  Operation result;
  std::size_t next = 0;
  for (const auto& c : op) {
    switch (c.kind) {
      case Kind::keep:
        append(result, c);
        break;
      case Kind::insert:
        append(result, Component::del(c.length));
        break;
      case Kind::del:
        if (next == deleted.size() || utf8::code_points(deleted[next]) != c.length) {
          return fail(Error{"text.malformed_op",
                            "the deleted texts do not match the operation's deletes"});
        }
        append(result, Component::insert(deleted[next++]));
        break;
    }
  }
  if (next != deleted.size()) {
    return fail(Error{"text.malformed_op", "more deleted texts than the operation deletes"});
  }
  trim(result);
  return result;
}

std::size_t transform_position(std::size_t position, const Operation& op, Side side) {
  std::size_t at = 0;  // where the walk is, in the new text
  // A caret inside deleted text goes to the deletion point and stays before an insert made
  // there, whatever the side, as an insert at that caret would (transform).
  bool in_deleted = false;
  for (const auto& c : op) {
    if (side == Side::left || in_deleted ? position <= at : position < at) break;
    switch (c.kind) {
      case Kind::keep:
        at += c.length;
        break;
      case Kind::insert:
        at += c.length;
        position += c.length;
        break;
      case Kind::del:
        in_deleted = position - at < c.length;
        position -= std::min(c.length, position - at);
        break;
    }
  }
  return position;
}

}  // namespace rembuk::model::text
