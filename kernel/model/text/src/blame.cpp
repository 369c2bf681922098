#include "rembuk/model/text/blame.hpp"

#include <algorithm>

#include "utf8.hpp"

namespace rembuk::model::text {

namespace {

void push(std::vector<AttributedRun>& runs, AttributedRun run) {
  if (run.length == 0) return;
  if (!runs.empty() && runs.back().author == run.author && runs.back().version == run.version) {
    runs.back().text += run.text;
    runs.back().length += run.length;
    return;
  }
  runs.push_back(std::move(run));
}

}  // namespace

void Attribution::reset(std::string_view text, const std::string& author,
                        std::uint64_t version) {
  runs_.clear();
  push(runs_, AttributedRun{std::string(text), code_points(text), author, version});
}

Result<Unit, Error> Attribution::apply(const Operation& op, const std::string& author,
                                       std::uint64_t version) {
  std::vector<AttributedRun> out;
  std::size_t index = 0;   // run of runs_ being read
  std::size_t offset = 0;  // code points of it already read
  std::size_t byte = 0;    // the same in bytes
  // Takes n code points from the old runs, keeping them (to `out`) or dropping them.
  auto take = [&](std::size_t n, bool keep) -> bool {
    while (n > 0) {
      if (index == runs_.size()) return false;
      const AttributedRun& run = runs_[index];
      const std::size_t part = std::min(n, run.length - offset);
      std::string_view rest = std::string_view(run.text).substr(byte);
      const std::size_t bytes = utf8::prefix_bytes(rest, part);
      if (keep) push(out, AttributedRun{std::string(rest.substr(0, bytes)), part, run.author, run.version});
      offset += part;
      byte += bytes;
      n -= part;
      if (offset == run.length) {
        ++index;
        offset = 0;
        byte = 0;
      }
    }
    return true;
  };
  for (const auto& c : op) {
    switch (c.kind) {
      case Component::Kind::keep:
      case Component::Kind::del:
        if (!take(c.length, c.kind == Component::Kind::keep)) {
          return fail(Error{"text.op_too_long", "the operation reaches past the end of the text"});
        }
        break;
      case Component::Kind::insert:
        push(out, AttributedRun{c.inserted, c.length, author, version});
        break;
    }
  }
  // The rest is kept.
  while (index < runs_.size()) take(runs_[index].length - offset, true);
  runs_ = std::move(out);
  return Unit{};
}

std::string Attribution::text() const {
  std::string text;
  for (const auto& run : runs_) text += run.text;
  return text;
}

}  // namespace rembuk::model::text
