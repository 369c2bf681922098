#include "json_body.hpp"

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace rembuk::server {

namespace http = boost::beast::http;
namespace json = boost::json;

std::optional<JsonBody> JsonBody::parse(const http_reply::Request& req, std::size_t limit,
                                        std::optional<http_reply::Response>& problem) {
  if (req.body().size() > limit) {
    problem = http_reply::error(req, http::status::payload_too_large, "body_too_large",
                                "the body is larger than " + std::to_string(limit) + " bytes");
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 8;
  json::value value = json::parse(req.body(), ec, {}, options);
  if (ec) {
    problem = http_reply::error(req, http::status::bad_request, "bad_json",
                                "the body is not JSON (" + ec.message() + ")");
    return std::nullopt;
  }
  if (!value.is_object()) {
    problem = http_reply::error(req, http::status::bad_request, "bad_json",
                                "the body must be a JSON object");
    return std::nullopt;
  }
  return JsonBody(req, std::move(value.as_object()));
}

std::optional<std::string> JsonBody::text(std::string_view key, std::size_t min, std::size_t max,
                                          bool required) {
  const auto* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) {
      problem_ = http_reply::error(*req_, http::status::bad_request, "missing_field",
                                   std::string(key) + " is required");
    }
    return std::nullopt;
  }
  if (!v->is_string()) {
    problem_ = http_reply::error(*req_, http::status::bad_request, "invalid_field",
                                 std::string(key) + " must be a string");
    return std::nullopt;
  }
  const auto& s = v->as_string();
  if (s.size() < min || s.size() > max) {
    problem_ = http_reply::error(*req_, http::status::bad_request, "invalid_field",
                                 std::string(key) + " must be " + std::to_string(min) + ".." +
                                     std::to_string(max) + " bytes long");
    return std::nullopt;
  }
  return std::string(s);
}

}  // namespace rembuk::server
