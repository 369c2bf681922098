// EditText: a text operation on a narrative field, moved over the text operations committed
// to that field since the author's base version (server-ordered OT, docs/concurrency.md,
// "Text operations"); and the undo of one, its inverse moved to the present.
#include "handlers.hpp"
#include "text_fields.hpp"

namespace rembuk::model {

namespace json = boost::json;
namespace ja = json_access;

namespace {

json::array strings(const std::vector<std::string>& texts) {
  json::array array;
  for (const auto& t : texts) array.emplace_back(json::string(t));
  return array;
}

// The field the command names, with a violation when it is not a narrative field whose
// entity exists.
std::optional<TextField> need_field(Decider& d, const std::string& key) {
  auto field = parse_text_field(key);
  if (!field) {
    d.violate("text.unknown_field", Decider::path("field"),
              "Isian '" + key + "' bukan teks naratif yang dapat disunting bersama",
              "Field '" + key + "' is not a narrative text field", json::object{{"field", key}});
    return std::nullopt;
  }
  if (text_of(d.state, *field) == nullptr) {
    d.violate("text.field_not_found", Decider::path("field"),
              "Isian '" + key + "' tidak ditemukan (entitasnya tidak ada)",
              "Field '" + key + "' was not found (its entity does not exist)",
              json::object{{"field", key}});
    return std::nullopt;
  }
  return field;
}

// Moves `op` (made on the field's text at `since`) over every text operation committed to
// the field after `since`; a whole-value change in between is a conflict, as for any setter.
std::optional<text::Operation> to_present(Decider& d, const TextField& field, Version since,
                                          text::Operation op) {
  if (since >= d.state.version) return op;
  if (auto conflict = entity_conflict(d.state, field.key, since)) {
    d.violations.push_back(std::move(*conflict));
    d.headline = "conflict";
    return std::nullopt;
  }
  auto changes = text_changes_since(d.state, field, since, d.context.text_events);
  if (!changes) {
    d.violate("text.history_unavailable", "/baseVersion",
              "Perubahan isian " + field.key + " sejak versi " + std::to_string(since) +
                  " tidak tersedia",
              "The changes of " + field.key + " since version " + std::to_string(since) +
                  " are not available",
              json::object{{"field", field.key}, {"baseVersion", since}});
    return std::nullopt;
  }
  for (const auto& change : *changes) {
    if (!change.op) {
      d.violations.push_back(conflict_violation(
          d.state, field.key, FieldChange{change.version, change.actor, field.key}, since));
      d.headline = "conflict";
      return std::nullopt;
    }
    // The committed operation came first in the log: at one place, its insert goes first.
    op = text::transform(op, *change.op, text::Side::right);
  }
  return op;
}

// Applies `op` to the field's text and emits the TextEdited that records it.
void commit(Decider& d, const TextField& field, const text::Operation& op) {
  const std::string& current = *text_of(d.state, field);
  auto after = text::apply(current, op);
  if (!after) {
    d.violate("text.op_too_long", Decider::path("ops"),
              "Operasi teks melampaui teks isian " + field.key + " (" +
                  std::to_string(text::code_points(current)) + " karakter)",
              "The text operation reaches past the text of " + field.key + " (" +
                  std::to_string(text::code_points(current)) + " characters)",
              json::object{{"field", field.key},
                           {"length", text::code_points(current)},
                           {"reaches", text::base_length(op)}});
    return;
  }
  const std::size_t length = text::code_points(after.value());
  if (length > field.max_length && length > text::code_points(current)) {
    d.violate("text.too_long", Decider::path("ops"),
              "Teks isian " + field.key + " akan melebihi " + std::to_string(field.max_length) +
                  " karakter",
              "The text of " + field.key + " would exceed " + std::to_string(field.max_length) +
                  " characters",
              json::object{{"field", field.key}, {"maxLength", field.max_length}});
    return;
  }
  d.emit("TextEdited", json::object{{"field", field.key},
                                    {"ops", text::encode(op)},
                                    {"deleted", strings(text::deleted_texts(current, op).value())},
                                    {"author", d.actor.user}});
}

}  // namespace

namespace handlers {

void edit_text(Decider& d) {
  auto field = need_field(d, d.str("field"));
  if (!field) return;
  auto op = text::decode(*d.body.if_contains("ops"));
  if (!op) {
    d.violate("text.malformed_op", Decider::path("ops"),
              "Operasi teks tidak sah: " + op.error().message,
              "Malformed text operation: " + op.error().message);
    return;
  }
  // The base may come in the envelope (as for every command) or in the command itself.
  std::optional<Version> base = d.command.base_version;
  if (auto in_body = ja::opt_int(d.body, "baseVersion")) {
    const auto body_base = static_cast<Version>(*in_body);
    if (base && *base != body_base) {
      d.violate("text.base_version_mismatch", Decider::path("baseVersion"),
                "Versi dasar perintah (" + std::to_string(body_base) +
                    ") berbeda dari versi dasar amplop (" + std::to_string(*base) + ")",
                "The command's base version (" + std::to_string(body_base) +
                    ") differs from the envelope's (" + std::to_string(*base) + ")");
      return;
    }
    if (body_base > d.state.version) {
      d.violate("command.base_version_ahead", Decider::path("baseVersion"),
                "Versi dasar " + std::to_string(body_base) + " melebihi versi masterplan " +
                    std::to_string(d.state.version),
                "Base version " + std::to_string(body_base) +
                    " is ahead of the masterplan's version " + std::to_string(d.state.version));
      return;
    }
    base = body_base;
  }
  auto present = to_present(d, *field, base.value_or(d.state.version), std::move(op.value()));
  if (!present) return;
  commit(d, *field, *present);
}

}  // namespace handlers

std::optional<Version> edit_text_base(const Command& command) {
  if (auto in_body = ja::opt_int(command.body, "baseVersion")) {
    return static_cast<Version>(*in_body);
  }
  return command.base_version;
}

void undo_text_edit(Decider& d, const EventRecord& edited) {
  auto field = need_field(d, ja::str(edited.payload, "field"));
  if (!field) return;
  auto op = text_edit_op(edited.payload);
  std::vector<std::string> deleted;
  if (const auto* array = ja::find(edited.payload, "deleted"); array && array->is_array()) {
    for (const auto& v : array->get_array()) {
      if (v.is_string()) deleted.emplace_back(v.get_string());
    }
  }
  std::optional<text::Operation> inverse;
  if (op) {
    if (auto inverted = text::invert(*op, deleted)) inverse = std::move(inverted.value());
  }
  if (!inverse) {
    d.violate("undo.not_undoable", Decider::path("commandId"),
              "Peristiwa TextEdited ini tidak dapat dibatalkan",
              "This TextEdited event cannot be undone",
              json::object{{"event", edited.type}, {"revision", edited.revision}});
    return;
  }
  // Only the author's own characters come back or go: the inverse, moved over everything
  // written to the field since.
  auto present = to_present(d, *field, edited.revision, std::move(*inverse));
  if (!present) return;
  d.emit("CommandUndone", json::object{{"commandId", edited.command_id}});
  commit(d, *field, *present);
}

std::optional<std::pair<Version, Version>> text_events_needed(
    const MasterplanState& state, const Command& command, std::span<const EventRecord> undo_events) {
  std::string key;
  Version since = 0;
  if (command.type == "EditText") {
    key = ja::str(command.body, "field");
    auto base = edit_text_base(command);
    if (!base) return std::nullopt;
    since = *base;
  } else if (command.type == "Undo" && undo_events.size() == 1 &&
             undo_events.front().type == "TextEdited") {
    key = ja::str(undo_events.front().payload, "field");
    since = undo_events.front().revision;
  } else {
    return std::nullopt;
  }
  auto field = parse_text_field(key);
  if (!field || since >= state.version) return std::nullopt;
  return text_log_range(state, *field, since);
}

}  // namespace rembuk::model
