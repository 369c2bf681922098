// The national overview projection; see national_overview.hpp.
#include "rembuk/projections/national_overview.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "rembuk/model/apply.hpp"
#include "rembuk/model/bimtek.hpp"
#include "rembuk/projections/fold.hpp"
#include "rembuk/projections/time_travel.hpp"

namespace rembuk::projections {

namespace json = boost::json;

namespace {

// BPS province codes (the first two digits of a kota/kabupaten code).
struct Province {
  std::string_view code;
  std::string_view name;
};
constexpr Province kProvinces[] = {
    {"11", "Aceh"},
    {"12", "Sumatera Utara"},
    {"13", "Sumatera Barat"},
    {"14", "Riau"},
    {"15", "Jambi"},
    {"16", "Sumatera Selatan"},
    {"17", "Bengkulu"},
    {"18", "Lampung"},
    {"19", "Kepulauan Bangka Belitung"},
    {"21", "Kepulauan Riau"},
    {"31", "DKI Jakarta"},
    {"32", "Jawa Barat"},
    {"33", "Jawa Tengah"},
    {"34", "DI Yogyakarta"},
    {"35", "Jawa Timur"},
    {"36", "Banten"},
    {"51", "Bali"},
    {"52", "Nusa Tenggara Barat"},
    {"53", "Nusa Tenggara Timur"},
    {"61", "Kalimantan Barat"},
    {"62", "Kalimantan Tengah"},
    {"63", "Kalimantan Selatan"},
    {"64", "Kalimantan Timur"},
    {"65", "Kalimantan Utara"},
    {"71", "Sulawesi Utara"},
    {"72", "Sulawesi Tengah"},
    {"73", "Sulawesi Selatan"},
    {"74", "Sulawesi Tenggara"},
    {"75", "Gorontalo"},
    {"76", "Sulawesi Barat"},
    {"81", "Maluku"},
    {"82", "Maluku Utara"},
    {"91", "Papua Barat"},
    {"92", "Papua Barat Daya"},
    {"94", "Papua"},
    {"95", "Papua Selatan"},
    {"96", "Papua Tengah"},
    {"97", "Papua Pegunungan"},
};

std::shared_ptr<const OverviewRow> make_row(const model::MasterplanState& s,
                                            std::int64_t last_activity_us) {
  auto row = std::make_shared<OverviewRow>();
  row->masterplan = s.id;
  row->city = s.city_name;
  row->region_code = s.region_code;
  row->province = std::string(province_of(s.region_code));
  row->cohort_year = s.mou ? s.mou->cohort_year() : 0;
  row->status = model::to_string(s.status);
  row->current_stage = model::current_stage(s);
  row->checklist_done = model::checklist_share(s);
  for (const auto& [id, program] : s.programs) {
    ++row->programs_per_dimension[program.dimension];
    ++row->programs;
    if (program.quick_win) ++row->quick_wins;
    for (const auto& [key, amount] : program.budget) row->budget_total += amount;
  }
  row->last_activity_us = last_activity_us;
  row->version = s.version;
  return row;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<int> to_int(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

constexpr std::string_view kSorts[] = {"city",        "regionCode",   "province",
                                       "cohortYear",  "status",       "currentStage",
                                       "checklistDone", "programs",   "quickWins",
                                       "budgetTotal", "lastActivity"};

// -1, 0, 1 comparing two rows on the sort key.
int compare(const OverviewRow& a, const OverviewRow& b, std::string_view sort) {
  auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (sort == "regionCode") return cmp(a.region_code, b.region_code);
  if (sort == "province") return cmp(a.province, b.province);
  if (sort == "cohortYear") return cmp(a.cohort_year, b.cohort_year);
  if (sort == "status") return cmp(a.status, b.status);
  if (sort == "currentStage") return cmp(a.current_stage, b.current_stage);
  if (sort == "checklistDone") return cmp(a.checklist_done, b.checklist_done);
  if (sort == "programs") return cmp(a.programs, b.programs);
  if (sort == "quickWins") return cmp(a.quick_wins, b.quick_wins);
  if (sort == "budgetTotal") return cmp(a.budget_total, b.budget_total);
  if (sort == "lastActivity") return cmp(a.last_activity_us, b.last_activity_us);
  return cmp(a.city, b.city);
}

}  // namespace

std::string_view province_of(std::string_view region_code) {
  if (region_code.size() < 2) return {};
  for (const auto& province : kProvinces) {
    if (province.code == region_code.substr(0, 2)) return province.name;
  }
  return {};
}

Result<OverviewQuery, std::string> parse_overview_query(
    const std::map<std::string, std::string>& parameters) {
  OverviewQuery query;
  for (const auto& [key, value] : parameters) {
    if (key == "sort") {
      if (std::find(std::begin(kSorts), std::end(kSorts), value) == std::end(kSorts)) {
        return fail(std::string(
            "sort: one of city, regionCode, province, cohortYear, status, currentStage, "
            "checklistDone, programs, quickWins, budgetTotal, lastActivity"));
      }
      query.sort = value;
    } else if (key == "order") {
      if (value != "asc" && value != "desc") return fail(std::string("order: asc or desc"));
      query.descending = value == "desc";
    } else if (key == "province") {
      query.province = value;
    } else if (key == "cohortYear") {
      query.cohort_year = to_int(value);
      if (!query.cohort_year) return fail(std::string("cohortYear: a year, e.g. 2022"));
    } else if (key == "status") {
      if (!model::status_from_string(value)) {
        return fail(std::string("status: draft, submitted, under_review or approved"));
      }
      query.status = value;
    } else if (key == "currentStage") {
      query.current_stage = to_int(value);
      if (!query.current_stage || *query.current_stage < 1 || *query.current_stage > 5) {
        return fail(std::string("currentStage: 1..4, or 5 for all stages closed"));
      }
    } else if (key == "q") {
      query.q = lower(value);
    }
    // Other parameters (e.g. a cache buster) are ignored.
  }
  return query;
}

json::object to_json(const OverviewRow& row) {
  json::object dimensions;
  for (const auto& [dimension, count] : row.programs_per_dimension) dimensions[dimension] = count;
  return json::object{{"masterplan", row.masterplan},
                      {"city", row.city},
                      {"regionCode", row.region_code},
                      {"province", row.province},
                      {"cohortYear", row.cohort_year == 0 ? json::value(nullptr)
                                                          : json::value(row.cohort_year)},
                      {"status", row.status},
                      {"currentStage", row.current_stage},
                      {"checklistDone", row.checklist_done},
                      {"programsPerDimension", std::move(dimensions)},
                      {"programs", row.programs},
                      {"quickWins", row.quick_wins},
                      {"budgetTotal", row.budget_total},
                      {"lastActivityUs", row.last_activity_us},
                      {"version", row.version}};
}

NationalOverview::NationalOverview(store::EventLog& log, OverviewOptions options)
    : log_(log), options_(options) {
  loader_ = std::thread([this] { load_then_follow(); });
}

NationalOverview::~NationalOverview() {
  stopping_ = true;
  if (loader_.joinable()) loader_.join();
  if (subscription_) subscription_->cancel();
}

namespace {

// The overview is a read model for a page the ministry opens now and then; its load and its
// fold (with the loads a masterplan's first event after a while makes, 16 ms each for a city)
// give way to the threads that answer people. Raising a thread's nice value needs no
// privilege; each thread here is the overview's alone (its loader, its subscription's).
void yield_to_the_server() { ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10); }

}  // namespace

void NationalOverview::load_then_follow() {
  yield_to_the_server();
  store::EventLog& log = log_;
  auto head = log.head();
  auto streams = log.streams();
  if (!head || !streams) {
    // Without them, fold the whole log instead.
    std::lock_guard lock(mutex_);
    error_ = head ? streams.error().message : head.error().message;
  }
  const store::Position start = head && streams ? head->position : 0;
  if (start != 0) {
    std::string first_error;
    std::map<std::string, std::shared_ptr<const OverviewRow>, std::less<>> by_id;
    for (const auto& info : *streams) {
      if (stopping_) return;
      if (store::is_system_stream(info.stream)) continue;
      auto state = current_state(log, info.stream, model::Bookkeeping::omit);
      auto last = log.read_stream_backward(info.stream, 0, 1);
      if (!state || !last || last->empty()) {
        if (first_error.empty()) {
          first_error = info.stream + ": " +
                        (!state ? state.error().message : std::string("its last event is unreadable"));
        }
        continue;  // the subscription cannot bring it back: its events are behind `start`
      }
      if (state->exists) by_id[info.stream] = make_row(*state, last->front().time_us);
      // The content goes: most masterplans of a country are not being edited at any moment.
      Followed& followed = followed_[info.stream];
      followed.version = state->version;
      followed.last_activity_us = last->front().time_us;
    }
    {
      std::lock_guard lock(mutex_);
      by_id_ = std::move(by_id);
      rows_.reset();
      position_ = start;
      if (error_.empty()) error_ = first_error;
    }
    folded_.notify_all();
  }
  if (stopping_) return;
  // Created here, so the fold thread starts after the states above are in place.
  auto subscription = log.subscribe(start, [this](const std::vector<store::RecordedEvent>& batch) {
    on_batch(batch);
  });
  std::lock_guard lock(mutex_);
  subscription_ = std::move(subscription);
}

model::MasterplanState* NationalOverview::content_for(const std::string& stream,
                                                      Followed& followed, std::string& error) {
  if (followed.content) return followed.content.get();
  if (followed.version == 0) {
    followed.content = std::make_unique<model::MasterplanState>(empty_state(stream));
  } else {
    auto loaded = state_at(log_, stream, followed.version, model::Bookkeeping::omit);
    if (!loaded) {
      error = stream + ": " + loaded.error().message;
      return nullptr;
    }
    followed.content = std::make_unique<model::MasterplanState>(std::move(*loaded));
  }
  contents_held_.fetch_add(1, std::memory_order_relaxed);
  return followed.content.get();
}

void NationalOverview::let_go_of_idle(Clock::time_point now) {
  for (auto& [stream, followed] : followed_) {
    if (followed.content && now - followed.last_event >= options_.keep_content_for) {
      followed.content.reset();
      contents_held_.fetch_sub(1, std::memory_order_relaxed);
    }
  }
  last_let_go_ = now;
}

void NationalOverview::on_batch(const std::vector<store::RecordedEvent>& batch) {
  if (!fold_thread_yields_) {
    yield_to_the_server();
    fold_thread_yields_ = true;
  }
  const auto now = Clock::now();
  std::map<std::string, bool, std::less<>> touched;
  std::string first_error;
  for (const auto& event : batch) {
    if (store::is_system_stream(event.stream)) continue;
    Followed& followed = followed_[event.stream];
    followed.last_event = now;
    if (event.revision <= followed.version) {
      // Already in the state loaded at start (committed while it was loaded).
      followed.last_activity_us = std::max(followed.last_activity_us, event.time_us);
      continue;
    }
    if (event.revision != followed.version + 1) {
      if (first_error.empty()) first_error = event.stream + ": revision gap";
      continue;
    }
    std::string error;
    model::MasterplanState* state = content_for(event.stream, followed, error);
    if (state == nullptr) {
      if (first_error.empty()) first_error = error;
      followed.version = event.revision;  // its row stays as it was; the next load catches up
      continue;
    }
    auto record = to_event_record(event);
    if (!record) {
      if (first_error.empty()) first_error = record.error().message;
      state->version = event.revision;  // skip it, keep folding the rest
    } else {
      model::apply_in_place(*state, *record, model::Bookkeeping::omit);
      followed.last_activity_us = event.time_us;
      touched[event.stream] = true;
    }
    followed.version = state->version;
  }
  std::vector<std::pair<std::string_view, std::shared_ptr<const OverviewRow>>> changed;
  for (const auto& [stream, unused] : touched) {
    const Followed& followed = followed_.find(stream)->second;
    if (!followed.content || !followed.content->exists) continue;
    changed.emplace_back(stream, make_row(*followed.content, followed.last_activity_us));
  }
  {
    std::lock_guard lock(mutex_);
    for (auto& [stream, row] : changed) {
      auto it = by_id_.find(stream);
      if (it == by_id_.end()) it = by_id_.emplace(std::string(stream), nullptr).first;
      it->second = std::move(row);
    }
    if (!changed.empty()) rows_.reset();
    if (!batch.empty()) position_ = std::max(position_, batch.back().position);
    if (error_.empty()) error_ = first_error;
  }
  // After the rows: they were made from the contents this lets go of. Checked at most a
  // few times per keep_content_for, not per batch.
  if (options_.keep_content_for.count() == 0 || now - last_let_go_ >= options_.keep_content_for / 4) {
    let_go_of_idle(now);
  }
  folded_.notify_all();
}

std::shared_ptr<const NationalOverview::Rows> NationalOverview::rows() const {
  std::lock_guard lock(mutex_);
  if (!rows_) {
    auto rows = std::make_shared<Rows>();
    rows->reserve(by_id_.size());
    for (const auto& [id, row] : by_id_) rows->push_back(row);
    rows_ = std::move(rows);
  }
  return rows_;
}

store::Position NationalOverview::position() const {
  std::lock_guard lock(mutex_);
  return position_;
}

bool NationalOverview::wait_for(store::Position position,
                                std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return folded_.wait_for(lock, timeout, [&] { return position_ >= position; });
}

std::string NationalOverview::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

std::size_t NationalOverview::contents_held() const {
  return contents_held_.load(std::memory_order_relaxed);
}

json::object NationalOverview::query(const OverviewQuery& query, const Visible& visible) const {
  const auto snapshot = rows();
  const store::Position at = position();
  std::vector<const OverviewRow*> selected;
  selected.reserve(snapshot->size());
  std::size_t total = 0;
  for (const auto& row : *snapshot) {
    if (visible && !visible(row->masterplan)) continue;
    ++total;
    if (!query.province.empty() && row->province != query.province) continue;
    if (query.cohort_year && row->cohort_year != *query.cohort_year) continue;
    if (!query.status.empty() && row->status != query.status) continue;
    if (query.current_stage && row->current_stage != *query.current_stage) continue;
    if (!query.q.empty() && lower(row->city).find(query.q) == std::string::npos &&
        lower(row->masterplan).find(query.q) == std::string::npos) {
      continue;
    }
    selected.push_back(row.get());
  }
  std::stable_sort(selected.begin(), selected.end(), [&](const OverviewRow* a, const OverviewRow* b) {
    int c = compare(*a, *b, query.sort);
    if (c == 0) return a->masterplan < b->masterplan;  // a total order: stable pages
    return query.descending ? c > 0 : c < 0;
  });
  json::array list;
  list.reserve(selected.size());
  for (const auto* row : selected) list.push_back(to_json(*row));
  return json::object{{"masterplans", std::move(list)},
                      {"count", selected.size()},
                      {"total", total},
                      {"position", at}};
}

}  // namespace rembuk::projections
