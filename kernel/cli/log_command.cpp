// `rembuk log --data DIR [--stream S] [--from P] [--json]`: prints stored events, one per
// line, in position order. --from is a global position in both modes; with --stream only that
// stream's events at or after it are shown. --json prints one JSON object per line.
#include <boost/json.hpp>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <string>

#include "commands.hpp"
#include "rembuk/store/open_event_log.hpp"

namespace rembuk::cli {
namespace {

constexpr std::size_t page = 1000;

struct LogArgs {
  std::string data;
  std::string store;  // postgres://… instead of --data
  std::string stream;
  std::uint64_t from = 1;
  bool json = false;
};

// 2026-11-24T14:00:00.123456Z
std::string iso8601_utc(std::int64_t time_us) {
  std::int64_t seconds = time_us / 1'000'000;
  std::int64_t micros = time_us % 1'000'000;
  if (micros < 0) {
    micros += 1'000'000;
    --seconds;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06" PRId64 "Z",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                micros);
  return buffer;
}

// The payload as a JSON value; a payload that is not valid JSON (never written by rembuk)
// is shown as a string rather than breaking the line.
boost::json::value payload_value(const std::string& payload) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(payload, ec);
  if (ec) return boost::json::value(payload);
  return v;
}

void print_json(const store::RecordedEvent& e) {
  // Built by hand so that the fields keep this order.
  std::string line = "{\"position\":" + std::to_string(e.position);
  line += ",\"stream\":" + boost::json::serialize(boost::json::value(e.stream));
  line += ",\"revision\":" + std::to_string(e.revision);
  line += ",\"type\":" + boost::json::serialize(boost::json::value(e.type));
  line += ",\"schemaVersion\":" + std::to_string(e.schema_version);
  line += ",\"time\":\"" + iso8601_utc(e.time_us) + "\"";
  line += ",\"actor\":" + boost::json::serialize(boost::json::value(e.actor));
  line += ",\"commandId\":" + boost::json::serialize(boost::json::value(e.command_id));
  line += ",\"payload\":" + boost::json::serialize(payload_value(e.payload));
  line += ",\"prevHash\":\"" + store::to_hex(e.prev_hash) + "\"";
  line += ",\"hash\":\"" + store::to_hex(e.hash) + "\"}\n";
  std::fputs(line.c_str(), stdout);
}

void print_text(const store::RecordedEvent& e) {
  std::printf("%8" PRIu64 "  %s  %-24s r%-6" PRIu64 " %-28s v%-3u %-16s %s\n", e.position,
              iso8601_utc(e.time_us).c_str(), e.stream.c_str(), e.revision,
              e.type.c_str(), e.schema_version, e.actor.empty() ? "-" : e.actor.c_str(),
              e.payload.c_str());
}

[[noreturn]] void fail_with(const char* what, const store::Error& error) {
  std::fprintf(stderr, "rembuk log: %s: %s (%s)\n", what, error.message.c_str(),
               std::string(store::to_string(error.code)).c_str());
  throw CLI::RuntimeError(2);
}

void run(const LogArgs& args) {
  // create_if_missing = false: a typo in --data must not create an empty log
  const store::StoreLocation location{args.store, args.data, false};
  if (location.store.empty() && location.data_dir.empty()) {
    std::fprintf(stderr, "rembuk log: give --data DIR or --store postgres://…\n");
    throw CLI::RuntimeError(2);
  }
  auto opened = store::open_event_log(location);
  if (!opened.ok()) fail_with(("cannot open " + store::describe(location)).c_str(), opened.error());
  store::EventLog& log = **opened;
  auto print = args.json ? print_json : print_text;

  if (args.stream.empty()) {
    for (store::Position next = args.from;;) {
      auto events = log.read_all(next, page);
      if (!events.ok()) fail_with("cannot read the log", events.error());
      if (events->empty()) break;
      for (const auto& e : *events) print(e);
      next = events->back().position + 1;
    }
    return;
  }
  for (store::Revision next = 1;;) {
    auto events = log.read_stream(args.stream, next, page);
    if (!events.ok()) fail_with("cannot read the stream", events.error());
    if (events->empty()) break;
    for (const auto& e : *events) {
      if (e.position >= args.from) print(e);
    }
    next = events->back().revision + 1;
  }
}

}  // namespace

void add_log_command(CLI::App& app) {
  auto* command = app.add_subcommand("log", "Print stored events, one per line");
  auto args = std::make_shared<LogArgs>();
  command->add_option("--data", args->data, "Folder of the event log");
  command->add_option("--store", args->store, "postgres://… : a PostgreSQL log");
  command->add_option("--stream", args->stream, "Only this stream's events");
  command->add_option("--from", args->from, "Start at this global position")->default_val(1);
  command->add_flag("--json", args->json, "One JSON object per line");
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::cli
