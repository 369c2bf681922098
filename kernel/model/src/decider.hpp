// Decider: the working state of one decide() call, shared by the handlers and the rules.
// Internal to kernel/model.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "json_access.hpp"
#include "rembuk/model/decide.hpp"

namespace rembuk::model {

// The actor with the roles the masterplan's member list adds.
struct EffectiveActor {
  std::string user;
  std::vector<std::string> roles;
  std::string opd;
  bool has(std::string_view role) const {
    for (const auto& r : roles) {
      if (r == role) return true;
    }
    return false;
  }
  bool any_of(std::initializer_list<std::string_view> wanted) const {
    for (auto w : wanted) {
      if (has(w)) return true;
    }
    return false;
  }
};

class Decider {
 public:
  Decider(const MasterplanState& state, const Command& command, const EffectiveActor& actor,
          const DecideContext& context)
      : state(state), command(command), body(command.body), actor(actor), context(context) {}

  const MasterplanState& state;
  const Command& command;
  const boost::json::object& body;
  const EffectiveActor& actor;
  const DecideContext& context;

  std::vector<Violation> violations;
  std::vector<NewEvent> events;
  std::string headline;  // overrides the first violation's code as the rejection code

  void violate(std::string code, std::string path, std::string message_id,
               std::string message_en, boost::json::value detail = nullptr) {
    violations.push_back(Violation{std::move(code), std::move(path), std::move(message_id),
                                   std::move(message_en), std::move(detail)});
  }
  void emit(std::string type, boost::json::object payload);
  bool ok() const { return violations.empty(); }

  std::string str(std::string_view key) const { return json_access::str(body, key); }
  int year(std::string_view key) const { return json_access::year(body, key); }
  static std::string path(std::string_view field) { return "/command/" + std::string(field); }

  // The program named by body.programId, or null after a "program.not_found" violation.
  const Program* need_program();
  // The indicator named by body.indicatorId in `program`, or null after a violation.
  const Indicator* need_indicator(const Program& program);
  // False (after an "<kind>.id_taken" violation) when "<kind>/<id>" was ever used.
  bool id_free(std::string_view kind, const std::string& id, std::string_view field);
};

// Handlers, one per command type (handlers_*.cpp). Each checks its rules and emits events.
using CommandHandler = void (*)(Decider&);
CommandHandler find_handler(std::string_view type);

// Compensating events for Undo (undo.cpp).
void handle_undo(Decider& d);
// The undo of one TextEdited: its inverse moved to the present (handlers_text.cpp).
void undo_text_edit(Decider& d, const EventRecord& edited);
// The base version of an EditText: the command's own "baseVersion", else the envelope's.
std::optional<Version> edit_text_base(const Command& command);

}  // namespace rembuk::model
