#include "http_routes.hpp"

#include <charconv>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "access.hpp"
#include "bearer.hpp"
#include "auth_routes.hpp"
#include "export_route.hpp"
#include "invitation_routes.hpp"
#include "hub.hpp"
#include "protocol.hpp"
#include "rembuk/server/token.hpp"

namespace rembuk::server::http_routes {

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

#ifndef REMBUK_SERVER_VERSION
#define REMBUK_SERVER_VERSION "0.0.0"
#endif

using http_reply::error;
using http_reply::make;
using http_reply::Request;
using http_reply::Response;
using http_reply::url_decode;

const char* const kViews[] = {"document", "roadmap",  "opds",   "budget",
                              "coverage", "activity", "history"};

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = url_decode(pair.substr(0, eq), true);
    auto value = url_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (key && value) out[*key] = *value;
  }
  return out;
}

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  std::uint64_t n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

std::string_view mime_type(std::string_view path) {
  const auto dot = path.rfind('.');
  const auto ext = dot == std::string_view::npos ? std::string_view{} : path.substr(dot);
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/vnd.microsoft.icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".wasm") return "application/wasm";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

Response static_file(Hub& hub, const Request& req, std::string_view path) {
  const auto& root = hub.options().static_dir;
  if (root.empty()) return error(req, http::status::not_found, "not_found", "no such resource");
  auto decoded = url_decode(path, false);
  if (!decoded || decoded->find('\0') != std::string::npos) {
    return error(req, http::status::bad_request, "bad_request", "bad path");
  }
  // Refuse any dot-dot segment.
  std::string_view p = *decoded;
  std::size_t start = 0;
  while (start <= p.size()) {
    const auto end = p.find('/', start);
    const auto segment = p.substr(start, end == std::string_view::npos ? p.npos : end - start);
    if (segment == "..") return error(req, http::status::bad_request, "bad_request", "bad path");
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  std::string relative = *decoded;
  if (relative.empty() || relative.back() == '/') relative += "index.html";
  const std::filesystem::path file = std::filesystem::path(root) / relative.substr(1);
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(file, ec)) {
    return error(req, http::status::not_found, "not_found", "no such file");
  }
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto res = make(req, http::status::ok, std::move(body), mime_type(relative));
  res.set(http::field::cache_control, "no-cache");
  return res;
}

Response api(Hub& hub, const Request& req, std::string_view path,
             const std::map<std::string, std::string>& query) {
  auto claims = bearer_claims(hub, req);
  if (!claims) return unauthorized(req);
  if (path == "/api/overview") {  // the national page (overview_route.hpp)
    // Who sees a row is who may read that masterplan: a member, the ministry, an admin, or a
    // service token whose claim names it; the same rule as every other read.
    auto answer = hub.overview().answer(
        query, [&](std::string_view masterplan) { return may_access(hub, *claims, masterplan); });
    return make(req, static_cast<http::status>(answer.status), std::move(answer.body));
  }
  constexpr std::string_view kPrefix = "/api/masterplans";
  if (path.substr(0, kPrefix.size()) != kPrefix) {
    return error(req, http::status::not_found, "not_found", "no such resource");
  }
  std::string_view rest = path.substr(kPrefix.size());
  if (rest.empty() || rest == "/") {
    auto streams = hub.log().streams();
    if (!streams) {
      return error(req, http::status::service_unavailable, "unavailable", streams.error().message);
    }
    std::string body = "{\"masterplans\":[";
    bool first = true;
    for (const auto& s : *streams) {
      if (store::is_system_stream(s.stream) || !may_access(hub, *claims, s.stream)) continue;
      if (!first) body += ',';
      first = false;
      body += "{\"id\":";
      protocol::append_json_string(body, s.stream);
      body += ",\"version\":" + std::to_string(s.revision) +
              ",\"lastPosition\":" + std::to_string(s.last_position) + "}";
    }
    body += "]}";
    return make(req, http::status::ok, std::move(body));
  }
  if (rest.front() != '/') return error(req, http::status::not_found, "not_found", "no such resource");
  rest.remove_prefix(1);
  const auto slash = rest.find('/');
  auto id = url_decode(rest.substr(0, slash), false);
  const std::string_view view = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (!id || id->empty() || id->size() > 200 || store::is_system_stream(*id)) {
    return error(req, http::status::bad_request, "bad_request", "bad masterplan id");
  }
  if (!may_access(hub, *claims, *id)) {
    return error(req, http::status::forbidden, "forbidden",
                 claims->person() ? "you are not a member of masterplan '" + *id + "'"
                                  : "the token is not valid for masterplan '" + *id + "'");
  }
  std::optional<std::uint64_t> at;
  std::optional<std::int64_t> at_time;
  if (auto it = query.find("at"); it != query.end()) {
    at = parse_uint(it->second);
    if (!at) return error(req, http::status::bad_request, "bad_request", "at must be a version number");
  }
  if (auto it = query.find("atTime"); it != query.end()) {
    at_time = parse_rfc3339_us(it->second);
    if (!at_time) {
      return error(req, http::status::bad_request, "bad_request",
                   "atTime must be an RFC 3339 time, e.g. 2026-11-24T15:00:00Z");
    }
  }
  if (view.empty()) {
    auto state = hub.commands().state(*id, at, at_time);
    if (!state) {
      return error(req, http::status::service_unavailable, "unavailable",
                   "masterplan states need the command engine");
    }
    if (!state->ok()) {
      return error(req, http::status::service_unavailable, "unavailable", state->error());
    }
    const auto& s = state->value();
    if (!s.exists && s.version == 0) {
      return error(req, http::status::not_found, "not_found", "no masterplan '" + *id + "'");
    }
    std::string body = "{\"masterplan\":";
    protocol::append_json_string(body, *id);
    body += ",\"version\":" + std::to_string(s.version) + ",\"state\":" + s.json + "}";
    return make(req, http::status::ok, std::move(body));
  }
  if (view == "export") {  // kernel/documents' exports (docs/documents.md)
    auto answer = export_answer(hub.log(), *id, at, at_time, query);
    auto res = make(req, static_cast<http::status>(answer.status), std::move(answer.body),
                    answer.content_type);
    if (!answer.file_name.empty()) {
      // The name is ours ([A-Za-z0-9._-] only), so it needs no quoting rules beyond quotes.
      res.set(http::field::content_disposition,
              "attachment; filename=\"" + answer.file_name + "\"");
    }
    if (!answer.retry_after.empty()) res.set(http::field::retry_after, answer.retry_after);
    return res;
  }
  bool known = false;
  for (const char* v : kViews) known = known || view == v;
  if (!known) return error(req, http::status::not_found, "not_found", "no such view");
  if (hub.views() != nullptr) {
    ViewRequest vr;
    vr.masterplan = *id;
    vr.view = std::string(view);
    vr.at = at;
    vr.at_time_us = at_time;
    vr.query = query;
    if (auto answer = hub.views()->view(vr)) {
      return make(req, static_cast<http::status>(answer->status), std::move(answer->json));
    }
  }
  return error(req, http::status::not_implemented, "view_not_available",
               "the view '" + std::string(view) + "' is not available yet (projections)");
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_us(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 20) return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    const auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc{} && ptr == text.data() + pos + len;
  };
  if (!num(0, 4, y) || text[4] != '-' || !num(5, 2, mo) || text[7] != '-' || !num(8, 2, d) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !num(11, 2, h) ||
      text[13] != ':' || !num(14, 2, mi) || text[16] != ':' || !num(17, 2, s)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  std::int64_t offset_s = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!num(pos + 1, 2, oh) || text[pos + 3] != ':' || !num(pos + 4, 2, om)) return std::nullopt;
    offset_s = (oh * 3600 + om * 60) * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const std::int64_t seconds = static_cast<std::int64_t>(timegm(&tm)) - offset_s;
  return seconds * 1'000'000 + micros;
}

http::message_generator handle(Hub& hub, Request&& req, const RequestContext& context) {
  {
    const std::string_view target = req.target();
    const std::string_view path = target.substr(0, target.find('?'));
    if (path.substr(0, 10) == "/api/auth/") return auth_routes::handle(hub, req, path, context);
    if (path == "/api/invitations" || path.substr(0, 17) == "/api/invitations/" ||
        path == "/api/users" || path.substr(0, 11) == "/api/users/") {
      const auto qmark = target.find('?');
      return invitation_routes::handle(
          hub, req, path,
          parse_query(qmark == std::string_view::npos ? std::string_view{}
                                                      : target.substr(qmark + 1)),
          context);
    }
  }
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = error(req, http::status::method_not_allowed, "method_not_allowed",
                     "only GET and HEAD");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  const std::string_view target = req.target();
  const auto qmark = target.find('?');
  const std::string_view path = target.substr(0, qmark);
  const auto query =
      parse_query(qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1));
  if (path == "/healthz") {
    if (hub.stopping()) {
      return make(req, http::status::service_unavailable, "{\"status\":\"stopping\"}");
    }
    return make(req, http::status::ok,
                "{\"status\":\"ok\",\"version\":\"" REMBUK_SERVER_VERSION "\"}");
  }
  if (path == "/metrics") {
    std::string text = hub.metrics().render();
    if (hub.options().extra_metrics) text += hub.options().extra_metrics();
    return make(req, http::status::ok, std::move(text), "text/plain; version=0.0.4");
  }
  if (path == "/api" || path.substr(0, 5) == "/api/") return api(hub, req, path, query);
  return static_file(hub, req, path);
}

}  // namespace rembuk::server::http_routes
