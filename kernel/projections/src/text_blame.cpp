#include "rembuk/projections/text_blame.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "rembuk/model/apply.hpp"
#include "rembuk/model/narrative_fields.hpp"
#include "rembuk/model/text/operation.hpp"
#include "rembuk/projections/fold.hpp"

namespace rembuk::projections {

namespace json = boost::json;

namespace {
constexpr std::size_t kBatch = 1024;
}  // namespace

ProjectionResult<TextBlame> blame_text(store::EventLog& log, std::string_view masterplan,
                                       std::string_view field, std::uint64_t to_version) {
  if (!model::is_narrative_field(field)) {
    return fail(Error{ErrorCode::invalid_argument,
                      "'" + std::string(field) + "' is not a narrative field's key "
                      "(docs/concurrency.md): e.g. masterplan/vision, program/ID/description"});
  }
  model::MasterplanState state = empty_state(masterplan);
  model::text::Attribution attribution;
  std::optional<std::string> current;  // the field's text as attributed
  while (to_version == 0 || state.version < to_version) {
    auto batch = log.read_stream(masterplan, state.version + 1, kBatch);
    if (!batch) return fail(Error{ErrorCode::storage_error, batch.error().message});
    for (const auto& recorded : *batch) {
      if (to_version != 0 && recorded.revision > to_version) break;
      auto event = to_event_record(recorded);
      if (!event) return fail(std::move(event).error());
      const model::EventRecord& e = event.value();
      model::apply_in_place(state, e, model::Bookkeeping::omit);
      auto text = model::narrative_text(state, field);
      const auto* edited = e.payload.if_contains("field");
      const bool own_edit = e.type == "TextEdited" && edited != nullptr &&
                            edited->is_string() && edited->get_string() == field;
      if (own_edit && current) {
        auto op = model::text::decode(e.payload.at("ops"));
        const auto* author = e.payload.if_contains("author");
        const std::string who =
            author != nullptr && author->is_string() ? std::string(author->get_string()) : e.actor;
        if (op && attribution.apply(op.value(), who, e.revision)) {
          current = text;
          continue;
        }
      }
      if (text != current) {
        // A whole-value change (or an edit the attribution could not follow): all of it is
        // this change's.
        attribution.reset(text.value_or(""), e.actor, e.revision);
        current = text;
      }
    }
    if (batch->size() < kBatch) break;
  }
  if (state.version == 0) {
    return fail(Error{ErrorCode::not_found, "no masterplan '" + std::string(masterplan) + "'"});
  }
  if (!current) {
    return fail(Error{ErrorCode::not_found, "masterplan '" + std::string(masterplan) +
                                                "' has no field " + std::string(field)});
  }
  return TextBlame{std::string(field), state.version, attribution.runs()};
}

json::object to_json(const TextBlame& blame) {
  json::array runs;
  std::string text;
  for (const auto& run : blame.runs) {
    text += run.text;
    runs.push_back(json::object{{"text", run.text}, {"author", run.author}, {"version", run.version}});
  }
  return json::object{{"field", blame.field},
                      {"version", blame.version},
                      {"text", text},
                      {"runs", std::move(runs)}};
}

std::string render_text(const TextBlame& blame) {
  std::string out = blame.field + " at version " + std::to_string(blame.version) + "\n";
  std::size_t width = 6;
  for (const auto& run : blame.runs) width = std::max(width, run.author.size());
  for (const auto& run : blame.runs) {
    std::string quoted;
    for (char c : run.text) {
      if (c == '\n') {
        quoted += "\\n";
      } else if (c == '"' || c == '\\') {
        quoted += '\\';
        quoted += c;
      } else {
        quoted += c;
      }
    }
    std::string version = "v" + std::to_string(run.version);
    version.resize(std::max<std::size_t>(version.size(), 7), ' ');
    std::string author = run.author;
    author.resize(width, ' ');
    out += version + " " + author + "  \"" + quoted + "\"\n";
  }
  return out;
}

}  // namespace rembuk::projections
