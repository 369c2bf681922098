// rembuk/plugin_json.hpp: a small read-only JSON reader for plugins.
//
// Validators receive the command and the masterplan's state as JSON text (see plugin.h). So
// that a plugin needs nothing but the SDK, this header parses that text into an immutable
// tree with lookups that never throw on a missing or mistyped field: `v["program"]["leadOpd"]`
// is a null value when absent, and `as_string()` returns nullptr when the value is not a
// string. Parsing throws rembuk::plugin::json::ParseError on malformed text; plugin.hpp
// catches it and turns it into REMBUK_STATUS_ERROR.
//
// Thread safety: a parsed Value is immutable; const access from several threads is safe.
// It is a reader for trusted, host-produced JSON of modest size, not a general library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rembuk::plugin::json {

class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Value;

struct Member;

class Value {
 public:
  enum class Kind { null, boolean, number, string, array, object };

  Value() = default;

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::null; }
  bool is_object() const noexcept { return kind_ == Kind::object; }
  bool is_array() const noexcept { return kind_ == Kind::array; }

  // nullptr / nullopt when the value has another kind.
  const std::string* as_string() const noexcept {
    return kind_ == Kind::string ? &text_ : nullptr;
  }
  std::optional<bool> as_bool() const noexcept {
    return kind_ == Kind::boolean ? std::optional<bool>(boolean_) : std::nullopt;
  }
  std::optional<double> as_number() const noexcept {
    return kind_ == Kind::number ? std::optional<double>(number_) : std::nullopt;
  }
  // The number if it is integral and fits in int64.
  std::optional<std::int64_t> as_int() const noexcept {
    if (kind_ != Kind::number || !integral_) return std::nullopt;
    return integer_;
  }
  // The string, or `fallback` when the value is not a string.
  std::string_view string_or(std::string_view fallback = {}) const noexcept {
    return kind_ == Kind::string ? std::string_view(text_) : fallback;
  }

  // Array elements (empty for non-arrays).
  const std::vector<Value>& items() const noexcept { return items_; }
  // Object members in document order (empty for non-objects).
  const std::vector<Member>& members() const noexcept { return members_; }
  std::size_t size() const noexcept;

  // The member named `key`, or nullptr (also for non-objects).
  const Value* find(std::string_view key) const noexcept;
  // The member named `key`, or a null value.
  const Value& operator[](std::string_view key) const noexcept;
  // The element at `index`, or a null value.
  const Value& operator[](std::size_t index) const noexcept {
    return index < items_.size() ? items_[index] : null_value();
  }
  // RFC 6901 JSON pointer ("/program/indicators/0/name"); nullptr when it leads nowhere.
  const Value* at_pointer(std::string_view pointer) const;

  static const Value& null_value() noexcept {
    static const Value null;
    return null;
  }

 private:
  friend class Parser;
  Kind kind_ = Kind::null;
  bool boolean_ = false;
  bool integral_ = false;
  double number_ = 0;
  std::int64_t integer_ = 0;
  std::string text_;
  std::vector<Value> items_;
  std::vector<Member> members_;
};

struct Member {
  std::string key;
  Value value;
};

inline std::size_t Value::size() const noexcept {
  return kind_ == Kind::array ? items_.size() : kind_ == Kind::object ? members_.size() : 0;
}

inline const Value* Value::find(std::string_view key) const noexcept {
  if (kind_ != Kind::object) return nullptr;
  for (const Member& m : members_) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

inline const Value& Value::operator[](std::string_view key) const noexcept {
  const Value* v = find(key);
  return v ? *v : null_value();
}

inline const Value* Value::at_pointer(std::string_view pointer) const {
  const Value* at = this;
  while (!pointer.empty()) {
    if (pointer.front() != '/') return nullptr;
    pointer.remove_prefix(1);
    const std::size_t end = pointer.find('/');
    std::string token(pointer.substr(0, end));
    pointer = end == std::string_view::npos ? std::string_view{} : pointer.substr(end);
    std::string unescaped;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
        unescaped += token[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        unescaped += token[i];
      }
    }
    if (at->is_object()) {
      at = at->find(unescaped);
    } else if (at->is_array()) {
      if (unescaped.empty() || unescaped.size() > 9 ||
          unescaped.find_first_not_of("0123456789") != std::string::npos) {
        return nullptr;
      }
      const std::size_t index = std::stoul(unescaped);
      at = index < at->items_.size() ? &at->items_[index] : nullptr;
    } else {
      return nullptr;
    }
    if (at == nullptr) return nullptr;
  }
  return at;
}

// Recursive-descent parser (RFC 8259), depth-limited.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Value parse_document() {
    Value v = parse_value(0);
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  static constexpr int max_depth = 128;

  [[noreturn]] void fail(const char* what) const {
    throw ParseError(std::string("JSON: ") + what + " at byte " + std::to_string(pos_));
  }
  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  Value parse_value(int depth) {
    if (depth > max_depth) fail("nesting too deep");
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end");
    Value v;
    const char c = text_[pos_];
    if (c == '{') {
      v.kind_ = Value::Kind::object;
      ++pos_;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return v;
      }
      for (;;) {
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != '"') fail("expected a member name");
        Member m;
        m.key = parse_string();
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != ':') fail("expected ':'");
        ++pos_;
        m.value = parse_value(depth + 1);
        v.members_.push_back(std::move(m));
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == '}') {
          ++pos_;
          return v;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.kind_ = Value::Kind::array;
      ++pos_;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return v;
      }
      for (;;) {
        v.items_.push_back(parse_value(depth + 1));
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == ']') {
          ++pos_;
          return v;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      v.kind_ = Value::Kind::string;
      v.text_ = parse_string();
      return v;
    }
    if (consume("true")) {
      v.kind_ = Value::Kind::boolean;
      v.boolean_ = true;
      return v;
    }
    if (consume("false")) {
      v.kind_ = Value::Kind::boolean;
      return v;
    }
    if (consume("null")) return v;
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
    fail("unexpected character");
  }
  Value parse_number() {
    const std::size_t start = pos_;
    bool integral = true;
    if (text_[pos_] == '-') ++pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      if (pos_ == from) fail("expected a digit");
    };
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;  // a leading zero stands alone (RFC 8259)
      if (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') fail("leading zero");
    } else {
      digits();
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      integral = false;
      ++pos_;
      digits();
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      integral = false;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      digits();
    }
    const std::string literal(text_.substr(start, pos_ - start));
    Value v;
    v.kind_ = Value::Kind::number;
    v.number_ = std::strtod(literal.c_str(), nullptr);
    if (integral && literal.size() <= 18) {
      v.integral_ = true;
      v.integer_ = std::strtoll(literal.c_str(), nullptr, 10);
    }
    return v;
  }
  unsigned parse_hex4() {
    if (pos_ + 4 > text_.size()) fail("short \\u escape");
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      code <<= 4;
      if (h >= '0' && h <= '9') code |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f') code |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') code |= static_cast<unsigned>(h - 'A' + 10);
      else fail("bad hex digit in \\u escape");
    }
    return code;
  }
  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (pos_ >= text_.size()) fail("unterminated string");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) fail("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = parse_hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (!consume("\\u")) fail("lone high surrogate");
            const unsigned low = parse_hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("bad low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("lone low surrogate");
          }
          append_utf8(out, cp);
          break;
        }
        default: fail("unknown escape");
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// REQUIRES: nothing; throws ParseError on malformed input.
inline Value parse(std::string_view text) { return Parser(text).parse_document(); }

}  // namespace rembuk::plugin::json
