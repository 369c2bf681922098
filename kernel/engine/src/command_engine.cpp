// CommandEngine: one serial queue per masterplan, decided on a small worker pool, appended
// through the EventLog's group commit, applied to the cached state after the commit.
#include "rembuk/engine/command_engine.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <unordered_map>

#include <boost/json.hpp>

#include "masterplan_loader.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/canonical_json.hpp"
#include "rembuk/model/decide.hpp"
#include "rembuk/model/schema_registry.hpp"
#include "worker_pool.hpp"

namespace rembuk::engine {

namespace json = boost::json;

namespace {

Outcome rejected(const std::string& command_id, model::Rejection rejection) {
  Outcome outcome;
  outcome.command_id = command_id;
  outcome.code = std::move(rejection.code);
  outcome.message = std::move(rejection.message);
  outcome.violations = std::move(rejection.violations);
  return outcome;
}

Outcome storage_error(const std::string& command_id, const store::Error& error) {
  model::Rejection rejection;
  rejection.code = "storage_error";
  rejection.message = "Penyimpanan gagal / The log refused the command: " +
                      std::string(store::to_string(error.code)) + ": " + error.message;
  rejection.violations.push_back(model::Violation{
      "storage_error", "", "Penyimpanan gagal: " + error.message,
      "The log failed: " + error.message,
      json::object{{"store", std::string(store::to_string(error.code))}}});
  return rejected(command_id, std::move(rejection));
}

std::int64_t system_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

class CommandEngine::Impl {
 public:
  Impl(store::EventLog& log, const model::Extensions* extensions, EngineOptions options)
      : log_(log), extensions_(extensions), options_(std::move(options)),
        pool_(options_.threads) {
    if (!options_.clock) options_.clock = system_now_us;
    (void)model::SchemaRegistry::builtin();  // compile the schemas before the first command
  }

  ~Impl() {
    std::unique_lock lock(inflight_mutex_);
    idle_.wait(lock, [this] { return inflight_ == 0; });
  }

  void submit(CommandEnvelope envelope, std::function<void(Outcome)> done) {
    {
      std::lock_guard lock(inflight_mutex_);
      ++inflight_;
    }
    auto masterplan = find_or_add(envelope.masterplan);
    auto pending = std::make_shared<Pending>(Pending{std::move(envelope), std::move(done), false});
    std::lock_guard lock(masterplan->mutex);
    masterplan->queue.push_back(std::move(pending));
    if (!masterplan->busy) {
      masterplan->busy = true;
      auto next = std::move(masterplan->queue.front());
      masterplan->queue.pop_front();
      pool_.post([this, masterplan, next] { process(masterplan, next); });
    }
  }

  store::StoreResult<std::shared_ptr<const model::MasterplanState>> state(std::string_view id) {
    auto masterplan = find_or_add(id);
    std::lock_guard lock(masterplan->mutex);
    if (masterplan->published) return masterplan->published;
    if (!masterplan->state) {
      auto loaded = load_masterplan(log_, id);
      if (!loaded) return fail(loaded.error());
      masterplan->state = std::make_unique<model::MasterplanState>(std::move(loaded.value()));
    }
    if (masterplan->state->version == 0) return std::shared_ptr<const model::MasterplanState>();
    masterplan->published = std::make_shared<const model::MasterplanState>(*masterplan->state);
    return masterplan->published;
  }

 private:
  struct Pending {
    CommandEnvelope envelope;
    std::function<void(Outcome)> done;
    bool retried = false;
  };

  // One masterplan: its queue and its cached state. Only the worker that set `busy` mutates
  // `state`, and only while holding `mutex`; it reads `state` without the lock (no one else
  // writes it). `published` is an immutable copy handed to readers.
  struct Masterplan {
    std::mutex mutex;
    std::deque<std::shared_ptr<Pending>> queue;            // GUARDED_BY(mutex)
    bool busy = false;                                     // GUARDED_BY(mutex)
    std::unique_ptr<model::MasterplanState> state;         // see above
    std::shared_ptr<const model::MasterplanState> published;  // GUARDED_BY(mutex)
  };

  std::shared_ptr<Masterplan> find_or_add(std::string_view id) {
    std::lock_guard lock(masterplans_mutex_);
    auto it = masterplans_.find(std::string(id));
    if (it != masterplans_.end()) return it->second;
    auto masterplan = std::make_shared<Masterplan>();
    masterplans_.emplace(std::string(id), masterplan);
    return masterplan;
  }

  // Runs on a worker. Ends by calling finish() or by handing the append to the log, whose
  // callback posts on_appended().
  void process(const std::shared_ptr<Masterplan>& masterplan,
               const std::shared_ptr<Pending>& pending) {
    const CommandEnvelope& envelope = pending->envelope;
    auto known = log_.find_command(envelope.command_id);
    if (!known) return finish(masterplan, pending, storage_error(envelope.command_id, known.error()));
    if (known.value()) {
      Outcome outcome;
      outcome.command_id = envelope.command_id;
      outcome.accepted = true;
      outcome.duplicate = true;
      outcome.version = known.value()->last_revision;
      return finish(masterplan, pending, std::move(outcome));
    }
    {
      std::lock_guard lock(masterplan->mutex);
      if (!masterplan->state) {
        auto loaded = load_masterplan(log_, envelope.masterplan);
        if (!loaded) {
          return finish_unlocked_later(masterplan, pending,
                                       storage_error(envelope.command_id, loaded.error()));
        }
        masterplan->state = std::make_unique<model::MasterplanState>(std::move(loaded.value()));
      }
    }
    const model::MasterplanState& state = *masterplan->state;

    auto command = model::decode_command(json::value(envelope.command),
                                         model::SchemaRegistry::builtin());
    if (!command) return finish(masterplan, pending, rejected(envelope.command_id, std::move(command.error())));
    command.value().command_id = envelope.command_id;
    command.value().base_version = envelope.base_version;

    std::vector<model::EventRecord> undo_events;
    if (command.value().type == "Undo") {
      if (auto range = model::undo_range(state, command.value())) {
        auto events = read_revisions(log_, envelope.masterplan, range->first, range->second);
        if (!events) return finish(masterplan, pending, storage_error(envelope.command_id, events.error()));
        undo_events = std::move(events.value());
      }
    }

    model::DecideContext context{extensions_, options_.clock(), undo_events};
    auto decision = model::decide(state, command.value(), envelope.actor, context);
    if (!decision) {
      return finish(masterplan, pending, rejected(envelope.command_id, std::move(decision.error())));
    }

    store::AppendRequest request;
    request.stream = envelope.masterplan;
    request.expected = store::ExpectedRevision::exact(state.version);
    request.command_id = envelope.command_id;
    request.actor = envelope.actor.user;
    auto events = std::make_shared<std::vector<model::NewEvent>>(std::move(decision.value()));
    request.events.reserve(events->size());
    for (const auto& event : *events) {
      request.events.push_back(
          store::EventData{event.type, event.schema_version, json::serialize(event.payload)});
    }
    log_.append(std::move(request),
                [this, masterplan, pending, events](store::StoreResult<store::AppendResult> r) {
                  auto result = std::make_shared<store::StoreResult<store::AppendResult>>(std::move(r));
                  pool_.post([this, masterplan, pending, events, result] {
                    on_appended(masterplan, pending, *events, *result);
                  });
                });
  }

  void on_appended(const std::shared_ptr<Masterplan>& masterplan,
                   const std::shared_ptr<Pending>& pending,
                   const std::vector<model::NewEvent>& events,
                   const store::StoreResult<store::AppendResult>& result) {
    const CommandEnvelope& envelope = pending->envelope;
    if (!result) {
      if (result.error().code == store::ErrorCode::wrong_expected_revision && !pending->retried) {
        // Another writer appended to this stream: reload and decide once more.
        {
          std::lock_guard lock(masterplan->mutex);
          masterplan->state.reset();
          masterplan->published.reset();
        }
        pending->retried = true;
        return process(masterplan, pending);
      }
      return finish(masterplan, pending, storage_error(envelope.command_id, result.error()));
    }
    const store::AppendResult& appended = result.value();
    Outcome outcome;
    outcome.command_id = envelope.command_id;
    outcome.accepted = true;
    outcome.version = appended.last_revision;
    if (appended.duplicate) {
      outcome.duplicate = true;
      return finish(masterplan, pending, std::move(outcome));
    }
    std::string snapshot;
    {
      std::lock_guard lock(masterplan->mutex);
      model::MasterplanState& state = *masterplan->state;
      const model::Version before = state.version;
      for (std::size_t i = 0; i < events.size(); ++i) {
        model::EventRecord record{events[i].type, events[i].schema_version, events[i].payload,
                                  appended.first_revision + i, envelope.actor.user,
                                  envelope.command_id, 0};
        model::apply_in_place(state, record);
      }
      masterplan->published.reset();
      const auto every = options_.snapshot_every;
      if (every != 0 && before / every != state.version / every) {
        snapshot = model::canonical_json(state);
      }
    }
    if (!snapshot.empty()) {
      // A failed snapshot only costs a longer load later; the events are the truth.
      (void)log_.put_snapshot(envelope.masterplan, appended.last_revision, snapshot);
    }
    outcome.events.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      outcome.events.push_back(CommittedEvent{appended.first_position + i,
                                              appended.first_revision + i, events[i].type,
                                              events[i].schema_version, events[i].payload});
    }
    finish(masterplan, pending, std::move(outcome));
  }

  // For paths that hold masterplan->mutex: finish after releasing it.
  void finish_unlocked_later(const std::shared_ptr<Masterplan>& masterplan,
                             const std::shared_ptr<Pending>& pending, Outcome outcome) {
    auto shared = std::make_shared<Outcome>(std::move(outcome));
    pool_.post([this, masterplan, pending, shared] { finish(masterplan, pending, std::move(*shared)); });
  }

  // Runs the callback, then starts the masterplan's next command (or marks it idle).
  void finish(const std::shared_ptr<Masterplan>& masterplan,
              const std::shared_ptr<Pending>& pending, Outcome outcome) {
    if (pending->done) pending->done(std::move(outcome));
    {
      std::lock_guard lock(masterplan->mutex);
      if (masterplan->queue.empty()) {
        masterplan->busy = false;
      } else {
        auto next = std::move(masterplan->queue.front());
        masterplan->queue.pop_front();
        pool_.post([this, masterplan, next] { process(masterplan, next); });
      }
    }
    std::lock_guard lock(inflight_mutex_);
    if (--inflight_ == 0) idle_.notify_all();
  }

  store::EventLog& log_;
  const model::Extensions* extensions_;
  EngineOptions options_;

  std::mutex masterplans_mutex_;
  std::unordered_map<std::string, std::shared_ptr<Masterplan>> masterplans_;  // GUARDED_BY

  std::mutex inflight_mutex_;
  std::condition_variable idle_;
  std::size_t inflight_ = 0;  // GUARDED_BY(inflight_mutex_)

  WorkerPool pool_;  // last member: destroyed (joined) first
};

CommandEngine::CommandEngine(store::EventLog& log, const model::Extensions* extensions,
                             EngineOptions options)
    : impl_(std::make_unique<Impl>(log, extensions, std::move(options))) {}

CommandEngine::~CommandEngine() = default;

void CommandEngine::submit(CommandEnvelope envelope, std::function<void(Outcome)> done) {
  impl_->submit(std::move(envelope), std::move(done));
}

Outcome CommandEngine::submit_sync(CommandEnvelope envelope) {
  std::promise<Outcome> promise;
  auto future = promise.get_future();
  impl_->submit(std::move(envelope), [&promise](Outcome outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

store::StoreResult<std::shared_ptr<const model::MasterplanState>> CommandEngine::state(
    std::string_view masterplan) {
  return impl_->state(masterplan);
}

}  // namespace rembuk::engine
