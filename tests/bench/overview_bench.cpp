// overview: GET /api/overview, the ministry's national page, over every masterplan.
//
//   1. Fixture (not measured): --masterplans masterplans (514: the cohorts 2017–2019 and
//      eight rounds of 50 after) decided by the real CommandEngine on a nosync LMDB log, each
//      with an MoU (its cohort), a few OPDs, --programs programs over the six dimensions with
//      budget lines (three quick wins) and a Bimtek track at a stage that varies by city.
//   2. An in-process rembuk server on loopback (port 0). first_ms: the first request, which
//      starts the projection and waits for it to catch up with the whole log.
//   3. p50_ms / p99_ms: --requests sequential GETs on one keep-alive connection, rotating
//      through sorts and filters, each answered from the projection's rows.
//
// Output: {"scenario":"overview","masterplans":…,"requests":…,"p50_ms":…,"p99_ms":…,
//          "first_ms":…,"rows":…,"response_bytes":…,"fixture_s":…}
#include <algorithm>
#include <chrono>
#include <iterator>
#include <cstdio>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "percentile.hpp"
#include "rembuk/engine/command_engine.hpp"
#include "rembuk/server/server.hpp"
#include "rembuk/server/token.hpp"
#include "rembuk/store/lmdb_event_log.hpp"
#include "scenarios.hpp"
#include "work_dir.hpp"

namespace rembuk::bench {
namespace {

namespace json = boost::json;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

struct OverviewArgs {
  int masterplans = 514;
  int programs = 12;
  int requests = 500;
  std::string data;
};

constexpr const char* kProvinces[] = {"11", "12", "13", "14", "15", "16", "17", "18", "32",
                                      "33", "34", "35", "36", "51", "52", "53", "61", "62",
                                      "63", "64", "71", "72", "73", "74", "81", "94"};
constexpr const char* kDimensions[][2] = {
    {"governance", "public_service"}, {"branding", "tourism_branding"},
    {"economy", "people_welfare"},    {"living", "health"},
    {"society", "learning_ecosystem"}, {"environment", "waste_management"}};

// 25 in 2017, 50 in 2018, 25 in 2019, then rounds of 50 from 2022.
int cohort_of(int index) {
  if (index < 25) return 2017;
  if (index < 75) return 2018;
  if (index < 100) return 2019;
  return 2022 + (index - 100) / 50;
}

std::vector<json::object> commands_for(int index, int programs) {
  const std::string n = std::to_string(index);
  const int cohort = cohort_of(index);
  const int start = cohort + 1;
  std::vector<json::object> out;
  out.push_back({{"type", "CreateMasterplan"},
                 {"cityName", "Kota Contoh " + n},
                 {"regionCode", std::string(kProvinces[index % std::size(kProvinces)]) + "." +
                                    std::to_string(71 + index % 29)},
                 {"startYear", start},
                 {"endYear", start + 9}});
  out.push_back({{"type", "RecordMou"},
                 {"date", std::to_string(cohort) + "-05-08"},
                 {"signedBy", "Wali Kota " + n}});
  for (int o = 0; o < 4; ++o) {
    out.push_back({{"type", "RegisterOpd"},
                   {"opdId", "opd" + std::to_string(o)},
                   {"name", "Dinas " + std::to_string(o)}});
  }
  for (int p = 0; p < programs; ++p) {
    const auto& d = kDimensions[p % 6];
    const std::string id = "p" + std::to_string(p);
    const bool quick = p < 3;
    out.push_back({{"type", "AddProgram"},
                   {"programId", id},
                   {"title", "Program " + std::to_string(p)},
                   {"dimension", d[0]},
                   {"element", d[1]},
                   {"leadOpd", "opd" + std::to_string(p % 4)},
                   {"startYear", start},
                   {"endYear", quick ? start : start + 3},
                   {"quickWin", quick}});
    out.push_back({{"type", "SetProgramBudget"},
                   {"programId", id},
                   {"year", start},
                   {"source", "APBD"},
                   {"amount", 250'000'000 + 1'000'000 * ((index * 7 + p) % 100)}});
  }
  const int stages = index % 5;  // 0..4 stages scheduled
  for (int s = 1; s <= stages; ++s) {
    out.push_back({{"type", "ScheduleBimtekStage"},
                   {"stage", s},
                   {"scheduledDate", std::to_string(cohort) + "-0" + std::to_string(5 + s) + "-10"},
                   {"place", "Aula Bappeda"}});
    out.push_back({{"type", "RecordBimtekStageHeld"},
                   {"stage", s},
                   {"heldDate", std::to_string(cohort) + "-0" + std::to_string(5 + s) + "-11"}});
  }
  return out;
}

bool build_fixture(store::EventLog& log, const OverviewArgs& args) {
  engine::CommandEngine engine(log, nullptr, engine::EngineOptions{});
  std::uint64_t counter = 0;
  for (int i = 0; i < args.masterplans; ++i) {
    const std::string masterplan = "kota-" + std::to_string(i);
    for (auto& command : commands_for(i, args.programs)) {
      json::object envelope{{"masterplan", masterplan},
                            {"commandId", "ov-" + std::to_string(++counter)},
                            {"actor", json::object{{"user", "u-bench"},
                                                   {"roles", json::array{"admin"}}}},
                            {"command", std::move(command)}};
      auto parsed = engine::parse_envelope(envelope);
      if (!parsed) {
        std::fprintf(stderr, "overview: bad envelope: %s\n", parsed.error().message.c_str());
        return false;
      }
      auto outcome = engine.submit_sync(std::move(*parsed));
      if (!outcome.accepted) {
        std::fprintf(stderr, "overview: %s rejected: %s %s\n", masterplan.c_str(),
                     outcome.code.c_str(), outcome.message.c_str());
        return false;
      }
    }
  }
  return true;
}

int run(const OverviewArgs& args) {
  WorkDir dir(args.data);
  store::LmdbOptions lmdb;
  lmdb.path = (dir.path() / "log").string();
  lmdb.durability = store::Durability::nosync;
  lmdb.reserve_bytes = 0;
  auto log = store::open_lmdb_event_log(lmdb);
  if (!log) {
    std::fprintf(stderr, "overview: cannot open the log: %s\n", log.error().message.c_str());
    return 1;
  }
  const auto fixture_start = Clock::now();
  auto head = (*log)->head();
  if (head && head->position == 0 && !build_fixture(**log, args)) return 1;
  const double fixture_s =
      std::chrono::duration<double>(Clock::now() - fixture_start).count();

  server::ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.token_secret = "overview-bench-secret-0123456789abcdef";
  server::Server server(options, **log, nullptr);
  if (auto started = server.start(); !started) {
    std::fprintf(stderr, "overview: server: %s\n", started.error().c_str());
    return 1;
  }
  server::Claims claims;
  claims.user = "u-kementerian";
  claims.roles = {"kementerian"};
  claims.expires_at = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count() +
                      3600;
  const std::string token = server::issue_token(claims, options.token_secret);

  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
  boost::beast::flat_buffer buffer;
  auto get = [&](const std::string& target, std::size_t& rows, std::size_t& bytes) {
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::authorization, "Bearer " + token);
    req.keep_alive(true);
    http::write(socket, req);
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    if (res.result() != http::status::ok) {
      std::fprintf(stderr, "overview: %s → %u %s\n", target.c_str(), res.result_int(),
                   res.body().c_str());
      return false;
    }
    bytes = res.body().size();
    rows = static_cast<std::size_t>(json::parse(res.body()).at("count").to_number<std::int64_t>());
    return true;
  };

  std::size_t rows = 0;
  std::size_t bytes = 0;
  const auto first_start = Clock::now();
  if (!get("/api/overview", rows, bytes)) return 1;
  const double first_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - first_start).count();
  const std::size_t all_rows = rows;
  const std::size_t all_bytes = bytes;

  const std::vector<std::string> targets = {
      "/api/overview",
      "/api/overview?sort=budgetTotal&order=desc",
      "/api/overview?cohortYear=2022&sort=checklistDone&order=desc",
      "/api/overview?status=draft&sort=lastActivity&order=desc",
      "/api/overview?currentStage=2&sort=province",
      "/api/overview?q=contoh%201&sort=regionCode"};
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(args.requests));
  for (int i = 0; i < args.requests; ++i) {
    const auto start = Clock::now();
    if (!get(targets[static_cast<std::size_t>(i) % targets.size()], rows, bytes)) return 1;
    samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(samples.begin(), samples.end());
  boost::system::error_code ec;
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  server.stop();
  server.wait();

  json::object out{{"scenario", "overview"},
                   {"masterplans", args.masterplans},
                   {"requests", args.requests},
                   {"p50_ms", sorted_percentile(samples, 0.50)},
                   {"p99_ms", sorted_percentile(samples, 0.99)},
                   {"first_ms", first_ms},
                   {"rows", all_rows},
                   {"response_bytes", all_bytes},
                   {"fixture_s", fixture_s}};
  std::printf("%s\n", json::serialize(out).c_str());
  return all_rows == static_cast<std::size_t>(args.masterplans) ? 0 : 1;
}

}  // namespace

void add_overview_scenario(CLI::App& app) {
  auto args = std::make_shared<OverviewArgs>();
  auto* sub = app.add_subcommand(
      "overview", "GET /api/overview (the national page) over every masterplan: p50/p99");
  sub->add_option("--masterplans", args->masterplans, "masterplans in the log")
      ->check(CLI::Range(1, 100000));
  sub->add_option("--programs", args->programs, "programs per masterplan")
      ->check(CLI::Range(3, 500));
  sub->add_option("--requests", args->requests, "timed requests")->check(CLI::Range(1, 1000000));
  sub->add_option("--data", args->data, "folder for the log (kept; reused when it holds one)");
  sub->callback([args] { std::exit(run(*args)); });
}

}  // namespace rembuk::bench
