// NationalOverview: one row per masterplan, across every masterplan of the log, for the
// ministry's national page (GET /api/overview, docs/projections.md "National overview").
//
// Kept current by a subscription to the log, not by a scan per request. At construction a
// thread of its own loads every masterplan's content from its latest snapshot and the events
// after it (what a cold `GET /api/masterplans/{id}` reads), which is far less than the log
// on a node with years of history, makes its row and lets the content go; then it follows
// the log from the head it started at. Each committed batch folds into the content-only
// state of the streams it touches and recomputes only their rows. A masterplan's content is
// held while it changes: the first event after it was let go loads it again, at the version
// its row shows, and it is let go once no event has come for `keep_content_for`. So the
// memory follows the masterplans in use, not every masterplan of the country (a city's
// content is about 1.3 MB). Readers get an immutable snapshot of the rows (`rows()`),
// published after each batch, so a query never waits for the fold.
//
// Thread safety: every public member may be called from any thread. The fold runs on the
// log's subscription thread; rows() is a lock-free-for-readers pointer swap under a mutex.
// Lifetime: `log` must outlive the NationalOverview (the destructor cancels the
// subscription before anything else goes).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

#include "rembuk/common/result.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::projections {

struct OverviewRow {
  std::string masterplan;   // stream name
  std::string city;
  std::string region_code;  // BPS/Kemendagri, e.g. "13.71"
  std::string province;     // from the region code's first two digits, e.g. "Sumatera Barat"
  int cohort_year = 0;      // the MoU's year; 0 when no MoU is recorded
  std::string status;       // draft, submitted, under_review, approved
  int current_stage = 1;    // first Bimtek stage not closed, 1..4; 5 = all closed
  double checklist_done = 0;  // share of the four stages' outputs done, 0..1
  std::map<std::string, int> programs_per_dimension;  // dimension/pillar id → programs
  int programs = 0;
  int quick_wins = 0;
  model::Rupiah budget_total = 0;
  std::int64_t last_activity_us = 0;  // commit time of the masterplan's last event
  model::Version version = 0;
};

// The province of a BPS region code ("13.71" → "Sumatera Barat"); empty when unknown.
std::string_view province_of(std::string_view region_code);

// What GET /api/overview accepts (all optional):
//   sort=city|regionCode|province|cohortYear|status|currentStage|checklistDone|programs|
//        quickWins|budgetTotal|lastActivity   (default city)
//   order=asc|desc, province=<exact name>, cohortYear=<year>, status=<status>,
//   currentStage=<1..5>, q=<case-insensitive substring of city or masterplan id>.
struct OverviewQuery {
  std::string sort = "city";
  bool descending = false;
  std::string province;
  std::optional<int> cohort_year;
  std::string status;
  std::optional<int> current_stage;
  std::string q;
};

// Errors name the parameter and what it accepts.
Result<OverviewQuery, std::string> parse_overview_query(
    const std::map<std::string, std::string>& parameters);

boost::json::object to_json(const OverviewRow& row);

struct OverviewOptions {
  // How long a masterplan's content is held after its last event (see above); its next event
  // after that loads it again (tens of milliseconds for a city, on the fold's thread).
  // 0: let go after every batch.
  std::chrono::milliseconds keep_content_for{std::chrono::minutes(10)};
};

class NationalOverview {
 public:
  using Rows = std::vector<std::shared_ptr<const OverviewRow>>;

  // Starts the load described above. REQUIRES: `log` outlives this object.
  explicit NationalOverview(store::EventLog& log, OverviewOptions options = {});
  ~NationalOverview();
  NationalOverview(const NationalOverview&) = delete;
  NationalOverview& operator=(const NationalOverview&) = delete;

  // The rows as of the last folded batch, ordered by masterplan id. Never null.
  std::shared_ptr<const Rows> rows() const;

  // The log position folded so far.
  store::Position position() const;

  // Waits until position() >= `position` or `timeout` passes; returns whether it got there.
  bool wait_for(store::Position position, std::chrono::milliseconds timeout) const;

  // The first corrupt record met, if any (the fold skips it and goes on).
  std::string error() const;

  // How many masterplans' contents are held now (see above).
  std::size_t contents_held() const;

  // {"masterplans":[row…], "count", "total", "position"} over the masterplans `visible`
  // accepts (empty: all): the rows a caller may read. `count` is the rows that pass the
  // query's filters, `total` the visible rows, so a caller learns nothing of the others.
  using Visible = std::function<bool(std::string_view masterplan)>;
  boost::json::object query(const OverviewQuery& query, const Visible& visible = {}) const;

 private:
  using Clock = std::chrono::steady_clock;

  // One masterplan as the fold knows it.
  struct Followed {
    model::Version version = 0;         // folded into its row
    std::int64_t last_activity_us = 0;  // commit time of its last event
    std::unique_ptr<model::MasterplanState> content;  // at `version`, while it changes
    Clock::time_point last_event;       // when the fold last met one of its events
  };

  void load_then_follow();
  void on_batch(const std::vector<store::RecordedEvent>& batch);
  // The content to fold `event` onto: held, or loaded at the version the row shows. Null
  // when the log cannot give it (`error` says why).
  model::MasterplanState* content_for(const std::string& stream, Followed& followed,
                                      std::string& error);
  // Lets go of the contents no event has come for within keep_content_for.
  void let_go_of_idle(Clock::time_point now);

  store::EventLog& log_;
  const OverviewOptions options_;

  // Fold state: touched by the loader, then only on the subscription thread.
  std::map<std::string, Followed, std::less<>> followed_;
  std::atomic<std::size_t> contents_held_{0};
  Clock::time_point last_let_go_;
  bool fold_thread_yields_ = false;  // its nice value raised (see the .cpp)

  mutable std::mutex mutex_;
  mutable std::condition_variable folded_;
  std::map<std::string, std::shared_ptr<const OverviewRow>, std::less<>> by_id_;  // GUARDED_BY
  // The rows of by_id_ in order, made by the first rows() after a batch changed one: a batch
  // (one commit) changes a row or two, and remaking the list of every masterplan for each
  // was a tenth of a national node's CPU, for a page read far less often. GUARDED_BY(mutex_).
  mutable std::shared_ptr<const Rows> rows_;
  store::Position position_ = 0;       // GUARDED_BY(mutex_)
  std::string error_;                  // GUARDED_BY(mutex_)

  std::unique_ptr<store::Subscription> subscription_;  // GUARDED_BY(mutex_) to set
  std::atomic<bool> stopping_{false};
  std::thread loader_;  // last: started once the members above exist
};

}  // namespace rembuk::projections
