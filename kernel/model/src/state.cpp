#include "rembuk/model/state.hpp"

#include <atomic>

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

const Program* MasterplanContent::find_program(const std::string& id) const {
  auto it = programs.find(id);
  return it == programs.end() ? nullptr : &it->second;
}

const Opd* MasterplanContent::find_opd(const std::string& id) const {
  auto it = opds.find(id);
  return it == opds.end() ? nullptr : &it->second;
}

const BimtekStage* MasterplanContent::find_stage(std::int64_t number) const {
  if (number < 1 || number > 4) return nullptr;
  return &bimtek[static_cast<std::size_t>(number - 1)];
}

std::uint64_t next_program_ids_generation() noexcept {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

bool MasterplanContent::bimtek_started() const {
  for (const auto& stage : bimtek) {
    if (!stage.scheduled_date.empty()) return true;
  }
  return false;
}

}  // namespace rembuk::model
