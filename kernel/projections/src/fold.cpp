// Decoding store records into model events and folding them; see fold.hpp.
#include "rembuk/projections/fold.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include "rembuk/model/apply.hpp"
#include "rembuk/model/upcaster.hpp"

namespace rembuk::projections {

namespace json = boost::json;

namespace {

// Events read per LMDB read transaction while folding.
constexpr std::size_t fold_batch = 4096;

Error corrupt(const store::RecordedEvent& event, std::string why) {
  return Error{ErrorCode::corrupt, "event at position " + std::to_string(event.position) +
                                       " (" + event.stream + " revision " +
                                       std::to_string(event.revision) + "): " + std::move(why)};
}

}  // namespace

ProjectionResult<model::EventRecord> to_event_record(const store::RecordedEvent& event,
                                                     json::storage_ptr storage) {
  json::error_code ec;
  json::value payload = json::parse(event.payload, ec, storage);
  if (ec) return fail(corrupt(event, "payload is not JSON: " + ec.message()));
  if (!payload.is_object()) return fail(corrupt(event, "payload is not an object"));
  // The payload is move-constructed so it stays in `storage`: assigning it to a
  // default-constructed record would copy every key and value to the heap (a move between
  // different memory resources is a copy), which cost about a fifth of a fold.
  model::EventRecord record{event.type,     event.schema_version, std::move(payload.get_object()),
                            event.revision, event.actor,          event.command_id,
                            event.time_us};
  if (auto upcasted = model::upcast(record); !upcasted) {
    return fail(corrupt(event, upcasted.error()));
  }
  return record;
}

ProjectionResult<Unit> fold(model::MasterplanState& state,
                            std::span<const store::RecordedEvent> events,
                            model::Bookkeeping bookkeeping) {
  // One arena per call: payloads die right after apply, so nothing is freed one by one.
  json::monotonic_resource arena;
  json::storage_ptr storage(&arena);
  for (const auto& event : events) {
    if (event.revision != state.version + 1 || event.stream != state.id) {
      return fail(corrupt(event, "expected " + state.id + " revision " +
                                     std::to_string(state.version + 1)));
    }
    auto record = to_event_record(event, storage);
    if (!record) return fail(std::move(record).error());
    model::apply_in_place(state, *record, bookkeeping);
  }
  return Unit{};
}

ProjectionResult<std::uint64_t> fold_stream(store::EventLog& log, model::MasterplanState& state,
                                            model::Version to_version,
                                            model::Bookkeeping bookkeeping) {
  std::uint64_t applied = 0;
  while (to_version == 0 || state.version < to_version) {
    std::size_t want = fold_batch;
    if (to_version != 0) want = std::min<std::uint64_t>(want, to_version - state.version);
    auto batch = log.read_stream(state.id, state.version + 1, want);
    if (!batch) return fail(Error{ErrorCode::storage_error, batch.error().message});
    if (batch->empty()) break;
    if (auto folded = fold(state, *batch, bookkeeping); !folded) return fail(std::move(folded).error());
    applied += batch->size();
    if (batch->size() < want) break;
  }
  return applied;
}

model::MasterplanState empty_state(std::string_view masterplan) {
  model::MasterplanState state;
  state.id = std::string(masterplan);
  return state;
}

}  // namespace rembuk::projections
