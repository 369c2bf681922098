#include "overview_route.hpp"

#include <chrono>
#include <mutex>

#include <boost/json/serialize.hpp>

#include "rembuk/projections/national_overview.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::server {

namespace {

// How long the first request waits for the projection to catch up with the log.
constexpr std::chrono::seconds kCatchUp{30};

std::string error_body(std::string_view code, std::string_view message) {
  boost::json::object body{{"error", code}, {"message", message}};
  return boost::json::serialize(body);
}

class NationalOverviewRoute final : public Overview {
 public:
  explicit NationalOverviewRoute(store::EventLog& log) : log_(log) {}

  OverviewAnswer answer(const std::map<std::string, std::string>& parameters,
                        const Visible& visible) override {
    auto query = projections::parse_overview_query(parameters);
    if (!query) return {400, error_body("bad_request", query.error())};
    projections::NationalOverview* overview = started();
    if (overview == nullptr) {
      return {503, error_body("unavailable", "the log's head cannot be read")};
    }
    if (!overview->wait_for(caught_up_to_, kCatchUp)) {
      return {503, error_body("unavailable", "the overview is still catching up with the log")};
    }
    return {200, boost::json::serialize(overview->query(*query, visible))};
  }

 private:
  projections::NationalOverview* started() {
    std::lock_guard lock(mutex_);
    if (!overview_) {
      auto head = log_.head();
      if (!head) return nullptr;
      caught_up_to_ = head->position;
      overview_ = std::make_unique<projections::NationalOverview>(log_);
    }
    return overview_.get();
  }

  store::EventLog& log_;
  std::mutex mutex_;
  store::Position caught_up_to_ = 0;  // the head when the projection started
  std::unique_ptr<projections::NationalOverview> overview_;  // GUARDED_BY(mutex_) to create
};

}  // namespace

std::unique_ptr<Overview> make_overview(store::EventLog& log) {
  return std::make_unique<NationalOverviewRoute>(log);
}

}  // namespace rembuk::server
