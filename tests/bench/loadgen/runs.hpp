// The two workloads of rembuk-loadgen, each printing one JSON line with the same fields for
// every system (docs/benchmarks.md):
//   edits  : C clients over D documents, each subscribed to its document and in a closed loop:
//            submit one small field edit, wait for its acknowledgement, submit the next.
//            {"system","scenario":"edits","clients","documents","edits_per_s","p50_ms","p99_ms",…}
//   fanout : S subscribers on one document, one writer submitting R edits/s; latency from the
//            writer's send to the receipt at each subscriber (and at the last of them).
//            {"system","scenario":"fanout","subscribers","p50_ms","p99_ms","all_p99_ms",…}
// All clients run on one thread in this process, so send and receipt share one clock.
#pragma once

#include <string>

#include "session.hpp"

namespace rembuk::loadgen {

struct EditsOptions {
  int clients = 32;
  int documents = 8;
  double seconds = 10;
};

struct FanoutOptions {
  int subscribers = 500;
  double rate = 20;  // edits/s by the writer (open loop, so a slow server cannot hide latency)
  double seconds = 10;
};

// Document names: PREFIX-0, PREFIX-1, … (the runs seed them first).
void run_edits(const Target& target, const EditsOptions& options, const std::string& prefix);
void run_fanout(const Target& target, const FanoutOptions& options, const std::string& prefix);

// p in [0, 100]; nearest rank on a copy; 0 for no values.
double percentile(std::vector<double> values, double p);

}  // namespace rembuk::loadgen
