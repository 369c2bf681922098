#include "masterplan_loader.hpp"

#include <boost/json.hpp>

#include "rembuk/model/apply.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/snapshot_codec.hpp"
#include "rembuk/model/upcaster.hpp"

namespace rembuk::engine {

namespace json = boost::json;

namespace {
constexpr std::size_t kBatch = 1024;

store::Error corrupt(const std::string& message) {
  return store::Error{store::ErrorCode::corrupt, message, 0};
}
}  // namespace

store::StoreResult<model::EventRecord> to_event_record(const store::RecordedEvent& recorded) {
  json::error_code ec;
  json::value payload = json::parse(recorded.payload, ec);
  if (ec || !payload.is_object()) {
    return fail(corrupt("event at position " + std::to_string(recorded.position) +
                        " has a payload that is not a JSON object"));
  }
  model::EventRecord event;
  event.type = recorded.type;
  event.schema_version = recorded.schema_version;
  event.payload = std::move(payload.get_object());
  event.revision = recorded.revision;
  event.actor = recorded.actor;
  event.command_id = recorded.command_id;
  event.time_us = recorded.time_us;
  if (auto upcast = model::upcast(event); !upcast) {
    return fail(corrupt("event at position " + std::to_string(recorded.position) + ": " +
                        upcast.error()));
  }
  return event;
}

store::StoreResult<Unit> catch_up(store::EventLog& log, model::MasterplanState& state) {
  while (true) {
    auto batch = log.read_stream(state.id, state.version + 1, kBatch);
    if (!batch) return fail(batch.error());
    for (const auto& recorded : batch.value()) {
      auto event = to_event_record(recorded);
      if (!event) return fail(event.error());
      model::apply_in_place(state, event.value());
    }
    if (batch.value().size() < kBatch) return Unit{};
  }
}

store::StoreResult<model::MasterplanState> load_masterplan(store::EventLog& log,
                                                           std::string_view stream,
                                                           LoadedSnapshot* from) {
  model::MasterplanState state;
  auto snapshot = log.get_snapshot(stream, UINT64_MAX);
  if (!snapshot) return fail(snapshot.error());
  if (snapshot.value()) {
    auto restored =
        model::decode_state_snapshot(snapshot.value()->bytes, model::Bookkeeping::include);
    // A snapshot this build cannot read is ignored: the events are the truth.
    if (restored && restored.value().version == snapshot.value()->revision) {
      state = std::move(restored.value());
      if (from != nullptr) *from = {snapshot.value()->revision, snapshot.value()->bytes.size()};
    }
  }
  state.id = std::string(stream);
  if (auto r = catch_up(log, state); !r) return fail(r.error());
  return state;
}

store::StoreResult<std::vector<model::EventRecord>> read_revisions(store::EventLog& log,
                                                                   std::string_view stream,
                                                                   model::Version first,
                                                                   model::Version last) {
  std::vector<model::EventRecord> events;
  if (last < first) return events;
  auto batch = log.read_stream(stream, first, last - first + 1);
  if (!batch) return fail(batch.error());
  for (const auto& recorded : batch.value()) {
    if (recorded.revision > last) break;
    auto event = to_event_record(recorded);
    if (!event) return fail(event.error());
    events.push_back(std::move(event.value()));
  }
  return events;
}

store::StoreResult<std::vector<model::EventRecord>> read_command_events(
    store::EventLog& log, std::string_view stream, std::string_view command_id) {
  std::vector<model::EventRecord> events;
  if (command_id.empty()) return events;
  auto found = log.find_command(command_id);
  if (!found) return fail(found.error());
  if (!found.value()) return events;
  const store::AppendResult& range = *found.value();
  // The index gives the revisions in the command's own stream; in another stream the same
  // revisions hold other commands' events, which the id check leaves out.
  auto read = read_revisions(log, stream, range.first_revision, range.last_revision);
  if (!read) return fail(read.error());
  for (auto& event : read.value()) {
    if (event.command_id == command_id) events.push_back(std::move(event));
  }
  return events;
}

}  // namespace rembuk::engine
