// rembuk/plugin_masterplan.hpp: typed, read-only accessors over the masterplan state a
// validator receives, and "the program as it will be after this command".
//
// The state is the model's canonical JSON without bookkeeping (docs/plugins.md, "The state
// a validator sees"): {"cityName", "regionCode", "startYear", "endYear", "status", "opds":
// [{"opdId","name","shortName","retired"}], "programs": [{"programId","title",
// "description","dimension","element","leadOpd","supportingOpds","startYear","endYear",
// "quickWin","budget":[{"year","source","amount"}],"indicators":[{"indicatorId","name",
// "unit","baseline","targets"}],"outputs","outcomes"}], "plugins": [...], ...}.
// Command fields are those of docs/commands.md.
//
// Each function comes twice: over the parsed JSON of a state (json::Value) and over the State
// a Call lends (plugin.hpp), where it looks up only what it needs: `find_program(call.state(),
// id)` asks the host for one program, however large the masterplan is.
//
// Everything here is tolerant: a missing or mistyped field reads as empty, never throws.
// Thread safety: pure functions over immutable values.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rembuk/plugin.hpp"
#include "rembuk/plugin_json.hpp"

namespace rembuk::plugin::masterplan {

struct Indicator {
  std::string id;
  std::string name;
  std::string unit;
};

struct BudgetLine {
  std::int64_t year = 0;
  std::string source;  // APBD, APBD_PROVINSI, APBN, KPBU, CSR, SWASTA
  double amount = 0;
};

struct Program {
  std::string id;
  std::string title;
  std::string description;
  std::string dimension;  // national dimension id or plugin pillar id
  std::string element;
  std::string lead_opd;
  std::vector<std::string> supporting_opds;
  std::vector<Indicator> indicators;
  std::vector<BudgetLine> budget;
  bool quick_win = false;
  std::size_t index = 0;  // position in state "programs" (for JSON pointers)
  bool in_state = false;  // false for a program being added by the command

  bool involves(std::string_view opd) const {
    return lead_opd == opd ||
           std::find(supporting_opds.begin(), supporting_opds.end(), opd) !=
               supporting_opds.end();
  }
};

// ASCII case-insensitive "text contains any of needles" (Indonesian keywords are ASCII).
inline bool contains_any(std::string_view text, std::initializer_list<std::string_view> needles) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view needle : needles) {
    std::string n(needle);
    for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find(n) != std::string::npos) return true;
  }
  return false;
}

// ASCII case-insensitive "text contains any of needles as a whole word" (letters and digits
// on neither side): "KAN" matches "bersama KAN Pauh" but not "meningkatkan".
inline bool mentions_word(std::string_view text, std::initializer_list<std::string_view> needles) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  const std::string hay = lower(text);
  for (std::string_view needle : needles) {
    const std::string n = lower(needle);
    if (n.empty()) continue;
    for (std::size_t at = hay.find(n); at != std::string::npos; at = hay.find(n, at + 1)) {
      const bool start_ok = at == 0 || !is_word(hay[at - 1]);
      const bool end_ok = at + n.size() == hay.size() || !is_word(hay[at + n.size()]);
      if (start_ok && end_ok) return true;
    }
  }
  return false;
}

inline std::vector<std::string> strings_of(const json::Value& array) {
  std::vector<std::string> out;
  for (const auto& item : array.items()) {
    if (const auto* s = item.as_string()) out.push_back(*s);
  }
  return out;
}

inline Indicator indicator_from(const json::Value& v) {
  return {std::string(v["indicatorId"].string_or()), std::string(v["name"].string_or()),
          std::string(v["unit"].string_or())};
}

inline Program program_from(const json::Value& v) {
  Program p;
  p.id = v["programId"].string_or();
  p.title = v["title"].string_or();
  p.description = v["description"].string_or();
  p.dimension = v["dimension"].string_or();
  p.element = v["element"].string_or();
  p.lead_opd = v["leadOpd"].string_or();
  p.supporting_opds = strings_of(v["supportingOpds"]);
  for (const auto& i : v["indicators"].items()) p.indicators.push_back(indicator_from(i));
  for (const auto& b : v["budget"].items()) {
    p.budget.push_back({b["year"].as_int().value_or(0), std::string(b["source"].string_or()),
                        b["amount"].as_number().value_or(0)});
  }
  p.quick_win = v["quickWin"].as_bool().value_or(false);
  return p;
}

// Every program of the state, in state order.
inline std::vector<Program> programs(const json::Value& state) {
  std::vector<Program> out;
  const auto& items = state["programs"].items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    Program p = program_from(items[i]);
    p.index = i;
    p.in_state = true;
    out.push_back(std::move(p));
  }
  return out;
}

inline std::optional<Program> find_program(const json::Value& state, std::string_view id) {
  for (auto& p : programs(state)) {
    if (p.id == id) return p;
  }
  return std::nullopt;
}

// The OPD object with `opd_id`, or a null value.
inline const json::Value& find_opd(const json::Value& state, std::string_view opd_id) {
  for (const auto& opd : state["opds"].items()) {
    if (opd["opdId"].string_or() == opd_id) return opd;
  }
  return json::Value::null_value();
}

// Whether OPD `opd_id`'s name or short name contains any of `needles`.
inline bool opd_is(const json::Value& state, std::string_view opd_id,
                   std::initializer_list<std::string_view> needles) {
  const auto& opd = find_opd(state, opd_id);
  return !opd.is_null() &&
         (contains_any(opd["name"].string_or(), needles) ||
          contains_any(opd["shortName"].string_or(), needles));
}

// Whether the lead or a supporting OPD of `p` matches `needles` (see opd_is).
inline bool involves_opd(const json::Value& state, const Program& p,
                         std::initializer_list<std::string_view> needles) {
  if (!p.lead_opd.empty() && opd_is(state, p.lead_opd, needles)) return true;
  return std::any_of(p.supporting_opds.begin(), p.supporting_opds.end(),
                     [&](const std::string& id) { return opd_is(state, id, needles); });
}

// Every program of the state, in state order (costs every program: for submission-time rules).
inline std::vector<Program> programs(const State& state) {
  std::vector<Program> out;
  state.each_program({}, [&](const json::Value& v, std::size_t index) {
    Program p = program_from(v);
    p.index = index;
    p.in_state = true;
    out.push_back(std::move(p));
    return true;
  });
  return out;
}

// The programs placed in one national dimension or pillar, in state order.
inline std::vector<Program> programs_in(const State& state, std::string_view dimension) {
  std::vector<Program> out;
  if (dimension.empty()) return out;
  state.each_program(dimension, [&](const json::Value& v, std::size_t index) {
    Program p = program_from(v);
    p.index = index;
    p.in_state = true;
    out.push_back(std::move(p));
    return true;
  });
  return out;
}
inline std::vector<Program> programs_in(const json::Value& state, std::string_view dimension) {
  std::vector<Program> out;
  for (auto& p : programs(state)) {
    if (!dimension.empty() && p.dimension == dimension) out.push_back(std::move(p));
  }
  return out;
}

inline std::optional<Program> find_program(const State& state, std::string_view id) {
  std::size_t index = 0;
  const json::Value* v = state.find_program(id, &index);
  if (v == nullptr) return std::nullopt;
  Program p = program_from(*v);
  p.index = index;
  p.in_state = true;
  return p;
}

inline const json::Value& find_opd(const State& state, std::string_view opd_id) {
  return state.find_opd(opd_id);
}

// The member {"userId","name","role","opdId","title"} with `user_id`, or a null value.
inline const json::Value& find_member(const State& state, std::string_view user_id) {
  return state.find_member(user_id);
}
inline const json::Value& find_member(const json::Value& state, std::string_view user_id) {
  for (const auto& m : state["members"].items()) {
    if (m["userId"].string_or() == user_id) return m;
  }
  return json::Value::null_value();
}

inline bool opd_is(const State& state, std::string_view opd_id,
                   std::initializer_list<std::string_view> needles) {
  const auto& opd = state.find_opd(opd_id);
  return !opd.is_null() &&
         (contains_any(opd["name"].string_or(), needles) ||
          contains_any(opd["shortName"].string_or(), needles));
}

inline bool involves_opd(const State& state, const Program& p,
                         std::initializer_list<std::string_view> needles) {
  if (!p.lead_opd.empty() && opd_is(state, p.lead_opd, needles)) return true;
  return std::any_of(p.supporting_opds.begin(), p.supporting_opds.end(),
                     [&](const std::string& id) { return opd_is(state, id, needles); });
}

// The program the command touches, as it will be if the command is accepted; nullopt when
// the command is not about one program (or names one the state does not have).
inline std::optional<Program> program_after(const Call& call) {
  const json::Value& c = call.command();
  const std::string_view type = call.command_type();
  if (type == "AddProgram") {
    Program p = program_from(c);
    p.in_state = false;
    p.index = call.state().program_count();
    return p;
  }
  const auto* id = c["programId"].as_string();
  if (id == nullptr) return std::nullopt;
  auto p = find_program(call.state(), *id);
  if (!p) return std::nullopt;
  if (type == "UpdateProgram") {
    for (const char* field : {"title", "description", "dimension", "element"}) {
      if (const auto* s = c[field].as_string()) {
        const std::string_view f = field;
        std::string& target = f == "title"         ? p->title
                              : f == "description" ? p->description
                              : f == "dimension"   ? p->dimension
                                                   : p->element;
        target = *s;
      }
    }
  } else if (type == "SetProgramLeadOpd") {
    p->lead_opd = c["leadOpd"].string_or();
  } else if (type == "AddSupportingOpd") {
    p->supporting_opds.emplace_back(c["opdId"].string_or());
  } else if (type == "RemoveSupportingOpd") {
    const std::string_view gone = c["opdId"].string_or();
    p->supporting_opds.erase(
        std::remove(p->supporting_opds.begin(), p->supporting_opds.end(), gone),
        p->supporting_opds.end());
  } else if (type == "AddIndicator") {
    p->indicators.push_back(indicator_from(c));
  } else if (type == "UpdateIndicator") {
    for (auto& i : p->indicators) {
      if (i.id == c["indicatorId"].string_or()) {
        if (const auto* s = c["name"].as_string()) i.name = *s;
        if (const auto* s = c["unit"].as_string()) i.unit = *s;
      }
    }
  } else if (type == "RemoveIndicator") {
    const std::string_view gone = c["indicatorId"].string_or();
    p->indicators.erase(std::remove_if(p->indicators.begin(), p->indicators.end(),
                                       [&](const Indicator& i) { return i.id == gone; }),
                        p->indicators.end());
  } else if (type == "SetQuickWin") {
    p->quick_win = c["quickWin"].as_bool().value_or(p->quick_win);
  }
  return p;
}

// "/state/programs/<index>" for a program in the state, "/command" for one being added.
inline std::string pointer_to(const Program& p, std::string_view field = {}) {
  std::string out = p.in_state ? "/state/programs/" + std::to_string(p.index) : "/command";
  if (!field.empty()) {
    out += '/';
    out += field;
  }
  return out;
}

}  // namespace rembuk::plugin::masterplan
