// NationalOverview: one row per masterplan, across every masterplan of the log, for the
// ministry's national page (GET /api/overview, docs/projections.md "National overview").
//
// Kept current by a subscription to the log, not by a scan per request. At construction a
// thread of its own loads every masterplan's content from its latest snapshot and the events
// after it (what a cold `GET /api/masterplans/{id}` reads), which is far less than the log
// on a node with years of history; then it follows the log from the head it started at.
// Each committed batch folds into the content-only state of the streams it touches and
// recomputes only their rows. Readers get an immutable snapshot of
// the rows (`rows()`), published after each batch, so a query never waits for the fold.
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

class NationalOverview {
 public:
  using Rows = std::vector<std::shared_ptr<const OverviewRow>>;

  // Starts the load described above. REQUIRES: `log` outlives this object.
  explicit NationalOverview(store::EventLog& log);
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

  // {"masterplans":[row…], "count", "total", "position"} over the masterplans `visible`
  // accepts (empty: all): the rows a caller may read. `count` is the rows that pass the
  // query's filters, `total` the visible rows, so a caller learns nothing of the others.
  using Visible = std::function<bool(std::string_view masterplan)>;
  boost::json::object query(const OverviewQuery& query, const Visible& visible = {}) const;

 private:
  void load_then_follow(store::EventLog& log);
  void on_batch(const std::vector<store::RecordedEvent>& batch);

  // Fold state: touched by the loader, then only on the subscription thread.
  std::map<std::string, model::MasterplanState, std::less<>> states_;
  std::map<std::string, std::int64_t, std::less<>> last_activity_;

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
