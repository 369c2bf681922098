// The audit bundle: one self-contained file with a masterplan's events, its signed
// checkpoints, the public key and a seal, that `rembuk audit verify` checks without a data
// folder. The format (JSON Lines, format 1) and the reasoning are in docs/audit.md:
//
//   line 1        header     {"kind":"rembuk-audit-bundle","format":1,"masterplan",
//                             "createdAtUs","createdAt","algorithm":"Ed25519","publicKey",
//                             "keyId","events":n,"checkpoints":m}
//   lines 2..n+1  events     {"kind":"event", <record fields>}           revisions 1..n
//   next m lines  checkpoints {"kind":"checkpoint", <record fields>}     of $checkpoints/<id>
//   last line     seal       {"kind":"seal","sha256","signature"}
//
// Every line ends with "\n". The seal's sha256 covers every byte before the seal line; its
// signature is Ed25519 over "rembuk-audit-bundle-seal/1" 0x00 ‖ that raw digest.
//
// Thread safety: free functions; make_bundle only reads the log.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/audit/errors.hpp"
#include "rembuk/audit/signing_key.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::audit {

inline constexpr int bundle_format = 1;

// The bundle of `masterplan` as the log holds it now, sealed with `key` at `now_us`.
// not_found: no such masterplan. corrupt: the log's records of this masterplan (or its
// checkpoints) do not verify; the message names the first problem (the bundle is checked
// with verify_bundle before it is returned, so a damaged log never yields a bundle).
AuditResult<std::string> make_bundle(store::EventLog& log, std::string_view masterplan,
                                     const SigningKey& key, std::int64_t now_us);

struct StatusChange {
  std::string type;  // MasterplanSubmitted, ReviewStarted, MasterplanApproved, MasterplanReopened
  std::uint64_t version = 0;
  std::int64_t time_us = 0;
  std::string actor;
};

struct BundleSummary {
  std::string masterplan;
  int format = 0;
  std::int64_t created_at_us = 0;
  std::string key_id;
  std::uint64_t versions = 0;
  std::int64_t first_time_us = 0;
  std::int64_t last_time_us = 0;
  std::uint64_t checkpoints = 0;
  std::uint64_t last_signed_version = 0;  // 0: no checkpoint
  std::vector<StatusChange> status_changes;
  std::map<std::string, std::uint64_t> events_by_actor;
};

struct BundleReport {
  bool ok = false;
  std::size_t line = 0;  // the line (from 1) of the first problem; 0 when ok or the whole file
  std::string failure;   // what does not verify, naming the line and the record
  BundleSummary summary; // filled as far as the check got
};

// Checks every hash, link and signature of a bundle (see docs/audit.md, "What verify
// checks"). Never throws; any input gives a report.
BundleReport verify_bundle(std::string_view bytes);

// The report as `rembuk audit verify` prints it.
std::string render_report(const BundleReport& report);

}  // namespace rembuk::audit
