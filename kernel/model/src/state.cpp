#include "rembuk/model/state.hpp"

namespace rembuk::model {

const char* to_string(Status status) {
  switch (status) {
    case Status::draft: return "draft";
    case Status::submitted: return "submitted";
    case Status::under_review: return "under_review";
    case Status::approved: return "approved";
  }
  return "draft";
}

std::optional<Status> status_from_string(std::string_view text) {
  if (text == "draft") return Status::draft;
  if (text == "submitted") return Status::submitted;
  if (text == "under_review") return Status::under_review;
  if (text == "approved") return Status::approved;
  return std::nullopt;
}

const Program* MasterplanState::find_program(const std::string& id) const {
  auto it = programs.find(id);
  return it == programs.end() ? nullptr : &it->second;
}

const Opd* MasterplanState::find_opd(const std::string& id) const {
  auto it = opds.find(id);
  return it == opds.end() ? nullptr : &it->second;
}

}  // namespace rembuk::model
