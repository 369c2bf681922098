// The engine-backed CommandPath: envelopes from session claims, outcomes to wire results,
// and past states by folding the log (model::apply).
#include <boost/json.hpp>

#include "command_path.hpp"
#include "masterplan_members.hpp"
#include "recorded_event.hpp"
#include "state_json_cache.hpp"
#include "rembuk/engine/command_engine.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/event.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::server {
namespace {

namespace json = boost::json;

constexpr std::size_t kFoldChunk = 4096;
// The current states' texts kept for readers: a dozen city masterplans of 1–5 MB.
constexpr std::size_t kStateJsonCacheBytes = std::size_t{64} << 20;

class EngineCommandPath final : public CommandPath {
 public:
  EngineCommandPath(store::EventLog& log, engine::CommandEngine* engine)
      : log_(log), engine_(engine), members_(log), state_json_(kStateJsonCacheBytes) {}

  void submit(SubmitRequest request, std::function<void(SubmitResult)> done) override {
    if (engine_ == nullptr) {
      SubmitResult result;
      result.code = "unavailable";
      result.message = "no command engine";
      done(std::move(result));
      return;
    }
    engine::CommandEnvelope envelope;
    envelope.masterplan = request.masterplan;
    envelope.command_id = request.command_id;
    envelope.actor.user = request.user;
    envelope.actor.roles = std::move(request.roles);
    envelope.actor.opd = std::move(request.opd);
    envelope.base_version = request.base_version;
    envelope.command = std::move(request.command);
    engine_->submit(std::move(envelope), [this, masterplan = request.masterplan,
                                          user = request.user, command_id = request.command_id,
                                          done = std::move(done)](engine::Outcome outcome) {
      if (outcome.accepted && outcome.duplicate) {
        if (auto mismatch = replay_mismatch(command_id, masterplan, user)) {
          done(std::move(*mismatch));
          return;
        }
      }
      SubmitResult result;
      result.accepted = outcome.accepted;
      result.duplicate = outcome.duplicate;
      result.version = outcome.version;
      if (!outcome.accepted) {
        result.code = outcome.code == "auth.forbidden" ? "forbidden" : std::move(outcome.code);
        result.message = std::move(outcome.message);
        for (const auto& v : outcome.violations) result.violations.push_back(engine::to_json(v));
      }
      done(std::move(result));
    });
  }

  std::optional<Result<StateAt, std::string>> state(
      std::string_view masterplan, std::optional<std::uint64_t> at_version,
      std::optional<std::int64_t> at_time_us) override {
    if (!at_version && !at_time_us && engine_ != nullptr) {
      auto current = engine_->state(masterplan);
      if (!current) return Result<StateAt, std::string>(fail(current.error().message));
      StateAt out;
      if (*current == nullptr) {
        out.json = "null";
        return Result<StateAt, std::string>(std::move(out));
      }
      out.version = (*current)->version;
      out.exists = (*current)->exists;
      if (auto kept = state_json_.find(masterplan, out.version)) {
        out.json = *kept;
      } else {
        auto text = std::make_shared<const std::string>(
            json::serialize(model::to_json(**current, model::Bookkeeping::omit)));
        out.json = *text;
        state_json_.keep(masterplan, out.version, std::move(text));
      }
      return Result<StateAt, std::string>(std::move(out));
    }
    return Result<StateAt, std::string>(fold(masterplan, at_version, at_time_us));
  }

  std::optional<Result<MasterplanPeople, std::string>> people(std::string_view masterplan,
                                                              std::string_view user) override {
    if (engine_ == nullptr) return std::nullopt;
    // Asked on every command of a signed-in person: read in place, not a copy of the content;
    // and of every masterplan of the log for a person's list: a masterplan the engine has not
    // loaded is answered from its members alone, not loaded (masterplan_members.hpp).
    MasterplanPeople out;
    const bool loaded =
        engine_->read_loaded_state(masterplan, [&](const model::MasterplanState* state) {
      if (state == nullptr) return;
      out.exists = state->exists;
      out.city_name = state->city_name;
      if (auto it = state->members.find(std::string(user)); it != state->members.end()) {
        out.member = true;
        out.role = it->second.role;
        out.opd = it->second.opd_id;
      }
    });
    if (loaded) return Result<MasterplanPeople, std::string>(std::move(out));
    return members_.people(masterplan, user);
  }

 private:
  // A commandId is the identity of one user's edit of one masterplan. A replay of it is
  // answered with the first outcome, unless it names another masterplan or comes from
  // another user: then it is not a retry but a collision (or an attempt to learn about
  // someone else's edit), refused with `duplicate_command_mismatch`. Only events are stored,
  // so a replay with other content by the same user for the same masterplan cannot be told
  // apart and gets the original ack (docs/protocol.md, "Idempotency").
  std::optional<SubmitResult> replay_mismatch(const std::string& command_id,
                                              const std::string& masterplan,
                                              const std::string& user) {
    auto known = log_.find_command(command_id);
    if (!known || !known->has_value()) return std::nullopt;
    auto first = log_.read_all((*known)->first_position, 1);
    if (!first || first->empty()) return std::nullopt;
    const store::RecordedEvent& original = first->front();
    if (original.stream == masterplan && original.actor == user) return std::nullopt;
    SubmitResult result;
    result.code = "duplicate_command_mismatch";
    result.message = "commandId '" + command_id +
                     "' was already used for another edit; make a new commandId for a new edit";
    return result;
  }

  Result<StateAt, std::string> fold(std::string_view masterplan,
                                    std::optional<std::uint64_t> at_version,
                                    std::optional<std::int64_t> at_time_us) {
    model::MasterplanState state;
    state.id = std::string(masterplan);
    store::Revision next = 1;
    bool done = false;
    while (!done) {
      auto chunk = log_.read_stream(masterplan, next, kFoldChunk);
      if (!chunk) return fail("cannot read the log: " + chunk.error().message);
      for (const auto& recorded : *chunk) {
        if ((at_version && recorded.revision > *at_version) ||
            (at_time_us && recorded.time_us > *at_time_us)) {
          done = true;
          break;
        }
        auto event = folded_event(recorded);
        if (!event) return fail(event.error());
        model::apply_in_place(state, *event);
      }
      if (chunk->size() < kFoldChunk) break;
      next = chunk->back().revision + 1;
    }
    StateAt out;
    out.version = state.version;
    out.exists = state.exists;
    out.json = json::serialize(model::to_json(state, model::Bookkeeping::omit));
    return out;
  }

  store::EventLog& log_;
  engine::CommandEngine* engine_;
  MasterplanMembers members_;
  StateJsonCache state_json_;  // current states only: a past one (?at=) is folded each time
};

}  // namespace

std::unique_ptr<CommandPath> make_command_path(store::EventLog& log,
                                               engine::CommandEngine* engine) {
  return std::make_unique<EngineCommandPath>(log, engine);
}

}  // namespace rembuk::server
