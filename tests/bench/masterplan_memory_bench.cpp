// masterplan-memory: the heap one loaded masterplan holds, by part.
//
//   rembuk-bench masterplan-memory --data DIR [--first 1] [--count 3]
//
// DIR holds a fixture log (city_fixture.hpp; the national one, or any `replay --data` log);
// it is only read.
// Masterplans --first … --first + --count - 1 are loaded one after the other as the engine
// loads them (latest snapshot with its bookkeeping, then the events after it), and for each
// the heap it holds is measured: the allocator's allocated bytes after the load less before,
// then the bytes each part gives back when it is freed, one part after the other. So the
// parts sum to the whole, and a part's figure is what the allocator really spends on it
// (node headers, buckets, strings that do not fit inline, size-class rounding).
// Masterplan 0 of a fixture is the one with a tenth of the events; it is left out by default.
//
// Allocated bytes come from jemalloc (stats.allocated, after flushing this thread's cache)
// when rembuk-bench is linked with it, as rembuk serve is; otherwise from glibc's mallinfo2.
//
// Output: {"scenario":"masterplan-memory","masterplans":…,"allocator":…, per masterplan
//          averages in bytes: "heap_bytes" (the whole state), "content_bytes",
//          "subtree_changes_bytes", "structural_changes_bytes", "used_ids_bytes",
//          "undone_commands_bytes", "text_histories_bytes", "copy_bytes" (one more copy of the
//          state with its bookkeeping), "content_copy_us" (the median of 9 timed copies of the
//          content alone: what a reader's state() costs after each commit), entry counts
//          "subtree_changes", "structural_changes", "used_ids", "actors" (distinct actors in
//          the change index), "snapshot_bytes", and "fingerprint": an FNV-1a hash of the
//          snapshots encoded again from the loaded states (the same log gives the same
//          fingerprint whatever the state's layout in memory)}
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "city_fixture.hpp"
#include "rembuk/model/snapshot_codec.hpp"
#include "rembuk/projections/fold.hpp"
#include "scenarios.hpp"

// jemalloc's control interface, when rembuk-bench is linked with jemalloc (weak: absent with
// the C library's malloc).
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp,
                       std::size_t newlen) __attribute__((weak));

namespace rembuk::bench {
namespace {

struct MemoryArgs {
  std::string data;
  int first = 1;
  int count = 3;
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench masterplan-memory: %s\n", why.c_str());
  std::exit(1);
}

const char* allocator_name() { return mallctl != nullptr ? "jemalloc" : "glibc"; }

// Bytes the application holds from the allocator now.
std::uint64_t allocated_bytes() {
  if (mallctl != nullptr) {
    // Objects in this thread's cache count as allocated: hand them back first.
    mallctl("thread.tcache.flush", nullptr, nullptr, nullptr, 0);
    std::uint64_t epoch = 1;
    std::size_t length = sizeof(epoch);
    mallctl("epoch", &epoch, &length, &epoch, length);
    std::size_t allocated = 0;
    length = sizeof(allocated);
    if (mallctl("stats.allocated", &allocated, &length, nullptr, 0) != 0) {
      die("jemalloc has no stats.allocated");
    }
    return allocated;
  }
  struct mallinfo2 info = ::mallinfo2();
  return info.uordblks + info.hblkhd;
}

std::int64_t freed_by(auto&& free_part) {
  const auto before = allocated_bytes();
  free_part();
  return static_cast<std::int64_t>(before) - static_cast<std::int64_t>(allocated_bytes());
}

void fnv1a(std::uint64_t& hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
}

struct Parts {
  std::int64_t heap = 0, content = 0, subtree = 0, structural = 0, used_ids = 0, undone = 0,
               text = 0, copy = 0;
  double content_copy_us = 0;
  std::uint64_t subtree_entries = 0, structural_entries = 0, used_id_entries = 0, actors = 0,
                snapshot_bytes = 0;

  Parts& operator+=(const Parts& o) {
    heap += o.heap, content += o.content, subtree += o.subtree, structural += o.structural;
    used_ids += o.used_ids, undone += o.undone, text += o.text, copy += o.copy;
    content_copy_us += o.content_copy_us;
    subtree_entries += o.subtree_entries, structural_entries += o.structural_entries;
    used_id_entries += o.used_id_entries, actors += o.actors;
    snapshot_bytes += o.snapshot_bytes;
    return *this;
  }
};

// Loads masterplan `id` as the engine does (masterplan_loader.cpp): the latest snapshot with
// its bookkeeping, then the events after it.
model::MasterplanState load(store::EventLog& log, const std::string& id,
                            std::uint64_t& snapshot_bytes) {
  model::MasterplanState state;
  {
    auto snapshot = log.get_snapshot(id, UINT64_MAX);
    if (!snapshot) die("get_snapshot: " + snapshot.error().message);
    if (snapshot.value()) {
      snapshot_bytes = snapshot.value()->bytes.size();
      auto restored =
          model::decode_state_snapshot(snapshot.value()->bytes, model::Bookkeeping::include);
      if (!restored) die("snapshot of " + id + ": " + restored.error());
      state = std::move(restored.value());
    }
  }
  state.id = id;
  if (auto folded = projections::fold_stream(log, state); !folded) {
    die("fold " + id + ": " + folded.error().message);
  }
  return state;
}

void measure(store::EventLog& log, const std::string& id, Parts& sum, std::uint64_t& fingerprint) {
  Parts parts;
  const auto before = allocated_bytes();
  auto state = std::make_unique<model::MasterplanState>(load(log, id, parts.snapshot_bytes));
  parts.heap = static_cast<std::int64_t>(allocated_bytes()) - static_cast<std::int64_t>(before);
  if (state->version == 0) die(id + " has no events");

  fnv1a(fingerprint, model::encode_state_snapshot(*state));
  parts.subtree_entries = state->subtree_changes.size();
  parts.structural_entries = state->structural_changes.size();
  parts.used_id_entries = state->used_ids.size();
  std::set<std::string, std::less<>> actors;
  for (const auto& [key, change] : state->subtree_changes.in_key_order()) {
    actors.emplace(change.actor);
  }
  parts.actors = actors.size();

  {
    const auto at = allocated_bytes();
    auto copy = std::make_unique<model::MasterplanState>(*state);
    parts.copy = static_cast<std::int64_t>(allocated_bytes()) - static_cast<std::int64_t>(at);
  }
  {
    std::vector<double> times;
    for (int i = 0; i < 9; ++i) {
      const auto started = std::chrono::steady_clock::now();
      auto content = std::make_unique<model::MasterplanState>();
      static_cast<model::MasterplanContent&>(*content) = *state;
      times.push_back(std::chrono::duration<double, std::micro>(
                          std::chrono::steady_clock::now() - started).count());
    }
    std::sort(times.begin(), times.end());
    parts.content_copy_us = times[times.size() / 2];
  }
  parts.subtree = freed_by([&] { auto gone = std::move(state->subtree_changes); });
  parts.structural = freed_by([&] { auto gone = std::move(state->structural_changes); });
  parts.used_ids = freed_by([&] { auto gone = std::move(state->used_ids); });
  parts.undone = freed_by([&] { auto gone = std::move(state->undone_commands); });
  parts.text = freed_by([&] { auto gone = std::move(state->text_histories); });
  parts.content = freed_by([&] { state.reset(); });

  sum += parts;
}

void run(const MemoryArgs& args) {
  if (args.count <= 0) die("--count must be positive");
  // Opening a folder without a log would create an empty one there: refuse instead.
  if (!std::filesystem::exists(std::filesystem::path(args.data) / "data.mdb")) {
    die("no log in " + args.data + " (build one with `rembuk-bench replay --data DIR`)");
  }
  auto log = open_fixture_log(args.data);
  Parts sum;
  std::uint64_t fingerprint = 14695981039346656037ULL;
  for (int i = args.first; i < args.first + args.count; ++i) {
    measure(*log, fixture_masterplan_id(i), sum, fingerprint);
  }
  const auto n = static_cast<std::int64_t>(args.count);
  const auto avg = [n](auto total) { return static_cast<long long>(total) / n; };
  std::printf(
      "{\"scenario\":\"masterplan-memory\",\"masterplans\":%d,\"first\":%d,\"allocator\":\"%s\","
      "\"heap_bytes\":%lld,\"content_bytes\":%lld,\"subtree_changes_bytes\":%lld,"
      "\"structural_changes_bytes\":%lld,\"used_ids_bytes\":%lld,\"undone_commands_bytes\":%lld,"
      "\"text_histories_bytes\":%lld,\"copy_bytes\":%lld,\"content_copy_us\":%.0f,"
      "\"subtree_changes\":%lld,"
      "\"structural_changes\":%lld,\"used_ids\":%lld,\"actors\":%lld,\"snapshot_bytes\":%lld,"
      "\"fingerprint\":\"%016llx\"}\n",
      args.count, args.first, allocator_name(), avg(sum.heap), avg(sum.content),
      avg(sum.subtree), avg(sum.structural), avg(sum.used_ids), avg(sum.undone), avg(sum.text),
      avg(sum.copy), sum.content_copy_us / static_cast<double>(n), avg(sum.subtree_entries),
      avg(sum.structural_entries),
      avg(sum.used_id_entries), avg(sum.actors), avg(sum.snapshot_bytes),
      static_cast<unsigned long long>(fingerprint));
}

}  // namespace

void add_masterplan_memory_scenario(CLI::App& app) {
  auto* command = app.add_subcommand(
      "masterplan-memory", "Heap held by one loaded masterplan, by part (content, bookkeeping)");
  auto args = std::make_shared<MemoryArgs>();
  command->add_option("--data", args->data, "Folder of a fixture log (city_fixture.hpp)")
      ->required();
  command->add_option("--first", args->first, "Index of the first masterplan measured")
      ->default_val(1);
  command->add_option("--count", args->count, "Masterplans measured (averages are reported)")
      ->default_val(3);
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
