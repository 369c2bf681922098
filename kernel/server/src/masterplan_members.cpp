// Members of a masterplan without loading it; see masterplan_members.hpp.
#include "masterplan_members.hpp"

#include "recorded_event.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/snapshot_codec.hpp"

namespace rembuk::server {

namespace {

constexpr std::size_t kChunk = 4096;

// Keeps of a loaded content what the questions need, and drops the rest.
model::MasterplanState identity_and_members(model::MasterplanState&& content) {
  model::MasterplanState kept;
  kept.id = std::move(content.id);
  kept.version = content.version;
  kept.exists = content.exists;
  kept.city_name = std::move(content.city_name);
  kept.members = std::move(content.members);
  kept.has_bookkeeping = false;
  return kept;
}

}  // namespace

bool MasterplanMembers::kept(std::string_view type) {
  // Every handler of model::apply that writes exists, city_name or members (apply.cpp).
  return type == "MasterplanCreated" || type == "MasterplanIdentitySet" ||
         type == "MemberAdded" || type == "MemberRoleChanged" || type == "MemberRemoved";
}

Result<MasterplanPeople, std::string> MasterplanMembers::people(std::string_view masterplan,
                                                                std::string_view user) {
  auto info = log_.stream_info(masterplan);
  if (!info) return fail("cannot read the log: " + info.error().message);
  MasterplanPeople out;
  if (!info->has_value()) return out;
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mutex_);
    auto& slot = entries_[std::string(masterplan)];
    if (!slot) slot = std::make_shared<Entry>();
    entry = slot;
  }
  std::lock_guard lock(entry->mutex);
  if (entry->state.version == 0) {
    if (auto loaded = load(*entry, masterplan); !loaded) return fail(loaded.error());
  }
  if (entry->state.version < (*info)->revision) {
    if (auto caught = catch_up(*entry, masterplan, (*info)->revision); !caught) {
      return fail(caught.error());
    }
  }
  const model::MasterplanState& state = entry->state;
  out.exists = state.exists;
  out.city_name = state.city_name;
  if (auto it = state.members.find(std::string(user)); it != state.members.end()) {
    out.member = true;
    out.role = it->second.role;
    out.opd = it->second.opd_id;
  }
  return out;
}

Result<Unit, std::string> MasterplanMembers::load(Entry& entry, std::string_view masterplan) {
  model::MasterplanState content;
  content.id = std::string(masterplan);
  auto snapshot = log_.get_snapshot(masterplan, UINT64_MAX);
  if (!snapshot) return fail("cannot read the log: " + snapshot.error().message);
  if (snapshot->has_value()) {
    auto decoded = model::decode_state_snapshot((*snapshot)->bytes, model::Bookkeeping::omit);
    // A snapshot that does not decode only costs a longer read: fold from the first event.
    if (decoded) {
      content = std::move(decoded.value());
      content.id = std::string(masterplan);
    }
  }
  entry.state = identity_and_members(std::move(content));
  return Unit{};
}

Result<Unit, std::string> MasterplanMembers::catch_up(Entry& entry, std::string_view masterplan,
                                                      store::Revision revision) {
  while (entry.state.version < revision) {
    auto chunk = log_.read_stream(masterplan, entry.state.version + 1, kChunk);
    if (!chunk) return fail("cannot read the log: " + chunk.error().message);
    if (chunk->empty()) break;
    for (const auto& recorded : *chunk) {
      if (kept(recorded.type)) {
        auto event = folded_event(recorded);
        if (!event) return fail(std::string(masterplan) + ", " + event.error());
        model::apply_in_place(entry.state, *event, model::Bookkeeping::omit);
      }
      entry.state.version = recorded.revision;
    }
  }
  return Unit{};
}

}  // namespace rembuk::server
