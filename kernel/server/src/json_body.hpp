// json_body: reads a capped JSON object from an HTTP request body, and its fields, each bad
// input with its own error (400 bad_json / missing_field / invalid_field, 413 body_too_large).
// A field's value never appears in an error message (it may be a password).
//
// Thread safety: a JsonBody is a plain value used by one request.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "http_reply.hpp"

namespace rembuk::server {

class JsonBody {
 public:
  // nullopt and `problem` set when the body is too large, not JSON, or not an object.
  static std::optional<JsonBody> parse(const http_reply::Request& req, std::size_t limit,
                                       std::optional<http_reply::Response>& problem);

  // A string field of `min`..`max` bytes; `required` false: nullopt when absent. On a bad
  // value `problem` is set and nullopt returned.
  std::optional<std::string> text(std::string_view key, std::size_t min, std::size_t max,
                                  bool required);
  const boost::json::object& object() const { return object_; }
  std::optional<http_reply::Response>& problem() { return problem_; }

 private:
  JsonBody(const http_reply::Request& req, boost::json::object object)
      : req_(&req), object_(std::move(object)) {}
  const http_reply::Request* req_;
  boost::json::object object_;
  std::optional<http_reply::Response> problem_;
};

}  // namespace rembuk::server
