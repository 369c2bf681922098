// Attribution: a text as runs of characters, each run with the author and the version that
// wrote it. Folding a field's history through it (a whole value set attributes all of it to
// one change, a text operation attributes what it inserts) gives `rembuk history --blame`.
//
// A plain value; not thread-safe for mutation, safe to read from many threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rembuk/model/text/operation.hpp"

namespace rembuk::model::text {

struct AttributedRun {
  std::string text;         // UTF-8
  std::size_t length = 0;   // code points
  std::string author;
  std::uint64_t version = 0;
  friend bool operator==(const AttributedRun&, const AttributedRun&) = default;
};

class Attribution {
 public:
  // The whole text, written by `author` at `version` (an empty text has no run).
  void reset(std::string_view text, const std::string& author, std::uint64_t version);

  // Applies `op`: what it inserts is `author`'s at `version`; kept text keeps its origin.
  // "text.op_too_long" (nothing changed) when the op does not fit the text.
  Result<Unit, Error> apply(const Operation& op, const std::string& author,
                            std::uint64_t version);

  std::string text() const;
  // Neighbouring runs of one author and version are merged.
  const std::vector<AttributedRun>& runs() const { return runs_; }

 private:
  std::vector<AttributedRun> runs_;
};

}  // namespace rembuk::model::text
