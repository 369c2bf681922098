// MasterplanState: everything one masterplan holds, as folded from its events.
//
// A masterplan is one event stream; `version` is the revision of the last event applied
// (0 = nothing yet). The state is a plain value: copy it to keep a version, share it as
// `std::shared_ptr<const MasterplanState>` across threads (const access is safe from many
// threads; mutation needs exclusive access). Only `apply` mutates it.
//
// Maps are ordered by id so that iteration, and therefore canonical JSON, is deterministic.
// Besides the domain content the state keeps the bookkeeping that `decide` needs: for every
// field key the version and actor of its last change (field-level rebase,
// docs/concurrency.md), the commands undone and the ids ever used. It keeps nothing per
// accepted command: that would grow with every edit forever, and every copy and snapshot of
// the state with it. Undo finds the command it undoes in the log's commands index instead
// (DecideContext::undo_events).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rembuk/model/field_changes.hpp"
#include "rembuk/model/text/operation.hpp"

namespace rembuk::model {

using Rupiah = std::int64_t;

enum class Status { draft, submitted, under_review, approved };
const char* to_string(Status status);
std::optional<Status> status_from_string(std::string_view text);

struct Rpjmd {
  std::string title;
  int start_year = 0;
  int end_year = 0;
  std::string regulation;  // e.g. "Perda 3/2019"; may be empty
  friend bool operator==(const Rpjmd&, const Rpjmd&) = default;
};

struct Mission {
  std::string id;
  std::string text;
};

struct StrategicIssue {
  std::string id;
  std::string dimension;  // dimension or pillar id
  std::string text;
};

// One entry of the readiness analysis on one axis: struktur, infrastruktur, suprastruktur.
struct ReadinessEntry {
  std::string id;
  std::string axis;
  std::string title;
  std::string description;
  std::optional<double> quantity;  // e.g. 121 (IT staff), 22 (integrated applications)
  std::string unit;
  // Where the entry stands in the axis's SWOT (Bimtek I): "strength", "weakness",
  // "opportunity", "threat", or empty when not classified yet.
  std::string swot;
};

// One line of the gap analysis (Bimtek I): where an axis is, where it must be, and how.
struct Gap {
  std::string id;
  std::string axis;  // struktur, infrastruktur, suprastruktur
  std::string current;
  std::string expected;
  std::string action;  // may be empty
};

// A strategy for one dimension or local-wisdom pillar (Bimtek III).
struct Strategy {
  std::string id;
  std::string dimension;  // dimension or pillar id
  std::string text;
};

// The profile of a finalised quick win (Bimtek IV). Its budget and lead OPD are the
// program's own (computed, not typed twice).
struct QuickWinProfile {
  std::string objective;
  std::string location;
  std::string beneficiaries;
  std::string timeline;
  bool complete() const {
    return !objective.empty() && !location.empty() && !beneficiaries.empty() && !timeline.empty();
  }
  friend bool operator==(const QuickWinProfile&, const QuickWinProfile&) = default;
};

// A commitment letter (surat komitmen, Bimtek IV): signed by the head of region
// (signatory "head_of_region") or by the head of an OPD (signatory "opd_head", opd_id set).
struct CommitmentLetter {
  std::string id;
  std::string signatory;
  std::string opd_id;
  std::string signatory_name;
  std::string date;  // YYYY-MM-DD
  std::string letter_number;
};

// The presentation of the masterplan to the ministry's evaluators.
struct Presentation {
  std::string date;  // YYYY-MM-DD
  std::vector<std::string> evaluators;
  std::string notes;
  std::string outcome;  // "accepted", "accepted_with_revisions", "rejected"
};

// The memorandum of understanding with the ministry that enrolled the city in the
// programme; its year is the city's cohort (2017, 2018, 2019, 2022, …).
struct Mou {
  std::string date;  // YYYY-MM-DD
  std::string signed_by;
  std::string notes;  // scope, what the city brought
  int cohort_year() const { return date.size() >= 4 ? std::atoi(date.substr(0, 4).c_str()) : 0; }
};

// One Bimtek stage (tahap I–IV) as it was planned and held. What it must produce is not
// stored: bimtek.hpp computes it from the rest of the state.
struct BimtekStage {
  int number = 0;              // 1..4
  std::string scheduled_date;  // YYYY-MM-DD, empty = not scheduled
  std::string held_date;       // YYYY-MM-DD, empty = not held yet
  std::string place;
  std::string online_link;
  std::vector<std::string> experts;          // tenaga ahli, by name, in order
  std::set<std::string> members_present;     // member user ids
  std::set<std::string> opds_present;        // OPD ids
  std::string notes;
  bool closed = false;
  bool empty() const {
    return scheduled_date.empty() && held_date.empty() && place.empty() && online_link.empty() &&
           experts.empty() && members_present.empty() && opds_present.empty() && notes.empty() &&
           !closed;
  }
};

// Stages I–IV, empty.
inline std::array<BimtekStage, 4> numbered_stages() {
  std::array<BimtekStage, 4> stages{};
  for (std::size_t i = 0; i < stages.size(); ++i) stages[i].number = static_cast<int>(i + 1);
  return stages;
}

struct Opd {
  std::string id;
  std::string name;
  std::string short_name;
  bool retired = false;
};

struct Baseline {
  double value = 0;
  std::optional<int> year;
  friend bool operator==(const Baseline&, const Baseline&) = default;
};

struct Indicator {
  std::string id;
  std::string name;
  std::string unit;
  std::optional<Baseline> baseline;
  std::map<int, double> targets;  // year → target value
};

// (year, source) → whole rupiah.
using BudgetKey = std::pair<int, std::string>;

struct Program {
  std::string id;
  std::string title;
  std::string description;
  std::string dimension;  // national dimension id or plugin pillar id
  std::string element;
  std::string lead_opd;
  std::set<std::string> supporting_opds;
  int start_year = 0;
  int end_year = 0;
  bool quick_win = false;
  std::map<BudgetKey, Rupiah> budget;
  std::map<std::string, Indicator> indicators;
  std::vector<std::string> outputs;
  std::vector<std::string> outcomes;
  // Bimtek II: the missions it serves (ids), and the RPJMD program / OPD Renstra it
  // implements (free text, may be empty).
  std::set<std::string> missions;
  std::string rpjmd_program;
  std::string renstra;
  // Bimtek IV: set once the quick win is profiled.
  std::optional<QuickWinProfile> quick_win_profile;
};

// Member roles: "dewan", "tim_pelaksana", "opd_editor", "reviewer", "kementerian", "viewer".
struct Member {
  std::string user_id;
  std::string name;
  std::string role;
  std::string opd_id;  // set for opd_editor
  std::string title;   // e.g. "Kepala Dinas Kominfo"
};

struct Comment {
  std::string id;
  std::string target;  // entity reference, e.g. "program/p-sipadu"
  std::string text;
  std::string author;
  std::string reply_to;
  bool resolved = false;
  bool withdrawn = false;
  Version version = 0;  // when it was added
};

struct PluginUse {
  std::string name;
  std::string version;
  std::string sha256;
};

// One change of a narrative field, kept so that a concurrent text operation can be moved
// over it (docs/concurrency.md, "Text operations").
struct TextRevision {
  Version version = 0;
  std::string actor;
  // The operation a TextEdited applied, as committed; nullopt for any other change of the
  // field (its whole value set, its entity added or removed): a barrier no text operation
  // made before it can cross.
  std::optional<text::Operation> op;
};

// The recent changes of one narrative field (or of a list of them, for the list's whole-value
// sets), oldest first, at most kTextHistoryLength of them.
struct TextHistory {
  std::deque<TextRevision> revisions;
  // Every change of the field after this version is in `revisions` (older ones were dropped).
  Version complete_since = 0;
};
inline constexpr std::size_t kTextHistoryLength = 1000;

// What a masterplan says: everything of its state but the bookkeeping decide keeps. A copy
// of this part alone is what a rule that tries events out on a copy needs (Undo).
struct MasterplanContent {
  std::string id;  // stream name
  bool exists = false;
  Version version = 0;

  std::string city_name;
  std::string region_code;
  int start_year = 0;
  int end_year = 0;
  std::optional<Rpjmd> rpjmd;
  Status status = Status::draft;
  std::string created_by;

  std::string vision;
  std::vector<Mission> missions;  // in order
  std::map<std::string, StrategicIssue> strategic_issues;
  std::map<std::string, ReadinessEntry> readiness;
  std::map<std::string, Opd> opds;
  std::map<std::string, Program> programs;
  // Names the set of ids in `programs`: a new number (next_program_ids_generation) whenever
  // a program is added or removed, never used twice in a process, 0 when nobody kept count
  // (a state built by hand). Equal non-zero generations mean equal program ids, so a
  // program's index in "programs" can be kept across versions (plugins::ProgramOrder).
  // apply and state_from_json keep it; code that adds or removes programs itself must set a
  // new one (or 0).
  std::uint64_t program_ids_generation = 0;
  std::map<std::string, Member> members;
  std::map<std::string, Comment> comments;
  std::map<std::string, PluginUse> plugins;  // enabled plugins by name

  // The Bimtek track (docs/model.md, "Bimtek"): the stages and what they add.
  std::optional<Mou> mou;
  std::array<BimtekStage, 4> bimtek = numbered_stages();
  std::map<std::string, Gap> gaps;
  std::map<std::string, Strategy> strategies;
  std::map<std::string, CommitmentLetter> commitment_letters;
  std::optional<Presentation> presentation;

  const Program* find_program(const std::string& id) const;
  const Opd* find_opd(const std::string& id) const;
  // Stage 1..4, or null for any other number.
  const BimtekStage* find_stage(std::int64_t number) const;
  // True once a stage was scheduled: from then on the Bimtek rules apply at submission
  // (a masterplan drafted before its track was recorded submits under rule 6 alone).
  bool bimtek_started() const;
};

// A fresh MasterplanContent::program_ids_generation. Thread-safe.
std::uint64_t next_program_ids_generation() noexcept;

struct MasterplanState : MasterplanContent {
  // Bookkeeping (part of snapshots, not of the plugin view).
  std::set<std::string> used_ids;  // "<kind>/<id>" ever created (ids are never reused)
  FieldChanges subtree_changes;     // key → last change at/under
  FieldChanges structural_changes;  // entity key → add/remove
  std::set<std::string> undone_commands;  // ids of the commands a CommandUndone names
  // Not in snapshots: the recent changes of the narrative fields changed since
  // `text_history_since` (the version the state was loaded from a snapshot at; 0 when folded
  // from the first event). A text operation based on an older version needs the log's
  // events in between (DecideContext::text_events).
  std::map<std::string, TextHistory, std::less<>> text_histories;
  Version text_history_since = 0;
  // False for a read-only copy loaded or folded without the bookkeeping above (time travel,
  // views): such a state must not be snapshotted nor given to decide.
  bool has_bookkeeping = true;
};

}  // namespace rembuk::model
