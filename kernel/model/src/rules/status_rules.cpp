#include "status_rules.hpp"

namespace rembuk::model::rules {

namespace json = boost::json;

bool allowed_when_approved(std::string_view type) {
  return type == "AddComment" || type == "ResolveComment" || type == "SubmitMasterplan" ||
         type == "StartReview" || type == "ApproveMasterplan" || type == "ReopenMasterplan";
}

void check_not_locked(Decider& d) {
  if (d.state.status != Status::approved || allowed_when_approved(d.command.type)) return;
  d.violate("status.locked", "/command/type",
            "Masterplan sudah disetujui; buka kembali (ReopenMasterplan) sebelum mengubahnya",
            "The masterplan is approved; reopen it (ReopenMasterplan) before editing",
            json::object{{"status", to_string(d.state.status)}});
}

std::optional<Status> check_transition(Decider& d) {
  const std::string& type = d.command.type;
  const Status from = d.state.status;
  std::optional<Status> to;
  if (type == "SubmitMasterplan" && from == Status::draft) to = Status::submitted;
  if (type == "StartReview" && from == Status::submitted) to = Status::under_review;
  if (type == "ApproveMasterplan" && from == Status::under_review) to = Status::approved;
  if (type == "ReopenMasterplan" && from != Status::draft) to = Status::draft;
  if (!to) {
    d.violate("status.invalid_transition", "/command/type",
              type + " tidak berlaku saat status masterplan " + to_string(from),
              type + " does not apply while the masterplan is " + to_string(from),
              json::object{{"status", to_string(from)}, {"command", type}});
  }
  return to;
}

}  // namespace rembuk::model::rules
