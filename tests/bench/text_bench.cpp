// text-typing: E editors (default 50) on one masterplan, each typing C characters a second
// (default 5) into the vision for S seconds (default 60), as the web editor does: typing
// goes out as EditText operations in 250 ms batches, one in flight per editor, each editor
// keeping its own replica of the text from the server's TextEdited events (moved over its
// own unacknowledged operations). Each editor types its own character (U+4E00 + i, three
// UTF-8 bytes), so at the end every replica must hold exactly as many of each as were typed.
// Latency: from a batch's send to its operation shown at each other editor (one clock: every
// editor runs in this process, on one thread). The server runs in a child process: its CPU
// time and the bytes it sent (WebSocket payloads) are divided by the batches committed.
//
// text-transform: the cost of deciding one EditText based 1,000 text operations ago (moved
// over all of them), and of the bare transforms.
//
// Output: {"scenario":"text-typing","editors":…,"batches":…,"p50_ms":…,"p99_ms":…,
//          "chars_typed":…,"chars_arrived_once":true,"replicas_identical":true,
//          "server_cpu_us_per_batch":…,"bytes_per_batch":…,"snapshots":0,…}
//         {"scenario":"text-transform","concurrent":1000,"decide_us_p50":…,"transform_us_p50":…}
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

#include "rembuk/model/apply.hpp"
#include "rembuk/model/command.hpp"
#include "rembuk/model/decide.hpp"
#include "rembuk/model/schema_registry.hpp"
#include "rembuk/model/text/operation.hpp"
#include "scenarios.hpp"
#include "ws_bench_support.hpp"

namespace rembuk::bench {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
namespace text = model::text;

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench text: %s\n", why.c_str());
  std::exit(1);
}

std::string utf8_of(char32_t c) {
  std::string s;
  s += static_cast<char>(0xE0 | (c >> 12));
  s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  s += static_cast<char>(0x80 | (c & 0x3F));
  return s;
}

struct TypingArgs {
  int editors = 50;
  double chars_per_s = 5;
  double seconds = 60;
  int batch_ms = 250;
  bool nosync = false;
};

struct Editor {
  explicit Editor(asio::io_context& ioc) : type_timer(ioc), batch_timer(ioc) {}
  std::shared_ptr<BenchConnection> conn;
  std::string user;
  std::string letter;
  std::string text;   // what this editor shows
  std::string known;  // the text at `version`, from the server's events
  std::uint64_t version = 0;
  std::optional<std::pair<std::string, text::Operation>> inflight;
  text::Operation pending;
  std::size_t caret = 0;
  long typed = 0;
  long sent = 0;
  bool subscribed = false;
  bool batch_armed = false;
  asio::steady_timer type_timer;
  asio::steady_timer batch_timer;
};

void run_typing(const TypingArgs& args) {
  ServerProcessOptions options;
  options.nosync = args.nosync;
  options.server.commands_per_second = 1e6;
  ServerProcess server(options);
  asio::io_context ioc(1);
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), server.port());
  const std::string mp = "text-typing";
  if (!seed_masterplan(ioc, ep, server.token("bench-admin", {"admin"}), {mp})) die("seeding failed");

  std::unordered_map<std::string, Clock::time_point> sent_at;
  std::vector<double> latencies_ms;
  long rejects = 0;
  long snapshots = 0;
  std::uint64_t bytes = 0;
  bool counting = false;
  std::mt19937_64 rng(42);
  std::vector<std::unique_ptr<Editor>> editors;
  int subscribed = 0;

  auto flush = [&](Editor& e) {
    if (e.inflight || e.pending.empty()) return;
    const std::string id = e.user + "-" + std::to_string(e.sent++);
    e.inflight.emplace(id, std::move(e.pending));
    e.pending.clear();
    sent_at[id] = Clock::now();
    json::object command{{"type", "EditText"}, {"field", "masterplan/vision"},
                         {"ops", text::encode(e.inflight->second)}};
    e.conn->send(json::serialize(json::object{{"type", "submit"},
                                              {"commandId", id},
                                              {"masterplan", mp},
                                              {"baseVersion", e.version},
                                              {"command", std::move(command)}}));
  };

  auto on_events = [&](Editor& e, const json::object& m) {
    const auto now = Clock::now();
    for (const auto& v : m.at("events").as_array()) {
      const auto& event = v.as_object();
      const auto version = event.at("version").to_number<std::uint64_t>();
      if (version <= e.version) continue;
      e.version = version;
      if (event.at("type").as_string() != "TextEdited") continue;
      auto ops = text::decode(event.at("payload").at("ops"));
      if (!ops) die("a TextEdited the client cannot decode");
      auto known = text::apply(e.known, ops.value());
      if (!known) die("a TextEdited that does not fit the replica");
      e.known = std::move(known.value());
      const std::string id(event.at("commandId").as_string());
      if (e.inflight && e.inflight->first == id) {
        e.inflight.reset();
        if (!e.batch_armed) flush(e);
        continue;
      }
      if (auto it = sent_at.find(id); it != sent_at.end() && counting) {
        latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
      }
      text::Operation shown = std::move(ops.value());
      if (e.inflight) {
        text::Operation theirs = shown;
        shown = text::transform(theirs, e.inflight->second, text::Side::left);
        e.inflight->second = text::transform(e.inflight->second, theirs, text::Side::right);
      }
      if (!e.pending.empty()) {
        text::Operation theirs = shown;
        shown = text::transform(theirs, e.pending, text::Side::left);
        e.pending = text::transform(e.pending, theirs, text::Side::right);
      }
      auto after = text::apply(e.text, shown);
      if (!after) die("a remote operation that does not fit the shown text");
      e.text = std::move(after.value());
      e.caret = text::transform_position(e.caret, shown);
    }
  };

  for (int i = 0; i < args.editors; ++i) {
    auto e = std::make_unique<Editor>(ioc);
    e->user = "bench-e" + std::to_string(i);
    e->letter = utf8_of(static_cast<char32_t>(0x4E00 + i));
    e->conn = std::make_shared<BenchConnection>(ioc);
    Editor& ed = *e;
    e->conn->on_message([&, &ed = ed](std::string_view raw) {
      if (counting) bytes += raw.size();
      const auto type = json_string_field(raw, "type");
      if (type == "welcome") {
        ed.conn->send(R"({"type":"subscribe","masterplan":")" + mp + R"(","fromVersion":0})");
        return;
      }
      if (type == "reject") {
        ++rejects;
        std::fprintf(stderr, "reject: %.*s\n", static_cast<int>(raw.size()), raw.data());
        return;
      }
      if (type == "snapshot") ++snapshots;
      if (type != "events") return;
      const json::object m = json::parse(raw).as_object();
      if (!ed.subscribed && m.if_contains("catchUp") != nullptr) {
        ed.subscribed = true;
        ++subscribed;
      }
      on_events(ed, m);
    });
    const std::string token = server.token(e->user, {"tim_pelaksana"});
    e->conn->connect(ep, [&, token, &ed = ed](bool ok) {
      if (!ok) die("connect failed");
      ed.conn->send(R"({"type":"hello","token":")" + token + "\"}");
    });
    editors.push_back(std::move(e));
  }
  while (subscribed < args.editors) ioc.run_one();

  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / args.chars_per_s));
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(args.seconds));
  const double cpu_before = server.cpu_seconds();
  counting = true;
  std::uniform_int_distribution<long> stagger(0, interval.count());
  for (auto& ep_editor : editors) {
    Editor& e = *ep_editor;
    e.caret = text::code_points(e.text);
    auto type_one = std::make_shared<std::function<void()>>();
    *type_one = [&, type_one, &e = e] {
      e.type_timer.async_wait([&, type_one](const boost::system::error_code& ec) {
        if (ec || Clock::now() >= end) return;
        text::Operation op;
        if (e.caret > 0) op.push_back(text::Component::keep(e.caret));
        op.push_back(text::Component::insert(e.letter));
        e.text = text::apply(e.text, op).value();
        e.pending = text::compose(e.pending, op);
        ++e.caret;
        ++e.typed;
        if (!e.batch_armed) {
          e.batch_armed = true;
          e.batch_timer.expires_after(std::chrono::milliseconds(args.batch_ms));
          e.batch_timer.async_wait([&](const boost::system::error_code& batch_ec) {
            e.batch_armed = false;
            if (!batch_ec) flush(e);
          });
        }
        e.type_timer.expires_at(e.type_timer.expiry() + interval);
        (*type_one)();
      });
    };
    e.type_timer.expires_at(start + Clock::duration(stagger(rng)));
    (*type_one)();
  }
  ioc.run_until(end);
  // Typing has stopped: send what is left, then wait until every replica is quiet and equal.
  for (auto& e : editors) {
    e->batch_timer.cancel();
    flush(*e);
  }
  const auto settle_deadline = Clock::now() + std::chrono::seconds(60);
  auto settled = [&] {
    for (const auto& e : editors) {
      if (e->inflight || !e->pending.empty() || e->version != editors.front()->version) return false;
    }
    return true;
  };
  while (!settled() && Clock::now() < settle_deadline) ioc.run_for(std::chrono::milliseconds(20));
  counting = false;
  const double cpu_after = server.cpu_seconds();

  long typed = 0;
  long sent = 0;
  bool identical = true;
  bool once = true;
  const std::string& final_text = editors.front()->text;
  for (const auto& e : editors) {
    typed += e->typed;
    sent += e->sent;
    identical = identical && e->text == final_text && e->known == final_text;
    long count = 0;
    for (std::size_t at = final_text.find(e->letter); at != std::string::npos;
         at = final_text.find(e->letter, at + 1)) {
      ++count;
    }
    once = once && count == e->typed;
  }
  once = once && static_cast<long>(text::code_points(final_text)) == typed;
  for (auto& e : editors) e->conn->close();
  ioc.run_for(std::chrono::milliseconds(200));
  server.stop();
  const double batches = static_cast<double>(std::max<long>(sent, 1));
  std::printf(
      "{\"scenario\":\"text-typing\",\"editors\":%d,\"chars_per_s\":%.1f,\"seconds\":%.1f,"
      "\"batch_ms\":%d,\"chars_typed\":%ld,\"batches\":%ld,\"chars_arrived_once\":%s,"
      "\"replicas_identical\":%s,\"settled\":%s,\"rejects\":%ld,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
      "\"deliveries\":%zu,\"server_cpu_us_per_batch\":%.1f,\"bytes_per_batch\":%.0f,"
      "\"snapshots\":%ld,\"final_code_points\":%zu}\n",
      args.editors, args.chars_per_s, args.seconds, args.batch_ms, typed, sent,
      once ? "true" : "false", identical ? "true" : "false", settled() ? "true" : "false", rejects,
      percentile(latencies_ms, 50), percentile(latencies_ms, 99), latencies_ms.size(),
      (cpu_after - cpu_before) * 1e6 / batches, static_cast<double>(bytes) / batches, snapshots,
      text::code_points(final_text));
  if (!identical || !once || rejects != 0) std::exit(1);
}

struct TransformArgs {
  int concurrent = 1000;
  int runs = 200;
};

void run_transform(const TransformArgs& args) {
  model::MasterplanState state;
  state.id = "text-transform";
  const model::Actor actor{"bench", {"tim_pelaksana"}, ""};
  std::vector<text::Operation> committed;
  auto run = [&](const std::string& command_text, std::optional<model::Version> base) {
    auto command = model::decode_command(json::parse(command_text), model::SchemaRegistry::builtin());
    if (!command) die("setup: " + command.error().code);
    command.value().base_version = base;
    command.value().command_id = "c" + std::to_string(state.version + 1);
    auto events = model::decide(state, command.value(), actor, {});
    if (!events) die("setup refused: " + events.error().code + " " + events.error().message);
    for (const auto& e : events.value()) {
      if (e.type == "TextEdited") committed.push_back(text::decode(e.payload.at("ops")).value());
      model::apply_in_place(state, model::EventRecord{e.type, e.schema_version, e.payload,
                                                      state.version + 1, actor.user,
                                                      command.value().command_id, 0});
    }
  };
  run(R"({"type":"CreateMasterplan","cityName":"Bench","regionCode":"13.71","startYear":2019,"endYear":2023})", {});
  std::string vision;
  for (int i = 0; i < 400; ++i) vision += "kota ";
  run(json::serialize(json::object{{"type", "SetVision"}, {"text", vision}}), {});
  const model::Version base = state.version;
  std::mt19937_64 rng(7);
  for (int i = 0; i < args.concurrent; ++i) {
    const std::size_t length = text::code_points(state.vision);
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, length)(rng);
    json::array ops;
    if (at > 0) ops.emplace_back(at);
    ops.emplace_back("abc");
    if (i % 3 == 0 && at + 5 < length) ops.push_back(json::object{{"d", 2}});
    run(json::serialize(json::object{{"type", "EditText"}, {"field", "masterplan/vision"}, {"ops", ops}}), {});
  }
  auto command = model::decode_command(
      json::parse(R"({"type":"EditText","field":"masterplan/vision","ops":[1000,"xyz",{"d":3}]})"),
      model::SchemaRegistry::builtin());
  command.value().base_version = base;
  command.value().command_id = "measured";
  std::vector<double> decide_us;
  std::vector<double> transform_us;
  const text::Operation op = text::decode(command.value().body.at("ops")).value();
  for (int r = 0; r < args.runs; ++r) {
    const auto t0 = Clock::now();
    auto decision = model::decide(state, command.value(), actor, {});
    const auto t1 = Clock::now();
    if (!decision) die("measured command refused: " + decision.error().code);
    text::Operation moved = op;
    for (const auto& c : committed) moved = text::transform(moved, c, text::Side::right);
    const auto t2 = Clock::now();
    decide_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    transform_us.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
  }
  std::printf(
      "{\"scenario\":\"text-transform\",\"concurrent\":%d,\"runs\":%d,\"text_code_points\":%zu,"
      "\"decide_us_p50\":%.1f,\"decide_us_p99\":%.1f,\"transform_us_p50\":%.1f,"
      "\"transform_us_per_op\":%.3f}\n",
      args.concurrent, args.runs, text::code_points(state.vision), percentile(decide_us, 50),
      percentile(decide_us, 99), percentile(transform_us, 50),
      percentile(transform_us, 50) / std::max(1, args.concurrent));
}

}  // namespace

void add_text_scenarios(CLI::App& app) {
  auto* typing = app.add_subcommand("text-typing", "Many editors typing into one narrative field");
  auto targs = std::make_shared<TypingArgs>();
  typing->add_option("--editors", targs->editors)->capture_default_str();
  typing->add_option("--chars-per-s", targs->chars_per_s, "Characters each editor types a second")
      ->capture_default_str();
  typing->add_option("--seconds", targs->seconds)->capture_default_str();
  typing->add_option("--batch-ms", targs->batch_ms, "Typing sent at most this often")
      ->capture_default_str();
  typing->add_flag("--nosync", targs->nosync, "LMDB without fsync (not durable)");
  typing->callback([targs] { run_typing(*targs); });

  auto* transform = app.add_subcommand(
      "text-transform", "Deciding one text operation based N operations ago (moved over all)");
  auto xargs = std::make_shared<TransformArgs>();
  transform->add_option("--concurrent", xargs->concurrent)->capture_default_str();
  transform->add_option("--runs", xargs->runs)->capture_default_str();
  transform->callback([xargs] { run_transform(*xargs); });
}

}  // namespace rembuk::bench
