// CommandEngine: one queue per masterplan, decided in order on a small worker pool against a
// speculative state (committed + in flight), appended through the EventLog's group commit
// without waiting for the previous command's commit, delivered in order after each commit.
#include "rembuk/engine/command_engine.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/json.hpp>

#include "masterplan_loader.hpp"
#include "rembuk/common/thread_name.hpp"
#include "snapshot_writer.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/decide.hpp"
#include "rembuk/model/schema_registry.hpp"
#include "worker_pool.hpp"

namespace rembuk::engine {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kMaxRedecides = 64;

// Set while this thread is inside EventLog::append, called under a masterplan's lock.
thread_local bool appending_here = false;

class AppendingHere {
 public:
  AppendingHere() { appending_here = true; }
  ~AppendingHere() { appending_here = false; }
  AppendingHere(const AppendingHere&) = delete;
  AppendingHere& operator=(const AppendingHere&) = delete;
};

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
  // A full disk gets its own code: the operator must free space, a retry alone will not do.
  rejection.code = error.code == store::ErrorCode::storage_full ? "storage_full" : "storage_error";
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
      : log_(log), extensions_(extensions), options_(std::move(options)), snapshots_(log),
        pool_(options_.threads) {
    if (!options_.clock) options_.clock = system_now_us;
    if (options_.max_in_flight == 0) options_.max_in_flight = 1;
    (void)model::SchemaRegistry::builtin();  // compile the schemas before the first command
    if (options_.unload_idle_after.count() > 0) {
      unloader_ = std::thread([this] {
        name_this_thread("rembuk-unload");
        unload_while_running();
      });
    }
  }

  ~Impl() {
    if (unloader_.joinable()) {
      {
        std::lock_guard lock(unloader_mutex_);
        stopping_ = true;
      }
      unloader_wake_.notify_one();
      unloader_.join();
    }
    std::unique_lock lock(inflight_mutex_);
    idle_.wait(lock, [this] { return inflight_ == 0 && appends_outstanding_ == 0; });
  }

  std::size_t unload_idle(std::chrono::milliseconds idle_for) {
    const auto now = Clock::now();
    std::size_t unloaded = 0;
    for (const auto& masterplan : all_masterplans()) {
      std::shared_ptr<const model::MasterplanState> snapshot;
      {
        std::lock_guard lock(masterplan->mutex);
        if (!masterplan->committed && !masterplan->speculative) continue;
        if (busy_locked(*masterplan) || now - masterplan->last_used < idle_for) continue;
        if (snapshot_ready_locked(*masterplan)) {
          // Let go of right after: moved, not copied.
          snapshot = std::make_shared<const model::MasterplanState>(
              std::move(*masterplan->speculative));
        }
        masterplan->committed.reset();
        masterplan->speculative.reset();
        masterplan->published.reset();
        masterplan->reset_speculative = true;
        masterplan->behind = false;  // the next load reads what the other writers appended
        masterplan->snapshot_wanted = false;
        ++unloaded;
      }
      if (snapshot) snapshots_.offer(std::move(snapshot));
    }
    return unloaded;
  }

  std::size_t loaded_masterplans() {
    std::size_t loaded = 0;
    for (const auto& masterplan : all_masterplans()) {
      std::lock_guard lock(masterplan->mutex);
      if (masterplan->committed || masterplan->speculative) ++loaded;
    }
    return loaded;
  }

  void submit(CommandEnvelope envelope, std::function<void(Outcome)> done) {
    if (store::is_system_stream(envelope.masterplan)) {
      model::Rejection rejection;
      rejection.code = "schema";
      rejection.message = "masterplan ids starting with '$' are reserved for the log's own streams";
      rejection.violations.push_back(model::Violation{
          "masterplan.reserved_id", "/masterplan",
          "Id masterplan yang diawali '$' dicadangkan untuk sistem",
          "Masterplan ids starting with '$' are reserved for the system", {}});
      if (done) done(rejected(envelope.command_id, std::move(rejection)));
      return;
    }
    {
      std::lock_guard lock(inflight_mutex_);
      ++inflight_;
    }
    auto masterplan = find_or_add(envelope.masterplan);
    auto pending = std::make_shared<Pending>(Pending{std::move(envelope), std::move(done), 0});
    std::unique_lock lock(masterplan->mutex);
    masterplan->last_used = Clock::now();
    masterplan->queue.push_back(std::move(pending));
    if (options_.decide_on_caller && can_decide_on_caller_locked(*masterplan)) {
      // Handing a two-microsecond decision to a worker costs more than the decision: a
      // wake-up of another thread, and the wait to be scheduled, on every edit.
      masterplan->deciding = true;
      lock.unlock();
      decide_queue(masterplan, 1);
      return;
    }
    start_deciding_locked(masterplan);
  }

  store::StoreResult<std::shared_ptr<const model::MasterplanState>> state(std::string_view id) {
    auto masterplan = find_or_add(id);
    std::lock_guard lock(masterplan->mutex);
    masterplan->last_used = Clock::now();
    if (masterplan->published) return masterplan->published;
    if (auto loaded = ensure_loaded_locked(*masterplan, id); !loaded) return fail(loaded.error());
    if (masterplan->committed->version == 0) {
      return std::shared_ptr<const model::MasterplanState>();
    }
    // Readers get the content: copying the bookkeeping too (megabytes of change keys on a
    // long-lived masterplan) made a GET after each edit cost tens of milliseconds.
    masterplan->published = content_of(*masterplan->committed);
    return masterplan->published;
  }

  bool read_loaded_state(std::string_view id,
                         const std::function<void(const model::MasterplanState*)>& read) {
    std::shared_ptr<Masterplan> masterplan;
    {
      std::lock_guard lock(masterplans_mutex_);
      auto it = masterplans_.find(std::string(id));
      if (it == masterplans_.end()) return false;
      masterplan = it->second;
    }
    std::lock_guard lock(masterplan->mutex);
    if (!masterplan->committed || masterplan->behind) return false;
    read(masterplan->committed->version == 0 ? nullptr : masterplan->committed.get());
    return true;
  }

 private:
  struct Pending {
    CommandEnvelope envelope;
    std::function<void(Outcome)> done;
    // Times it was decided again because another writer (another node) had moved the stream.
    int redecided = 0;
  };

  // One command between its decision and the delivery of its outcome. Steps are delivered in
  // the order they were decided, which is the order of submit() per masterplan.
  struct Step {
    std::shared_ptr<Pending> pending;
    std::uint64_t epoch = 0;
    std::vector<model::NewEvent> events;                         // what was appended
    std::optional<Outcome> outcome;                              // known at decision time
    std::optional<store::StoreResult<store::AppendResult>> appended;  // the log's answer
    bool ready() const { return outcome.has_value() || appended.has_value(); }
  };

  struct Ready {
    std::shared_ptr<Pending> pending;
    Outcome outcome;
  };

  // One masterplan. `committed` is the state of everything the log has acknowledged (what
  // readers get); `speculative` is committed plus the events of the steps still in flight,
  // and is what the next command is decided against. Only the worker that set `deciding`
  // touches `speculative`, without the lock; everything else is GUARDED_BY(mutex).
  //
  // Only `speculative` carries decide's bookkeeping; `committed` is the content alone
  // (has_bookkeeping = false). The bookkeeping of a long-lived city masterplan is about
  // 2.8 MB of its 3.9, and a node serving hundreds of masterplans would hold it twice. The
  // price is paid where `speculative` has to be thrown away (an append failed; another
  // writer moved the stream): it is loaded again from the log instead of copied, and a
  // masterplan that has seen another writer keeps a whole `committed` from then on, so that
  // catching up stays a fold of the new events (`other_writers`). Snapshots, which need the
  // bookkeeping, are copied from `speculative` when nothing is in flight (`snapshot_wanted`).
  struct Masterplan {
    std::mutex mutex;
    std::deque<std::shared_ptr<Pending>> queue;
    bool deciding = false;
    std::uint64_t epoch = 0;       // bumped when the steps in flight are thrown away
    bool reset_speculative = true;
    std::deque<std::shared_ptr<Step>> steps;
    std::size_t appends_in_flight = 0;
    std::unique_ptr<model::MasterplanState> committed;
    bool behind = false;  // another writer appended: `committed` must catch up from the log
    std::unique_ptr<model::MasterplanState> speculative;  // see above
    std::shared_ptr<const model::MasterplanState> published;
    std::shared_ptr<Pending> in_decision;  // popped from the queue, not yet a step
    bool other_writers = false;    // another writer appended: `committed` is kept whole
    bool snapshot_wanted = false;  // due; taken from `speculative` once nothing is in flight
    std::deque<Ready> ready;       // outcomes to hand out, in order
    bool delivering = false;
    Clock::time_point last_used;   // the last submit() or state(); see unload_idle
  };

  // Something of the masterplan is under way (queued, decided, appending, delivering): its
  // states must stay.
  static bool busy_locked(const Masterplan& masterplan) {
    return masterplan.deciding || masterplan.delivering || masterplan.in_decision ||
           masterplan.appends_in_flight != 0 || !masterplan.queue.empty() ||
           !masterplan.steps.empty() || !masterplan.ready.empty();
  }

  std::vector<std::shared_ptr<Masterplan>> all_masterplans() {
    std::lock_guard lock(masterplans_mutex_);
    std::vector<std::shared_ptr<Masterplan>> all;
    all.reserve(masterplans_.size());
    for (const auto& [id, masterplan] : masterplans_) all.push_back(masterplan);
    return all;
  }

  void unload_while_running() {
    const auto after = options_.unload_idle_after;
    const auto period = std::clamp<std::chrono::milliseconds>(
        after / 4, std::chrono::milliseconds(10), std::chrono::minutes(1));
    std::unique_lock lock(unloader_mutex_);
    while (!unloader_wake_.wait_for(lock, period, [this] { return stopping_; })) {
      lock.unlock();
      unload_idle(after);
      lock.lock();
    }
  }

  std::shared_ptr<Masterplan> find_or_add(std::string_view id) {
    std::lock_guard lock(masterplans_mutex_);
    auto it = masterplans_.find(std::string(id));
    if (it != masterplans_.end()) return it->second;
    auto masterplan = std::make_shared<Masterplan>();
    masterplans_.emplace(std::string(id), masterplan);
    return masterplan;
  }

  // Makes `committed` current: loads the masterplan when it is not loaded, catches up with
  // what another writer appended. Readers call it too, so it never touches `speculative`
  // (a decider may be using it without the lock); a fresh load leaves `committed` whole
  // until a decider takes its bookkeeping (ensure_speculative_locked).
  store::StoreResult<Unit> ensure_loaded_locked(Masterplan& masterplan, std::string_view id) {
    if (masterplan.committed && masterplan.behind) {
      masterplan.behind = false;
      masterplan.reset_speculative = true;
      masterplan.published.reset();
      masterplan.snapshot_wanted = false;
      masterplan.other_writers = true;
      // Fold what the other writers appended rather than loading the whole masterplan again;
      // a content-only state is loaded again, whole, and kept whole from now on.
      if (!masterplan.committed->has_bookkeeping || !catch_up(log_, *masterplan.committed)) {
        masterplan.committed.reset();
      }
    }
    if (masterplan.committed) return Unit{};
    auto loaded = load_whole_locked(id);
    if (!loaded) return fail(loaded.error());
    masterplan.committed = std::move(loaded.value());
    masterplan.reset_speculative = true;
    masterplan.published.reset();
    return Unit{};
  }

  // Called by the decider only, after ensure_loaded_locked: makes `speculative` a whole state
  // equal to `committed` when it was thrown away or never made.
  store::StoreResult<Unit> ensure_speculative_locked(Masterplan& masterplan, std::string_view id) {
    if (masterplan.speculative && !masterplan.reset_speculative) return Unit{};
    if (masterplan.other_writers) {
      masterplan.speculative = std::make_unique<model::MasterplanState>(*masterplan.committed);
    } else if (masterplan.committed->has_bookkeeping) {
      masterplan.speculative = std::move(masterplan.committed);
      masterplan.committed = content_of(*masterplan.speculative);
    } else {
      // The bookkeeping is only in the log now (an append failed after the pipeline moved on).
      auto loaded = load_whole_locked(id);
      if (!loaded) return fail(loaded.error());
      masterplan.speculative = std::move(loaded.value());
      masterplan.committed = content_of(*masterplan.speculative);
      masterplan.published.reset();
    }
    masterplan.reset_speculative = false;
    return Unit{};
  }

  store::StoreResult<std::unique_ptr<model::MasterplanState>> load_whole_locked(std::string_view id) {
    LoadedSnapshot from;
    auto loaded = load_masterplan(log_, id, &from);
    if (!loaded) return fail(loaded.error());
    // So that a restart does not store a new snapshot of every masterplan it loads.
    if (from.version != 0) snapshots_.remember(std::string(id), from.version, from.bytes);
    return std::make_unique<model::MasterplanState>(std::move(loaded.value()));
  }

  static std::unique_ptr<model::MasterplanState> content_of(const model::MasterplanState& state) {
    auto content = std::make_unique<model::MasterplanState>();
    static_cast<model::MasterplanContent&>(*content) = state;
    content->has_bookkeeping = false;
    return content;
  }

  // An Undo reads the undone command's events from the log, and a command id already in
  // flight must be answered from the log: both wait until nothing is in flight.
  static bool must_wait_for_drain(const Masterplan& masterplan, const Pending& pending) {
    if (masterplan.steps.empty()) return false;
    const auto type = pending.envelope.command.if_contains("type");
    if (type && type->is_string() && type->get_string() == "Undo") return true;
    for (const auto& step : masterplan.steps) {
      if (step->pending->envelope.command_id == pending.envelope.command_id) return true;
    }
    return false;
  }

  bool can_decide_locked(const Masterplan& masterplan) const {
    return !masterplan.deciding && !masterplan.queue.empty() &&
           masterplan.appends_in_flight < options_.max_in_flight &&
           !(masterplan.snapshot_wanted && !masterplan.steps.empty()) &&
           !must_wait_for_drain(masterplan, *masterplan.queue.front());
  }

  // The caller's thread may decide a command only when that is quick and bounded: the
  // masterplan is idle and loaded (no reading the log), and has no plugin enabled (a
  // validator may take a round trip to its worker process, up to its timeout).
  bool can_decide_on_caller_locked(const Masterplan& masterplan) const {
    if (!can_decide_locked(masterplan) || masterplan.queue.size() != 1) return false;
    if (!masterplan.committed || masterplan.behind) return false;
    // Making `speculative` (the first command after a load or a reset) copies the content,
    // and taking a due snapshot the whole state: tens of milliseconds for a city masterplan,
    // which must not hold the caller's (an I/O) thread.
    if (!masterplan.speculative || masterplan.reset_speculative || masterplan.snapshot_wanted) {
      return false;
    }
    if (extensions_ == nullptr) return true;
    return masterplan.committed->plugins.empty() && masterplan.speculative->plugins.empty();
  }

  void start_deciding_locked(const std::shared_ptr<Masterplan>& masterplan) {
    if (!can_decide_locked(*masterplan)) return;
    masterplan->deciding = true;
    pool_.post([this, masterplan] { decide_queue(masterplan); });
  }

  // Runs while `deciding` is set (on a worker, or on submit()'s caller for at most one
  // command): decides queued commands one after another until the queue is empty, the
  // pipeline is full or `limit` are decided; what is left goes to a worker (deliver()).
  void decide_queue(const std::shared_ptr<Masterplan>& masterplan,
                    std::size_t limit = std::numeric_limits<std::size_t>::max()) {
    const bool on_worker = limit == std::numeric_limits<std::size_t>::max();
    for (std::size_t decided = 0;;) {
      std::shared_ptr<Pending> pending;
      std::uint64_t epoch = 0;
      {
        std::lock_guard lock(masterplan->mutex);
        masterplan->deciding = false;
        // Only a worker takes a snapshot: the caller of submit() is an I/O thread.
        const bool snapshot_now = on_worker && snapshot_ready_locked(*masterplan);
        if (!snapshot_now && (decided == limit || !can_decide_locked(*masterplan))) break;
        masterplan->deciding = true;
        if (!snapshot_now) {
          pending = std::move(masterplan->queue.front());
          masterplan->queue.pop_front();
          masterplan->in_decision = pending;
          epoch = masterplan->epoch;
        }
      }
      if (!pending) {
        // Copied outside the lock: a city masterplan with its bookkeeping takes tens of
        // milliseconds to copy, which readers (state()) and the log's completion thread
        // would wait for. `deciding` keeps every other thread off `speculative` meanwhile.
        snapshots_.offer(std::make_shared<const model::MasterplanState>(*masterplan->speculative));
        continue;
      }
      decide_one(masterplan, pending, epoch);
      ++decided;
    }
    deliver(masterplan);
  }

  // Decides one command against the speculative state and records its step: an outcome at
  // once (duplicate, rejection) or an append handed to the log.
  void decide_one(const std::shared_ptr<Masterplan>& masterplan,
                  const std::shared_ptr<Pending>& pending, std::uint64_t epoch) {
    const CommandEnvelope& envelope = pending->envelope;
    auto known = log_.find_command(envelope.command_id);
    if (!known) return record(masterplan, pending, epoch, storage_error(envelope.command_id, known.error()));
    if (known.value()) {
      Outcome outcome;
      outcome.command_id = envelope.command_id;
      outcome.accepted = true;
      outcome.duplicate = true;
      outcome.version = known.value()->last_revision;
      return record(masterplan, pending, epoch, std::move(outcome));
    }
    {
      std::lock_guard lock(masterplan->mutex);
      auto loaded = ensure_loaded_locked(*masterplan, envelope.masterplan);
      if (loaded) loaded = ensure_speculative_locked(*masterplan, envelope.masterplan);
      if (!loaded) {
        return record_locked(*masterplan, pending, epoch,
                             storage_error(envelope.command_id, loaded.error()));
      }
    }
    model::MasterplanState& state = *masterplan->speculative;

    auto command = model::decode_command(json::value(envelope.command),
                                         model::SchemaRegistry::builtin());
    if (!command) return record(masterplan, pending, epoch, rejected(envelope.command_id, std::move(command.error())));
    command.value().command_id = envelope.command_id;
    command.value().base_version = envelope.base_version;

    std::vector<model::EventRecord> undo_events;
    if (command.value().type == "Undo") {
      auto events = read_command_events(log_, envelope.masterplan, model::undo_target(command.value()));
      if (!events) return record(masterplan, pending, epoch, storage_error(envelope.command_id, events.error()));
      undo_events = std::move(events.value());
    }

    // A text operation based on a version older than the state's record of its field's
    // changes (loaded from a snapshot since, or many changes ago) reads the rest from the
    // log; those revisions are committed (model::text_events_needed).
    std::vector<model::EventRecord> text_events;
    if (auto range = model::text_events_needed(state, command.value(), undo_events)) {
      auto events = read_revisions(log_, envelope.masterplan, range->first, range->second);
      if (!events) return record(masterplan, pending, epoch, storage_error(envelope.command_id, events.error()));
      text_events = std::move(events.value());
    }

    model::DecideContext context{extensions_, options_.clock(), undo_events, text_events};
    auto decision = model::decide(state, command.value(), envelope.actor, context);
    if (!decision) {
      return record(masterplan, pending, epoch, rejected(envelope.command_id, std::move(decision.error())));
    }

    store::AppendRequest request;
    request.stream = envelope.masterplan;
    request.expected = store::ExpectedRevision::exact(state.version);
    request.command_id = envelope.command_id;
    request.actor = envelope.actor.user;
    auto step = std::make_shared<Step>();
    step->pending = pending;
    step->epoch = epoch;
    step->events = std::move(decision.value());
    request.events.reserve(step->events.size());
    for (const auto& event : step->events) {
      request.events.push_back(
          store::EventData{event.type, event.schema_version, json::serialize(event.payload)});
    }

    std::lock_guard lock(masterplan->mutex);
    // The steps before it were thrown away while it was being decided: it is queued again.
    if (epoch != masterplan->epoch) return;
    masterplan->in_decision.reset();
    // Behind an append still in flight, the revision alone does not say the state this was
    // decided on is the one it lands on: if that append fails and another writer takes its
    // revisions, this one must fail too. Naming that append's command makes sure it does.
    for (auto it = masterplan->steps.rbegin(); it != masterplan->steps.rend(); ++it) {
      if ((*it)->outcome) continue;  // decided without writing
      request.expected_last_command_id = (*it)->pending->envelope.command_id;
      break;
    }
    // The next command sees this one's events before they are durable; its append expects
    // the revision after them and this command's id (above), so if this append fails, every
    // later one in flight fails too.
    apply_events(state, step->events, state.version + 1, envelope);
    masterplan->steps.push_back(step);
    ++masterplan->appends_in_flight;
    {
      std::lock_guard inflight_lock(inflight_mutex_);
      ++appends_outstanding_;
    }
    // Under the lock, so that the log receives a masterplan's appends in decision order.
    // The outcome is settled on the log's thread that reports it (settling is a few event
    // applications and a post to each caller), not handed to a worker: one thread wake-up
    // less per edit. A log that answers inside append() (closed) would find this masterplan's
    // lock held: that answer goes to a worker.
    const AppendingHere guard;
    log_.append(std::move(request),
                [this, masterplan, step](store::StoreResult<store::AppendResult> r) {
                  on_appended(masterplan, step, std::move(r),
                              appending_here ? Waits::hand_off : Waits::try_lock);
                });
  }

  // Folds a step's events; a content-only state stays content-only.
  static void apply_events(model::MasterplanState& state, const std::vector<model::NewEvent>& events,
                           model::Version first_revision, const CommandEnvelope& envelope) {
    const auto bookkeeping =
        state.has_bookkeeping ? model::Bookkeeping::include : model::Bookkeeping::omit;
    for (std::size_t i = 0; i < events.size(); ++i) {
      model::EventRecord record{events[i].type, events[i].schema_version, events[i].payload,
                                first_revision + i, envelope.actor.user, envelope.command_id, 0};
      model::apply_in_place(state, record, bookkeeping);
    }
  }

  void record(const std::shared_ptr<Masterplan>& masterplan, const std::shared_ptr<Pending>& pending,
              std::uint64_t epoch, Outcome outcome) {
    std::lock_guard lock(masterplan->mutex);
    record_locked(*masterplan, pending, epoch, std::move(outcome));
  }

  void record_locked(Masterplan& masterplan, const std::shared_ptr<Pending>& pending,
                     std::uint64_t epoch, Outcome outcome) {
    if (epoch != masterplan.epoch) return;  // decided on a state thrown away: queued again
    masterplan.in_decision.reset();
    auto step = std::make_shared<Step>();
    step->pending = pending;
    step->epoch = epoch;
    step->outcome = std::move(outcome);
    masterplan.steps.push_back(std::move(step));
    settle_locked(masterplan);
  }

  // How a thread may take a masterplan's lock. The log's completion thread must never wait
  // for it: a decider holds it while calling the log's append(), and a log may make append()
  // wait for that thread (or a catch-up under the lock would hold every masterplan's
  // outcomes). So there it only tries, and hands the rest to a worker when the lock is busy.
  enum class Waits { block, try_lock, hand_off };

  static bool acquire(std::unique_lock<std::mutex>& lock, Waits waits) {
    switch (waits) {
      case Waits::block:
        lock.lock();
        return true;
      case Waits::try_lock:
        return lock.try_lock();
      case Waits::hand_off:
        return false;
    }
    return false;
  }

  void on_appended(const std::shared_ptr<Masterplan>& masterplan, const std::shared_ptr<Step>& step,
                   store::StoreResult<store::AppendResult> result, Waits waits = Waits::block) {
    std::shared_ptr<const model::MasterplanState> snapshot;
    {
      std::unique_lock lock(masterplan->mutex, std::defer_lock);
      if (!acquire(lock, waits)) {
        auto moved = std::make_shared<store::StoreResult<store::AppendResult>>(std::move(result));
        pool_.post([this, masterplan, step, moved] {
          on_appended(masterplan, step, std::move(*moved));
        });
        return;
      }
      --masterplan->appends_in_flight;
      if (step->epoch != masterplan->epoch) {
        // Thrown away: its command is queued again. Its append expected the revision and the
        // command id of a step that was not written, so it failed — unless that step was a
        // duplicate whose events another node wrote last: then this one landed, its next
        // decision finds it in the log (a duplicate ack), and the state catches up.
        if (result) masterplan->behind = true;
      } else {
        step->appended = std::move(result);
        settle_locked(*masterplan, &snapshot);
        if (!snapshot && !masterplan->deciding && masterplan->snapshot_wanted &&
            masterplan->steps.empty()) {
          // The copy is a decider's (decide_queue), never this thread's: the log reports
          // every masterplan's commits here.
          masterplan->deciding = true;
          {
            std::lock_guard inflight_lock(inflight_mutex_);
            ++appends_outstanding_;
          }
          pool_.post([this, masterplan] {
            decide_queue(masterplan);
            std::lock_guard inflight_lock(inflight_mutex_);
            if (--appends_outstanding_ == 0 && inflight_ == 0) idle_.notify_all();
          });
        }
      }
      start_deciding_locked(masterplan);
    }
    if (snapshot) snapshots_.offer(std::move(snapshot));
    deliver(masterplan, waits);
    std::lock_guard inflight_lock(inflight_mutex_);
    if (--appends_outstanding_ == 0 && inflight_ == 0) idle_.notify_all();
  }

  // Moves the finished steps at the front into `ready`, in order, applying committed events
  // to the committed state. A step whose append failed or turned out a duplicate ends the
  // pipeline: the steps after it were decided on events that were not written, so their
  // commands go back to the front of the queue and are decided again.
  // `snapshot` (when given) receives a copy of the committed state when it crossed a multiple
  // of snapshot_every; the copy is also what readers get until the next commit.
  void settle_locked(Masterplan& masterplan,
                     std::shared_ptr<const model::MasterplanState>* snapshot = nullptr) {
    while (!masterplan.steps.empty() && masterplan.steps.front()->ready()) {
      auto step = std::move(masterplan.steps.front());
      masterplan.steps.pop_front();
      const CommandEnvelope& envelope = step->pending->envelope;
      if (step->outcome) {
        masterplan.ready.push_back(Ready{step->pending, std::move(*step->outcome)});
        continue;
      }
      const auto& result = *step->appended;
      if (result && !result.value().duplicate) {
        const store::AppendResult& appended = result.value();
        model::MasterplanState& state = *masterplan.committed;
        const model::Version before = state.version;
        apply_events(state, step->events, appended.first_revision, envelope);
        masterplan.published.reset();
        const auto every = options_.snapshot_every;
        if (every != 0 && before / every != state.version / every &&
            snapshots_.due(state.id, state.version, every)) {
          if (snapshot && state.has_bookkeeping) {
            // Copied under the lock (the next settle changes `committed`); encoded and stored
            // by the SnapshotWriter, outside it.
            masterplan.published = std::make_shared<const model::MasterplanState>(state);
            *snapshot = masterplan.published;
          } else {
            masterplan.snapshot_wanted = true;
          }
        }
        Outcome outcome;
        outcome.command_id = envelope.command_id;
        outcome.accepted = true;
        outcome.version = appended.last_revision;
        outcome.events.reserve(step->events.size());
        for (std::size_t i = 0; i < step->events.size(); ++i) {
          auto& event = step->events[i];
          outcome.events.push_back(CommittedEvent{appended.first_position + i,
                                                  appended.first_revision + i, event.type,
                                                  event.schema_version, std::move(event.payload)});
        }
        masterplan.ready.push_back(Ready{step->pending, std::move(outcome)});
        continue;
      }
      // The pipeline ends here.
      throw_away_steps_locked(masterplan);
      if (result) {  // a duplicate: the command id was committed by someone else first
        Outcome outcome;
        outcome.command_id = envelope.command_id;
        outcome.accepted = true;
        outcome.duplicate = true;
        outcome.version = result.value().last_revision;
        masterplan.ready.push_back(Ready{step->pending, std::move(outcome)});
      } else if (result.error().code == store::ErrorCode::wrong_expected_revision &&
                 step->pending->redecided < kMaxRedecides) {
        // Another writer (another process or node) appended to this stream: catch up and
        // decide again, on the state it is now (where the field-level rule may say conflict).
        // Each lost race means that writer got through, so this ends; the bound only keeps a
        // command from waiting forever behind a masterplan that never stops moving.
        masterplan.behind = true;
        masterplan.published.reset();
        ++step->pending->redecided;
        masterplan.queue.push_front(step->pending);
      } else {
        masterplan.ready.push_back(
            Ready{step->pending, storage_error(envelope.command_id, result.error())});
      }
      return;
    }
  }

  // True, and the wish cleared, when the wanted snapshot can be taken from `speculative`
  // now: it equals `committed`, nothing is in flight and no decider is at work (the caller is
  // the decider, or none runs). Until then, can_decide_locked lets the steps in flight drain:
  // one commit's pause per snapshot.
  static bool snapshot_ready_locked(Masterplan& masterplan) {
    if (!masterplan.snapshot_wanted || !masterplan.steps.empty()) return false;
    masterplan.snapshot_wanted = false;
    // Thrown away meanwhile: the next due version will have one.
    return !masterplan.reset_speculative && masterplan.speculative && masterplan.committed &&
           masterplan.speculative->version == masterplan.committed->version;
  }

  void throw_away_steps_locked(Masterplan& masterplan) {
    ++masterplan.epoch;
    masterplan.reset_speculative = true;
    // In submit order at the front: the thrown-away steps, then the command being decided.
    if (masterplan.in_decision) masterplan.queue.push_front(std::move(masterplan.in_decision));
    while (!masterplan.steps.empty()) {
      masterplan.queue.push_front(std::move(masterplan.steps.back()->pending));
      masterplan.steps.pop_back();
    }
  }

  // Hands out the ready outcomes in order; one thread at a time per masterplan, so that the
  // callbacks (which broadcast committed events) never overtake each other.
  void deliver(const std::shared_ptr<Masterplan>& masterplan, Waits waits = Waits::block) {
    std::unique_lock lock(masterplan->mutex, std::defer_lock);
    if (!acquire(lock, waits)) {
      pool_.post([this, masterplan] { deliver(masterplan); });
      return;
    }
    if (masterplan->delivering) return;
    masterplan->delivering = true;
    deliver_ready(masterplan, lock, waits);
  }

  // The loop of deliver(), entered with the lock held and `delivering` set by this thread.
  void deliver_ready(const std::shared_ptr<Masterplan>& masterplan,
                     std::unique_lock<std::mutex>& lock, Waits waits) {
    while (!masterplan->ready.empty()) {
      Ready item = std::move(masterplan->ready.front());
      masterplan->ready.pop_front();
      lock.unlock();
      if (item.pending->done) item.pending->done(std::move(item.outcome));
      {
        std::lock_guard inflight_lock(inflight_mutex_);
        if (--inflight_ == 0 && appends_outstanding_ == 0) idle_.notify_all();
      }
      if (!acquire(lock, waits)) {
        // Still `delivering`: a worker carries on from here.
        pool_.post([this, masterplan] {
          std::unique_lock worker_lock(masterplan->mutex);
          deliver_ready(masterplan, worker_lock, Waits::block);
        });
        return;
      }
    }
    masterplan->delivering = false;
    start_deciding_locked(masterplan);
  }

  store::EventLog& log_;
  const model::Extensions* extensions_;
  EngineOptions options_;

  std::mutex masterplans_mutex_;
  std::unordered_map<std::string, std::shared_ptr<Masterplan>> masterplans_;  // GUARDED_BY

  std::mutex inflight_mutex_;
  std::condition_variable idle_;
  std::size_t inflight_ = 0;  // commands submitted, outcome not yet delivered; GUARDED_BY
  // Log callbacks not yet handled, and snapshots being taken on a worker; GUARDED_BY.
  std::size_t appends_outstanding_ = 0;

  SnapshotWriter snapshots_;  // outlives the pool: its last tasks may offer snapshots

  std::mutex unloader_mutex_;
  std::condition_variable unloader_wake_;
  bool stopping_ = false;  // GUARDED_BY(unloader_mutex_)
  std::thread unloader_;   // joined first thing in ~Impl

  WorkerPool pool_;  // last member: destroyed (joined) first
};

CommandEngine::CommandEngine(store::EventLog& log, const model::Extensions* extensions,
                             EngineOptions options)
    : impl_(std::make_unique<Impl>(log, extensions, std::move(options))) {}

CommandEngine::~CommandEngine() = default;

std::size_t CommandEngine::unload_idle(std::chrono::milliseconds idle_for) {
  return impl_->unload_idle(idle_for);
}

std::size_t CommandEngine::loaded_masterplans() { return impl_->loaded_masterplans(); }

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

bool CommandEngine::read_loaded_state(
    std::string_view masterplan, const std::function<void(const model::MasterplanState*)>& read) {
  return impl_->read_loaded_state(masterplan, read);
}

}  // namespace rembuk::engine
