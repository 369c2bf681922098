// decide: commands per second through the model's whole decision on one core — JSON text
// parsed, schema checked (valijson), decoded, authorized, conflict-checked, national rules,
// events built — on a masterplan of P programs (default 500). Nothing is appended or
// applied: the state stays as built, so every command meets the same masterplan.
//
// The mix: budget lines, title updates, indicator targets, quick-win flags, comments; half
// of the commands carry a baseVersion a few versions old, so the field-level rebase check
// runs too (their fields did not change since, so they are accepted).
//
// Output: {"scenario":"decide","commands_per_s":…,"p50_us":…,"p99_us":…,"programs":…,
//          "commands":…,"accepted":…,"rejected":…}
#include <algorithm>
#include <memory>
#include <optional>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "percentile.hpp"
#include "rembuk/model/apply.hpp"
#include "rembuk/model/command.hpp"
#include "rembuk/model/decide.hpp"
#include "rembuk/model/schema_registry.hpp"
#include "scenarios.hpp"

namespace rembuk::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

struct DecideArgs {
  int programs = 500;
  long commands = 300'000;
};

const char* kDimensions[][2] = {{"governance", "public_service"},   {"branding", "tourism_branding"},
                                {"economy", "people_welfare"},      {"living", "health"},
                                {"society", "learning_ecosystem"}, {"environment", "energy_management"}};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench decide: %s\n", why.c_str());
  std::exit(1);
}

// Builds the masterplan through decide + apply, as the engine would.
class Builder {
 public:
  explicit Builder(model::MasterplanState& state) : state_(state) {}
  void run(const std::string& text) {
    auto command = model::decode_command(json::parse(text), model::SchemaRegistry::builtin());
    if (!command) die("setup command rejected: " + command.error().code + " " + text);
    command.value().command_id = "setup-" + std::to_string(state_.version + 1);
    model::DecideContext context;
    auto events = model::decide(state_, command.value(), actor_, context);
    if (!events) die("setup command refused: " + events.error().code + " " + text);
    for (auto& event : events.value()) {
      model::apply_in_place(state_, model::EventRecord{event.type, event.schema_version,
                                                        std::move(event.payload), state_.version + 1,
                                                        actor_.user, command.value().command_id, 0});
    }
  }

 private:
  model::MasterplanState& state_;
  model::Actor actor_{"u-tim", {"tim_pelaksana"}, ""};
};

std::string program_id(int i) { return "p-" + std::to_string(i); }

model::MasterplanState build(int programs) {
  model::MasterplanState state;
  state.id = "bench";
  Builder b(state);
  b.run(R"({"type":"CreateMasterplan","cityName":"Kota Bench","regionCode":"13.71","startYear":2020,"endYear":2029})");
  for (int o = 0; o < 20; ++o) {
    b.run(R"({"type":"RegisterOpd","opdId":"opd-)" + std::to_string(o) + R"(","name":"Dinas )" +
          std::to_string(o) + R"("})");
  }
  for (int i = 0; i < programs; ++i) {
    const auto& d = kDimensions[i % 6];
    const std::string id = program_id(i);
    b.run(R"({"type":"AddProgram","programId":")" + id + R"(","title":"Program )" + std::to_string(i) +
          R"(","dimension":")" + d[0] + R"(","element":")" + d[1] + R"(","leadOpd":"opd-)" +
          std::to_string(i % 20) + R"(","startYear":2021,"endYear":2025,"supportingOpds":["opd-)" +
          std::to_string((i + 1) % 20) + R"("],"outputs":["Aplikasi"],"outcomes":["Layanan lebih cepat"]})");
    b.run(R"({"type":"SetProgramBudget","programId":")" + id +
          R"(","year":2021,"source":"APBD","amount":1000000000})");
    b.run(R"({"type":"AddIndicator","programId":")" + id +
          R"(","indicatorId":"i1","name":"Capaian","unit":"%","baseline":{"value":10,"year":2020}})");
    b.run(R"({"type":"SetIndicatorTarget","programId":")" + id +
          R"(","indicatorId":"i1","year":2022,"value":50})");
  }
  return state;
}

struct Sample {
  std::string text;
  std::optional<model::Version> base;
  model::Actor actor;
};

std::vector<Sample> command_mix(const model::MasterplanState& state, int programs) {
  std::vector<Sample> mix;
  const model::Actor tim{"u-tim", {"tim_pelaksana"}, ""};
  for (int i = 0; i < 1000; ++i) {
    const std::string id = program_id((i * 37) % programs);
    std::optional<model::Version> base;
    if (i % 2 == 0) base = state.version - 3;  // stale, but these fields did not change since
    std::string text;
    switch (i % 5) {
      case 0:
        text = R"({"type":"SetProgramBudget","programId":")" + id + R"(","year":)" +
               std::to_string(2021 + i % 5) + R"(,"source":"APBN","amount":)" +
               std::to_string(250000000 + i) + "}";
        break;
      case 1:
        text = R"({"type":"UpdateProgram","programId":")" + id +
               R"(","title":"Program layanan terpadu )" + std::to_string(i) + R"("})";
        break;
      case 2:
        text = R"({"type":"SetIndicatorTarget","programId":")" + id +
               R"(","indicatorId":"i1","year":2024,"value":)" + std::to_string(60 + i % 30) + "}";
        break;
      case 3:
        text = R"({"type":"AddSupportingOpd","programId":")" + id + R"(","opdId":"opd-)" +
               std::to_string(((i * 37) % programs + 5) % 20) + R"("})";
        break;
      default:
        text = R"({"type":"AddComment","commentId":"k-)" + std::to_string(i) +
               R"(","target":"program/)" + id + R"(","text":"Mohon lengkapi target tahun 2025"})";
        break;
    }
    mix.push_back(Sample{text, base, tim});
  }
  return mix;
}


void run_decide(const DecideArgs& args) {
  if (args.programs < 1 || args.commands < 1) die("--programs and --commands must be >= 1");
  const model::MasterplanState state = build(args.programs);
  const auto mix = command_mix(state, args.programs);
  const auto& schemas = model::SchemaRegistry::builtin();
  const model::DecideContext context;
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(args.commands));
  long accepted = 0;
  long rejected = 0;
  std::size_t events = 0;
  const auto began = Clock::now();
  for (long n = 0; n < args.commands; ++n) {
    const Sample& sample = mix[static_cast<std::size_t>(n) % mix.size()];
    const auto t0 = Clock::now();
    json::error_code ec;
    json::value value = json::parse(sample.text, ec);
    auto command = model::decode_command(value, schemas);
    if (command) {
      command.value().base_version = sample.base;
      auto decision = model::decide(state, command.value(), sample.actor, context);
      if (decision) {
        ++accepted;
        events += decision.value().size();
      } else {
        ++rejected;
      }
    } else {
      ++rejected;
    }
    latencies.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - began).count();
  std::sort(latencies.begin(), latencies.end());
  std::printf(
      "{\"scenario\":\"decide\",\"commands_per_s\":%.0f,\"p50_us\":%.2f,\"p99_us\":%.2f,"
      "\"programs\":%d,\"commands\":%ld,\"accepted\":%ld,\"rejected\":%ld,\"events\":%zu,"
      "\"state_version\":%llu,"
      "\"includes\":\"json parse + schema + decode + auth + rebase + rules + events\"}\n",
      static_cast<double>(args.commands) / seconds, sorted_percentile(latencies, 0.50),
      sorted_percentile(latencies, 0.99), args.programs, args.commands, accepted, rejected, events,
      static_cast<unsigned long long>(state.version));
  if (rejected != 0) die("some commands of the mix were rejected");
}

}  // namespace

void add_decide_scenario(CLI::App& app) {
  auto* command = app.add_subcommand(
      "decide", "Commands/s through schema check, rules and event creation (one core)");
  auto args = std::make_shared<DecideArgs>();
  command->add_option("--programs", args->programs, "Programs in the masterplan (default 500)");
  command->add_option("--commands", args->commands, "Commands to decide (default 300000)");
  command->callback([args] { run_decide(*args); });
}

}  // namespace rembuk::bench
