#include "group_committer.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <future>

#include "keys.hpp"
#include "log_reader.hpp"
#include "record_codec.hpp"
#include "rembuk/common/thread_name.hpp"
#include "request_limits.hpp"
#include "store_errors.hpp"

namespace rembuk::store {
namespace {

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::uint64_t elapsed_ns(std::int64_t from, std::int64_t to) {
  return to > from ? static_cast<std::uint64_t>(to - from) : 0;
}

// Callbacks belong to the caller; one that throws must not take the writer down with it.
template <typename F, typename Arg>
void deliver(const F& done, Arg&& arg) {
  try {
    if (done) done(std::forward<Arg>(arg));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rembuk store: an append callback threw: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "rembuk store: an append callback threw\n");
  }
}

bool expected_holds(const ExpectedRevision& expected, Revision current) {
  switch (expected.kind()) {
    case ExpectedRevision::Kind::any:
      return true;
    case ExpectedRevision::Kind::no_stream:
      return current == 0;
    case ExpectedRevision::Kind::exact:
      return current == expected.revision();
  }
  return false;
}

std::string describe(const ExpectedRevision& expected) {
  switch (expected.kind()) {
    case ExpectedRevision::Kind::any:
      return "any";
    case ExpectedRevision::Kind::no_stream:
      return "no stream";
    case ExpectedRevision::Kind::exact:
      return "revision " + std::to_string(expected.revision());
  }
  return "?";
}

}  // namespace

GroupCommitter::GroupCommitter(LogEnvironment& env, const LmdbOptions& options,
                               CommitSignal& signal)
    : env_(env),
      used_bytes_([&env] { return env.used_bytes(); }),
      max_batch_(options.max_batch_appends == 0 ? 1 : options.max_batch_appends),
      hold_until_synced_(options.durability == Durability::sync),
      sync_at_once_(options.meta_sync == MetaSync::at_once),
      clock_(options.clock),
      signal_(signal),
      reserve_(options.durability == Durability::sync && options.reserve_bytes > 0
                   ? FileReserve::start(env.data_file(), options.reserve_bytes, env.page_size(),
                                        used_bytes_, env.open_lock())
                   : nullptr),
      completion_thread_([this] {
        name_this_thread("rembuk-told");
        run_completions();
      }),
      thread_([this] {
        name_this_thread("rembuk-writer");
        run();
      }) {}

GroupCommitter::~GroupCommitter() { stop(); }

void GroupCommitter::submit(AppendRequest request, AppendCallback done) {
  std::optional<Error> refused;
  if (auto why = check_append_request(request)) {
    refused = Error{ErrorCode::invalid_argument, std::move(*why)};
  }
  {
    std::unique_lock lock(mutex_);
    if (!stopping_) {
      if (refused) {
        // Never reaches the writer; told on the completion thread like every other result.
        // (Still under mutex_, so stop() cannot end that thread before this is queued.)
        std::vector<Completion> completion;
        completion.push_back(Completion{std::move(done), fail(std::move(*refused)), 0, 0, 0, 0});
        complete(std::move(completion));
        return;
      }
      queue_.emplace_back(PendingAppend{std::move(request), std::move(done), steady_ns()});
      lock.unlock();
      cv_.notify_one();
      return;
    }
  }
  deliver(done, StoreResult<AppendResult>(fail(Error{ErrorCode::closed, "the log is closed"})));
}

StoreResult<Unit> GroupCommitter::write(std::function<void(lmdb::Txn&)> op) {
  std::promise<StoreResult<Unit>> promise;
  auto future = promise.get_future();
  {
    std::unique_lock lock(mutex_);
    if (stopping_) return fail(Error{ErrorCode::closed, "the log is closed"});
    queue_.emplace_back(PendingWrite{std::move(op), [&promise](StoreResult<Unit> r) {
                                       promise.set_value(std::move(r));
                                     }});
  }
  cv_.notify_one();
  return future.get();
}

void GroupCommitter::stop() {
  std::lock_guard stop_lock(stop_mutex_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(completion_mutex_);
    completions_done_ = true;
  }
  completion_cv_.notify_one();
  if (completion_thread_.joinable()) completion_thread_.join();
  reserve_.reset();
}

void GroupCommitter::complete(std::vector<Completion> completions) {
  const std::int64_t released = steady_ns();
  for (auto& c : completions) c.released_ns = released;
  {
    std::lock_guard lock(completion_mutex_);
    completions_.push_back(std::move(completions));
  }
  completion_cv_.notify_one();
}

void GroupCommitter::run_completions() {
  for (;;) {
    std::vector<Completion> batch;
    {
      std::unique_lock lock(completion_mutex_);
      completion_cv_.wait(lock, [&] { return !completions_.empty() || completions_done_; });
      if (completions_.empty()) return;  // the writer has ended and everything is told
      batch = std::move(completions_.front());
      completions_.pop_front();
    }
    for (auto& c : batch) {
      if (c.submitted_ns != 0) account(c, steady_ns());
      deliver(c.done, std::move(c.result));
    }
  }
}

void GroupCommitter::account(const Completion& c, std::int64_t told_ns) {
  constexpr auto relaxed = std::memory_order_relaxed;
  timed_appends_.fetch_add(1, relaxed);
  queue_ns_.fetch_add(elapsed_ns(c.submitted_ns, c.taken_ns), relaxed);
  commit_ns_.fetch_add(elapsed_ns(c.taken_ns, c.committed_ns), relaxed);
  hold_ns_.fetch_add(elapsed_ns(c.committed_ns, c.released_ns), relaxed);
  handoff_ns_.fetch_add(elapsed_ns(c.released_ns, told_ns), relaxed);
}

CommitStats GroupCommitter::stats() const {
  CommitStats s;
  s.commits = commits_.load();
  s.appends = appends_.load();
  s.map_growths = growths_.load();
  s.explicit_syncs = explicit_syncs_.load();
  s.map_size = env_.map_size();
  s.timed_appends = timed_appends_.load();
  s.queue_us = queue_ns_.load() / 1000;
  s.commit_us = commit_ns_.load() / 1000;
  s.hold_us = hold_ns_.load() / 1000;
  s.handoff_us = handoff_ns_.load() / 1000;
  if (reserve_) {
    const auto reserve = reserve_->stats();
    s.reserve_steps = reserve.steps;
    s.reserve_waits = reserve.writer_waits;
    s.reserved_ahead = reserve.ahead;
  }
  return s;
}

std::int64_t GroupCommitter::now_us() const {
  if (clock_) return clock_();
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void GroupCommitter::run() {
  std::vector<PendingAppend> batch;
  for (;;) {
    std::optional<PendingWrite> write;
    std::int64_t taken_ns = 0;
    {
      std::unique_lock lock(mutex_);
      if (queue_.empty() && !held_.empty()) {
        // Nothing queued whose commit would sync for them: sync now.
        lock.unlock();
        sync_held();
        continue;
      }
      cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything queued is done and told
      if (auto* w = std::get_if<PendingWrite>(&queue_.front())) {
        write.emplace(std::move(*w));
        queue_.pop_front();
      } else {
        taken_ns = steady_ns();
        while (!queue_.empty() && batch.size() < max_batch_ &&
               std::holds_alternative<PendingAppend>(queue_.front())) {
          batch.push_back(std::move(std::get<PendingAppend>(queue_.front())));
          queue_.pop_front();
        }
      }
    }
    if (write) {
      run_write(*write);
    } else {
      commit_appends(batch, 0, batch.size(), taken_ns);
      batch.clear();
    }
  }
}

bool GroupCommitter::grow(Error& error) {
  try {
    env_.grow();
    growths_.fetch_add(1);
    return true;
  } catch (const lmdb::LmdbError& e) {
    error = env_.write_error(e);
    return false;
  }
}

void GroupCommitter::fail_all(std::vector<PendingAppend>& batch, std::size_t begin,
                              std::size_t end, const Error& error, std::int64_t taken_ns) {
  const std::int64_t now = steady_ns();
  std::vector<Completion> completions;
  completions.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    completions.push_back(Completion{std::move(batch[i].done), fail(error),
                                     batch[i].submitted_ns, taken_ns, now, 0});
  }
  // After an I/O error the kernel may have dropped the held commits' dirty meta pages, and a
  // later sync would then succeed without writing them: they are not confirmed either.
  if (hold_until_synced_ && error.code == ErrorCode::io_error) fail_held(error);
  settle(std::move(completions), 0, false);
}

void GroupCommitter::settle(std::vector<Completion> completions, Position last_position,
                            bool wrote) {
  if (!hold_until_synced_) {
    if (last_position != 0) signal_.publish(last_position);
    complete(std::move(completions));
    return;
  }
  // This commit's data sync ran after the meta pages of everything held were written.
  if (wrote) release_held();
  held_.push_back(std::move(completions));
  if (last_position != 0) held_last_position_ = last_position;
  if (sync_at_once_ && wrote) sync_held();
}

void GroupCommitter::release_held() {
  if (held_last_position_ != 0) signal_.publish(held_last_position_);
  held_last_position_ = 0;
  for (auto& completions : held_) complete(std::move(completions));
  held_.clear();
}

void GroupCommitter::sync_held() {
  if (held_.empty()) return;
  if (auto synced = sync_file(); !synced) {
    fail_held(synced.error());
    return;
  }
  release_held();
}

StoreResult<Unit> GroupCommitter::sync_file() {
  explicit_syncs_.fetch_add(1);
  const int rc = mdb_env_sync(env_.env(), 1);
  if (rc == MDB_SUCCESS) return Unit{};
  return fail(Error{ErrorCode::io_error,
                    std::string("the disk refused to sync the log: ") + mdb_strerror(rc)});
}

void GroupCommitter::fail_held(const Error& error) {
  // The transactions are committed in the map but the disk did not confirm them: their
  // callers must not be told they are durable. (A machine crash may or may not keep them.)
  for (auto& completions : held_) {
    for (auto& c : completions) {
      if (c.result.ok()) c.result = fail(error);
    }
  }
  held_last_position_ = 0;
  for (auto& completions : held_) complete(std::move(completions));
  held_.clear();
}

void GroupCommitter::commit_appends(std::vector<PendingAppend>& batch, std::size_t begin,
                                    std::size_t end, std::int64_t taken_ns) {
  for (;;) {
    Error error;
    try {
      Position last_position = 0;
      std::size_t written = 0;
      auto results = try_commit(batch, begin, end, last_position, written);
      const std::int64_t committed_ns = steady_ns();
      commits_.fetch_add(1);
      appends_.fetch_add(end - begin);
      std::vector<Completion> completions;
      completions.reserve(end - begin);
      for (std::size_t i = begin; i < end; ++i) {
        completions.push_back(Completion{std::move(batch[i].done), std::move(results[i - begin]),
                                         batch[i].submitted_ns, taken_ns, committed_ns, 0});
      }
      settle(std::move(completions), written > 0 ? last_position : 0, written > 0);
      return;
    } catch (const lmdb::LmdbError& e) {
      if (e.code() == MDB_MAP_FULL) {
        if (grow(error)) continue;
      } else if (e.code() == MDB_TXN_FULL && end - begin > 1) {
        const std::size_t middle = begin + (end - begin) / 2;
        commit_appends(batch, begin, middle, taken_ns);
        commit_appends(batch, middle, end, taken_ns);
        return;
      } else {
        error = env_.write_error(e);
      }
    } catch (const StoreException& e) {
      error = e.error();
    } catch (const std::bad_alloc&) {
      error = Error{ErrorCode::io_error, "out of memory"};
    }
    fail_all(batch, begin, end, error, taken_ns);
    return;
  }
}

std::vector<StoreResult<AppendResult>> GroupCommitter::try_commit(
    std::vector<PendingAppend>& batch, std::size_t begin, std::size_t end,
    Position& last_position, std::size_t& written) {
  std::vector<StoreResult<AppendResult>> results;
  results.reserve(end - begin);
  const Dbis& db = env_.dbis();
  lmdb::Txn txn = env_.begin_write();
  FileReserve::Writing writing(reserve_.get(), used_bytes_,
                               reserve_ ? growth_bound(batch, begin, end) : 0);
  // The transaction sees its own writes, so the reader below reflects the earlier appends of
  // this batch: expected revisions and duplicate command ids are checked in order.
  LogReader reader(txn, db);
  const Head head = reader.head();
  Position position = head.position;
  Hash prev = head.hash;
  const std::int64_t time_us = now_us();
  std::string value;
  std::string tail;  // the stream's incomplete index chunk (keys.hpp)

  for (std::size_t i = begin; i < end; ++i) {
    const AppendRequest& r = batch[i].request;
    if (auto prior = reader.command(r.command_id)) {
      prior->duplicate = true;
      results.emplace_back(*prior);
      continue;
    }
    const auto stream_head = reader.stream_head(r.stream, &tail);
    const Revision current = stream_head ? stream_head->revision : 0;
    if (!expected_holds(r.expected, current)) {
      results.emplace_back(fail(Error{ErrorCode::wrong_expected_revision,
                                      "stream is at revision " + std::to_string(current) +
                                          ", expected " + describe(r.expected),
                                      current}));
      continue;
    }
    if (!r.expected_last_command_id.empty()) {
      const auto last = stream_head ? reader.event_at(stream_head->position) : std::nullopt;
      if (!last || last->command_id != r.expected_last_command_id) {
        results.emplace_back(fail(Error{ErrorCode::wrong_expected_revision,
                                        "the stream's last event is not of command " +
                                            r.expected_last_command_id,
                                        current}));
        continue;
      }
    }

    AppendResult result;
    result.first_position = position + 1;
    result.first_revision = current + 1;
    Revision revision = current;
    for (const EventData& event : r.events) {
      ++position;
      ++revision;
      record::RecordFields fields{position,     r.stream, revision,     event.type,
                                  event.schema_version, time_us, r.actor, r.command_id,
                                  event.payload};
      value.clear();
      prev = record::append_record(value, fields, prev);
      const std::string key = keys::position_key(position);
      txn.put(db.events, key, value, MDB_APPEND);
      tail.append(key);
      if (revision % keys::chunk_revisions == 0) {
        txn.put(db.stream_chunks, keys::stream_revision_key(r.stream, keys::chunk_of(revision)),
                tail);
        tail.clear();
      }
    }
    result.last_position = position;
    result.last_revision = revision;
    txn.put(db.heads, r.stream, keys::encode_head({revision, position}, tail));
    if (!r.command_id.empty()) {
      txn.put(db.commands, r.command_id, keys::encode_append_result(result));
    }
    results.emplace_back(result);
    ++written;
  }
  txn.commit();
  writing.committed(used_bytes_);
  last_position = position;
  return results;
}

std::uint64_t GroupCommitter::growth_bound(const std::vector<PendingAppend>& batch,
                                           std::size_t begin, std::size_t end) const {
  // What the batch writes: its records, and per append the index entries (the stream's head
  // with its chunk tail, the command's result, a chunk of 32 positions).
  std::size_t events = 0;
  std::uint64_t bytes = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const AppendRequest& r = batch[i].request;
    events += r.events.size();
    bytes += 3 * r.stream.size() + 2 * r.command_id.size() + 64 * 8;
    for (const EventData& event : r.events) {
      bytes += record::fixed_bytes + r.stream.size() + r.actor.size() + r.command_id.size() +
               event.type.size() + event.payload.size();
    }
  }
  return FileReserve::growth_bound(end - begin, events, bytes, env_.page_size());
}

void GroupCommitter::run_write(PendingWrite& write) {
  for (;;) {
    Error error;
    try {
      lmdb::Txn txn = env_.begin_write();
      FileReserve::Writing writing(reserve_.get(), used_bytes_, FileReserve::unbounded);
      write.op(txn);
      txn.commit();
      writing.committed(used_bytes_);
      if (hold_until_synced_) {
        // Its meta page, and those of everything held, become durable with one more sync.
        auto synced = sync_file();
        if (!synced) {
          fail_held(synced.error());
          write.done(fail(synced.error()));
          return;
        }
        release_held();
      }
      write.done(Unit{});
      return;
    } catch (const lmdb::LmdbError& e) {
      if (e.code() == MDB_MAP_FULL && grow(error)) continue;
      if (e.code() != MDB_MAP_FULL) error = env_.write_error(e);
    } catch (const StoreException& e) {
      error = e.error();
    } catch (const std::bad_alloc&) {
      error = Error{ErrorCode::io_error, "out of memory"};
    }
    write.done(fail(error));
    return;
  }
}

}  // namespace rembuk::store
