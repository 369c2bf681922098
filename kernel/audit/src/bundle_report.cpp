#include <algorithm>
#include <vector>

#include "rembuk/audit/bundle.hpp"
#include "rembuk/projections/time_format.hpp"

namespace rembuk::audit {
namespace {

std::string_view label_of(std::string_view type) {
  if (type == "MasterplanSubmitted") return "submitted";
  if (type == "ReviewStarted") return "review started";
  if (type == "MasterplanApproved") return "approved";
  if (type == "MasterplanReopened") return "reopened";
  return type;
}

std::size_t count_of(const BundleSummary& s, std::string_view type) {
  return static_cast<std::size_t>(std::count_if(
      s.status_changes.begin(), s.status_changes.end(),
      [type](const StatusChange& c) { return c.type == type; }));
}

}  // namespace

std::string render_report(const BundleReport& report) {
  const auto& s = report.summary;
  std::string out;
  if (!s.masterplan.empty()) {
    out += "masterplan   " + s.masterplan + " (bundle format " + std::to_string(s.format) +
           ", made " + projections::format_iso8601(s.created_at_us) + ")\n";
    out += "signing key  Ed25519 " + s.key_id + "\n";
  }
  if (s.versions > 0) {
    out += "versions     1.." + std::to_string(s.versions) + "  (" +
           projections::format_iso8601(s.first_time_us) + " .. " +
           projections::format_iso8601(s.last_time_us) + ")";
    // On a failure the summary stops where the check stopped: say so, lest a reader take
    // it for the bundle's whole history.
    out += report.ok ? "\n" : "  checked before the failure\n";
  }
  if (report.ok) {
    out += "checkpoints  " + std::to_string(s.checkpoints) + " signed";
    if (s.last_signed_version > 0) {
      out += ", the last at version " + std::to_string(s.last_signed_version);
    }
    out += "\n";
    if (s.last_signed_version < s.versions) {
      out += "             versions " + std::to_string(s.last_signed_version + 1) + ".." +
             std::to_string(s.versions) +
             " are not yet under a checkpoint; the bundle seal covers them\n";
    }
    out += "submissions  " + std::to_string(count_of(s, "MasterplanSubmitted")) +
           "   approvals " + std::to_string(count_of(s, "MasterplanApproved")) + "\n";
    for (const auto& change : s.status_changes) {
      out += "  v" + std::to_string(change.version) + "  " +
             projections::format_iso8601(change.time_us) + "  " +
             std::string(label_of(change.type)) + " by " + change.actor + "\n";
    }
    std::vector<std::pair<std::string, std::uint64_t>> actors(s.events_by_actor.begin(),
                                                              s.events_by_actor.end());
    std::stable_sort(actors.begin(), actors.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    out += "actors       " + std::to_string(actors.size()) + "\n";
    for (const auto& [actor, events] : actors) {
      out += "  " + actor + "  " + std::to_string(events) + " events\n";
    }
    out += "OK: every hash, link and signature verifies\n";
  } else {
    out += "FAILED: " + report.failure + "\n";
  }
  return out;
}

}  // namespace rembuk::audit
