// rembuk-loadgen: wiring only. The same closed-loop edit workload and the same fan-out, against
// rembuk or ShareDB (runs.hpp, protocol.hpp); one JSON line per run. See docs/benchmarks.md.
#include <CLI/CLI.hpp>

#include "runs.hpp"

int main(int argc, char** argv) {
  using namespace rembuk::loadgen;
  CLI::App app{"rembuk-loadgen: one workload against rembuk and its peers, one JSON line per run"};
  app.require_subcommand(1);

  Target target;
  std::string url;
  std::string prefix = "doc";
  app.add_option("--system", target.system, "rembuk | sharedb")->required();
  app.add_option("--url", url, "ws://HOST:PORT[/PATH]")->required();
  app.add_option("--token", target.token, "rembuk: a JWT allowed to create and edit");
  app.add_option("--prefix", prefix, "Document names: PREFIX-0, PREFIX-1, …")->capture_default_str();

  EditsOptions edits;
  auto* e = app.add_subcommand("edits", "C clients over D documents, closed loop of edits");
  e->add_option("--clients", edits.clients)->capture_default_str()->check(CLI::Range(1, 100000));
  e->add_option("--documents", edits.documents)->capture_default_str()->check(CLI::Range(1, 100000));
  e->add_option("--seconds", edits.seconds)->capture_default_str();

  FanoutOptions fanout;
  auto* f = app.add_subcommand("fanout", "1 writer, S subscribers: time to receipt");
  f->add_option("--subscribers", fanout.subscribers)->capture_default_str()->check(CLI::Range(1, 100000));
  f->add_option("--rate", fanout.rate, "Writer's edits/s")->capture_default_str()->check(CLI::PositiveNumber);
  f->add_option("--seconds", fanout.seconds)->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (!parse_ws_url(url, target.ws)) die("--url must be ws://HOST:PORT[/PATH]");
  boost::asio::io_context resolver_ioc;
  if (!resolve(resolver_ioc, target)) return 1;
  if (target.system == "rembuk" && target.token.empty()) die("--system rembuk needs --token");
  if (e->parsed()) run_edits(target, edits, prefix);
  if (f->parsed()) run_fanout(target, fanout, prefix);
  return 0;
}
