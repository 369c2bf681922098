#include "projection_views.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "rembuk/projections/views.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::server {
namespace {

class ProjectionViews final : public ViewSource {
 public:
  ProjectionViews(store::EventLog& log, const model::Extensions* extensions)
      : log_(log), extensions_(extensions) {}

  std::optional<ViewResponse> view(const ViewRequest& request) override {
    const std::string& name = request.view;
    if (!projections::view_from_string(name)) return std::nullopt;
    projections::ViewRequest vr;
    vr.at = request.at;
    vr.at_time_us = request.at_time_us;
    vr.context.extensions = extensions_;
    if (auto it = request.query.find("entity"); it != request.query.end()) {
      vr.filter.entity = it->second;
    }
    if (auto it = request.query.find("actor"); it != request.query.end()) {
      vr.filter.actor = it->second;
    }
    if (auto it = request.query.find("limit"); it != request.query.end()) {
      std::size_t limit = 0;
      const auto& text = it->second;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
      if (ec != std::errc{} || ptr != text.data() + text.size()) {
        return error(400, "bad_request", "limit must be a whole number");
      }
      vr.filter.limit = limit;
    }
    auto rendered = projections::render_view(log_, request.masterplan, name, vr);
    if (!rendered) {
      const auto& e = rendered.error();
      switch (e.code) {
        case projections::ErrorCode::not_found: return error(404, "not_found", e.message);
        case projections::ErrorCode::invalid_argument: return error(400, "bad_request", e.message);
        default: return error(500, "internal", e.message);
      }
    }
    boost::json::object body;
    body["masterplan"] = request.masterplan;
    body["view"] = request.view;
    body["data"] = std::move(rendered.value());
    return ViewResponse{200, boost::json::serialize(body)};
  }

 private:
  static ViewResponse error(unsigned status, std::string_view code, std::string_view message) {
    boost::json::object body{{"error", code}, {"message", message}};
    return ViewResponse{status, boost::json::serialize(body)};
  }

  store::EventLog& log_;
  const model::Extensions* extensions_;
};

}  // namespace

std::unique_ptr<ViewSource> make_projection_views(store::EventLog& log,
                                                  const model::Extensions* extensions) {
  return std::make_unique<ProjectionViews>(log, extensions);
}

}  // namespace rembuk::server
