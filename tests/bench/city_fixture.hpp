// The log the replay and national scenarios measure: many masterplans with realistic
// histories, built once in a folder and reused.
//
// Every masterplan's commands come from tests/projections/random_commands.hpp (commands that
// fit its state; --profile city keeps each masterplan the size of a real city's, unbounded
// is the older stress history whose entities grow without bound), are decided by the model
// and appended through the store with nosync and many appends in flight, so the writer
// commits large batches. Masterplan 0 gets a tenth of the events (the big "masterplan of
// 100,000 events" of a million-event log); the others share the rest. Commit times come from
// a synthetic clock (one second per commit) so time travel has a past. Snapshots are written
// as the states grow: every K versions, or where the engine writes them (at a multiple of K
// once the state has grown by its snapshot's size / 1024 versions since the last one).
//
// A marker file in the folder records how the log was built; a folder built differently is
// refused rather than measured under the wrong name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "rembuk/store/event_log.hpp"

namespace rembuk::bench {

struct CityFixtureSpec {
  std::uint64_t events = 1'000'000;
  int masterplans = 100;
  std::uint64_t every = 1000;         // K
  std::string profile = "city";       // or "unbounded"
  std::string snapshots = "every";    // "every": at each multiple of K; "engine": as the engine
  unsigned threads = 1;               // masterplans decided in parallel (not recorded)
};

// "kota-000", "kota-001", …: the id of the i-th masterplan of a fixture.
std::string fixture_masterplan_id(int index);

// The fixture's log in `folder`, opened nosync for reading (and for the builder).
std::unique_ptr<store::EventLog> open_fixture_log(const std::string& folder);

// Builds the fixture in `folder` when it holds no events, else checks that it was built
// with `spec` (exits with a message saying which option differs). Returns the seconds spent
// building, 0 when reused. `scenario` names the caller in messages.
double ensure_city_fixture(const std::string& scenario, const std::string& folder,
                           const CityFixtureSpec& spec);

}  // namespace rembuk::bench
